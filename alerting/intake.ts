import type { Labels } from '../model/labels.js';
import type { Alert } from './types.js';

/** RuleAlert is what vigil's rule evaluator sends (rules/model.ts Alert): times in ms, endsAt always set. */
export interface RuleAlert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly generatorURL: string;
}

/**
 * notifyFn is the in-process intake, the NotifyFn that rules call: the same path as
 * `POST /api/v2/alerts` without HTTP. Rule alerts always carry their end time (Prometheus's
 * notifier semantics), so none of them times out on resolve_timeout.
 */
export function notifyFn(receive: (alerts: readonly Alert[]) => void, now: () => number): (alerts: readonly RuleAlert[]) => void {
  return (alerts) => {
    const t = now();
    receive(alerts.map((a) => ({ ...a, updatedAt: t, timeout: false })));
  };
}
