import type { Labels } from '../../model/labels.js';
import { isResolvedAt, type Alert, type AlertStatus } from '../types.js';
import { fingerprint } from '../fingerprint.js';
import type { Notification } from './types.js';

/**
 * TemplateData is Alertmanager's notification data (template.Data): what Go templates in the
 * config see as `.`, and, as JSON, the body of the webhook's version 4 payload.
 */
export interface TemplateData {
  readonly receiver: string;
  readonly status: AlertStatus;
  readonly alerts: readonly TemplateAlert[];
  readonly groupLabels: Record<string, string>;
  readonly commonLabels: Record<string, string>;
  readonly commonAnnotations: Record<string, string>;
  readonly externalURL: string;
  readonly groupKey: string;
}

export interface TemplateAlert {
  readonly status: AlertStatus;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** RFC 3339 times; endsAt is "0001-01-01T00:00:00Z" when unset, as Alertmanager writes it. */
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

/** templateData builds the data for one notification: the group is firing when any alert is. */
export function templateData(n: Notification): TemplateData {
  const alerts = n.alerts.map((a) => templateAlert(a, n.now));
  return {
    receiver: n.receiver,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts,
    groupLabels: n.groupLabels.toRecord(),
    commonLabels: common(n.alerts.map((a) => a.labels)),
    commonAnnotations: common(n.alerts.map((a) => a.annotations)),
    externalURL: n.externalURL,
    groupKey: n.groupKey,
  };
}

export function templateAlert(a: Alert, now: number): TemplateAlert {
  const resolved = isResolvedAt(a, now);
  return {
    status: resolved ? 'resolved' : 'firing',
    labels: a.labels.toRecord(),
    annotations: a.annotations.toRecord(),
    startsAt: new Date(a.startsAt).toISOString(),
    // A firing alert has no end yet: Alertmanager clears it when a group flushes, so payloads and
    // templates never show a firing alert's expected end as if it had resolved.
    endsAt: resolved ? new Date(a.endsAt).toISOString() : '0001-01-01T00:00:00Z',
    generatorURL: a.generatorURL,
    fingerprint: fingerprint(a.labels),
  };
}

/** common is the pairs every label set shares (Alertmanager's CommonLabels / CommonAnnotations). */
function common(sets: readonly Labels[]): Record<string, string> {
  if (sets.length === 0) return {};
  const out = sets[0]!.toRecord();
  for (let i = 1; i < sets.length; i++) {
    for (const name of Object.keys(out)) if (sets[i]!.get(name) !== out[name]) delete out[name];
  }
  return out;
}
