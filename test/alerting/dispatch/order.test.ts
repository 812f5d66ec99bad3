import { describe, expect, it } from 'vitest';
import { sortAlerts } from '../../../alerting/dispatch/order.js';
import type { Alert } from '../../../alerting/types.js';
import { Labels } from '../../../model/labels.js';

const alert = (labels: Record<string, string>): Alert => ({
  labels: Labels.from(labels), annotations: Labels.EMPTY, startsAt: 0, endsAt: Number.POSITIVE_INFINITY, generatorURL: '', updatedAt: 0, timeout: false,
});

describe('sortAlerts (Alertmanager AlertSlice order)', () => {
  it('orders by job, then instance, an alert with the label before one without, then by the label set', () => {
    const alerts = [
      alert({ alertname: 'Z' }),
      alert({ alertname: 'A', instance: 'i2' }),
      alert({ alertname: 'B', job: 'b', instance: 'i1' }),
      alert({ alertname: 'C', job: 'a' }),
      alert({ alertname: 'D', job: 'a', instance: 'i9' }),
      alert({ alertname: 'E', instance: 'i1' }),
      alert({ alertname: 'A', job: 'a', instance: 'i9' }),
      alert({ alertname: 'Y' }),
    ];
    expect(sortAlerts(alerts).map((a) => a.labels.get('alertname'))).toEqual(['A', 'D', 'C', 'B', 'E', 'A', 'Y', 'Z']);
  });
});
