import type { Labels } from '../model/labels.js';

/**
 * fingerprint is Prometheus's model.Fingerprint of a label set, as 16 hex digits (FNV-1a 64,
 * model/fingerprint.ts). Alertmanager names alerts by it in its API and webhook payloads, so
 * vigil's ids are the same as Alertmanager's. Label sets are immutable and shared by every
 * version of an alert, so each computes it once.
 */
export function fingerprint(labels: Labels): string {
  return labels.fingerprint();
}
