import { describe, expect, it } from 'vitest';
import { Labels } from '../../../model/labels.js';
import { AlertTimeline, summarize } from '../../../rules/backtest/timeline.js';

const a = Labels.from({ alertname: 'Burn', service: 'checkout' });
const b = Labels.from({ alertname: 'Burn', service: 'search' });
const c = Labels.from({ alertname: 'Quick', service: 'checkout' });

describe('AlertTimeline', () => {
  it('turns observed states into pending, firing, resolved and cancelled events and episodes', () => {
    const tl = new AlertTimeline();
    tl.observe(0, []);
    tl.observe(60, [{ labels: a, state: 'pending' }, { labels: b, state: 'pending' }]);
    tl.observe(120, [{ labels: a, state: 'firing' }]); // b stopped pending without firing
    tl.observe(180, [{ labels: a, state: 'firing' }, { labels: c, state: 'firing' }]); // for: 0 fires at once
    tl.observe(240, [{ labels: c, state: 'firing' }]);
    tl.observe(300, [{ labels: a, state: 'pending' }, { labels: c, state: 'firing' }]); // a again: a second episode
    expect(tl.events.map((e) => [e.t, e.event, e.labels.get('alertname') + '/' + e.labels.get('service')])).toEqual([
      [60, 'pending', 'Burn/checkout'],
      [60, 'pending', 'Burn/search'],
      [120, 'firing', 'Burn/checkout'],
      [120, 'cancelled', 'Burn/search'],
      [180, 'firing', 'Quick/checkout'],
      [240, 'resolved', 'Burn/checkout'],
      [300, 'pending', 'Burn/checkout'],
    ]);
    const histories = tl.alerts();
    expect(histories.map((h) => [h.alertname, h.labels.get('service'), h.episodes])).toEqual([
      [
        'Burn',
        'checkout',
        [
          { pendingAt: 60, firingAt: 120, resolvedAt: 240, cancelledAt: undefined },
          { pendingAt: 300, firingAt: undefined, resolvedAt: undefined, cancelledAt: undefined },
        ],
      ],
      ['Burn', 'search', [{ pendingAt: 60, firingAt: undefined, resolvedAt: undefined, cancelledAt: 120 }]],
      ['Quick', 'checkout', [{ pendingAt: undefined, firingAt: 180, resolvedAt: undefined, cancelledAt: undefined }]],
    ]);
    expect(summarize(histories, 600)).toEqual([
      // Burn: fired once (120..240), pending-only twice (search, and checkout's open episode).
      { alertname: 'Burn', series: 2, fired: 1, pendingOnly: 2, firingMs: 120, firstFiredAt: 120 },
      // Quick still fires at the end: counted up to the end.
      { alertname: 'Quick', series: 1, fired: 1, pendingOnly: 0, firingMs: 420, firstFiredAt: 180 },
    ]);
  });
});
