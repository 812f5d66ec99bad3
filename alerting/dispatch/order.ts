import type { Alert } from '../types.js';

/**
 * compareAlerts is Alertmanager's AlertSlice order: by the `job` label, then `instance` (an alert
 * with the label before one without), then by the whole label set.
 */
export function compareAlerts(a: Alert, b: Alert): number {
  return compareLabel(a, b, 'job') || compareLabel(a, b, 'instance') || a.labels.compare(b.labels);
}

/** compareLabel orders by one label's value, an alert that has the label first; 0 when both lack it or they agree. */
function compareLabel(a: Alert, b: Alert, name: string): number {
  const x = a.labels.get(name);
  const y = b.labels.get(name);
  if (x === y) return 0;
  if (x === '') return 1;
  if (y === '') return -1;
  return x < y ? -1 : 1;
}
