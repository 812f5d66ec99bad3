import type { Alert } from '../types.js';

/** compareValue orders two values of one label, a present one ("" is absent) first; 0 when both are absent or equal. */
function compareValue(x: string, y: string): number {
  if (x === y) return 0;
  if (x === '') return 1;
  if (y === '') return -1;
  return x < y ? -1 : 1;
}

/**
 * sortAlerts sorts alerts in place in Alertmanager's AlertSlice order: by the `job` label, then
 * `instance` (an alert with the label before one without), then by the whole label set. Each
 * alert's `job` and `instance` are read once, not at every comparison.
 */
export function sortAlerts(alerts: Alert[]): Alert[] {
  const keyed = alerts.map((a) => ({ a, job: a.labels.get('job'), instance: a.labels.get('instance') }));
  keyed.sort((x, y) => compareValue(x.job, y.job) || compareValue(x.instance, y.instance) || x.a.labels.compare(y.a.labels));
  for (let i = 0; i < keyed.length; i++) alerts[i] = keyed[i]!.a;
  return alerts;
}
