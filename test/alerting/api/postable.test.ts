import { describe, expect, it } from 'vitest';
import { decodePostableAlerts } from '../../../alerting/api/postable.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');

describe('decodePostableAlerts: label sets', () => {
  it('sorts labels sent out of order, drops empty values, and reads sorted ones as they are', () => {
    const { alerts, errors } = decodePostableAlerts(
      [
        { labels: { zone: 'a', alertname: 'X', empty: '', job: 'j' }, annotations: { summary: 's', description: '' } },
        { labels: { alertname: 'Y', job: 'j', zone: 'b' } },
      ],
      NOW,
      300_000,
    );
    expect(errors).toEqual([]);
    expect(alerts.map((a) => a.labels.toFlat())).toEqual([
      ['alertname', 'X', 'job', 'j', 'zone', 'a'],
      ['alertname', 'Y', 'job', 'j', 'zone', 'b'],
    ]);
    expect(alerts[0]!.annotations.toFlat()).toEqual(['summary', 's']);
  });

  it('sorts a long label set as well as a short one', () => {
    const names = Array.from({ length: 120 }, (_, i) => `l${String((i * 37) % 120).padStart(3, '0')}`);
    const labels = Object.fromEntries(names.map((n) => [n, `v${n}`]));
    const { alerts } = decodePostableAlerts([{ labels }], NOW, 300_000);
    const flat = alerts[0]!.labels.toFlat();
    const sortedNames = [...names].sort();
    expect(flat.filter((_, i) => i % 2 === 0)).toEqual(sortedNames);
    expect(flat.filter((_, i) => i % 2 === 1)).toEqual(sortedNames.map((n) => `v${n}`));
  });

  it('rejects an invalid label name each time it is sent, though valid names are remembered', () => {
    const body = [{ labels: { alertname: 'A', 'bad-name': 'x' } }, { labels: { alertname: 'B' } }, { labels: { alertname: 'C', 'bad-name': 'y' } }];
    const { alerts, errors } = decodePostableAlerts(body, NOW, 300_000);
    expect(alerts.map((a) => a.labels.get('alertname'))).toEqual(['B']);
    expect(errors).toEqual(['alerts[0]: invalid label name "bad-name" in labels', 'alerts[2]: invalid label name "bad-name" in labels']);
  });
});
