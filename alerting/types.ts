import type { Labels } from '../model/labels.js';

/**
 * Alert is an alert as alerting holds it, with Alertmanager's semantics. Times in ms since the
 * epoch. An alert is resolved once `endsAt <= now`; an alert received without an end time gets
 * `endsAt = receivedAt + resolve_timeout` and `timeout = true` (Alertmanager's `Timeout`).
 */
export interface Alert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly generatorURL: string;
  /** updatedAt is when alerting last received this alert; the newer of two versions wins. */
  readonly updatedAt: number;
  readonly timeout: boolean;
}

/** isResolved says whether the alert has ended at `now` (ms), as Alertmanager's Alert.Resolved(). */
export function isResolvedAt(alert: Alert, now: number): boolean {
  return alert.endsAt <= now;
}

/** AlertStatus is how payloads name an alert's or a group's state. */
export type AlertStatus = 'firing' | 'resolved';
