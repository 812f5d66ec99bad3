import type { Labels } from '../../model/labels.js';

/** AlertState is an alert's state; `unknown` is only a rule's state before its first evaluation. */
export type AlertState = 'inactive' | 'pending' | 'firing';

/**
 * ActiveAlert is one alert of an alerting rule: one label set of the rule's result, with its
 * Prometheus state machine timestamps (ms; undefined where Prometheus keeps a zero time).
 */
export interface ActiveAlert {
  state: AlertState;
  /** labels are the result's labels without `__name__`, plus the rule's (templated) labels and `alertname`. */
  readonly labels: Labels;
  annotations: Labels;
  /** value is the expression's value at the last evaluation that returned this alert. */
  value: number;
  /** activeAt: when the condition started holding (moved on restore, as Prometheus does). */
  activeAt: number;
  firedAt: number | undefined;
  resolvedAt: number | undefined;
  lastSentAt: number | undefined;
  /** validUntil is the endsAt sent for an alert still active. */
  validUntil: number | undefined;
  /** keepFiringSince: when the condition stopped holding while `keep_firing_for` keeps it firing. */
  keepFiringSince: number | undefined;
}

/**
 * needsSending is Prometheus's Alert.needsSending: pending alerts never go out; a resolution not
 * yet sent goes out at once; anything else goes out again once `resendDelayMs` has passed.
 */
export function needsSending(a: ActiveAlert, ts: number, resendDelayMs: number): boolean {
  if (a.state === 'pending') return false;
  if (a.resolvedAt !== undefined && (a.lastSentAt === undefined || a.resolvedAt > a.lastSentAt)) return true;
  return a.lastSentAt === undefined || a.lastSentAt + resendDelayMs < ts;
}
