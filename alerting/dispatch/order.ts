import type { Alert } from '../types.js';

/**
 * compareAlerts is Alertmanager's AlertSlice order: by the `job` label, then `instance` (an alert
 * with the label before one without), then by the whole label set.
 */
export function compareAlerts(a: Alert, b: Alert): number {
  for (const name of ['job', 'instance']) {
    const x = a.labels.get(name);
    const y = b.labels.get(name);
    if (x === '' && y === '') continue;
    if (x === '') return 1;
    if (y === '') return -1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.labels.compare(b.labels);
}
