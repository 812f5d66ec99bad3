import { describe, expect, it } from 'vitest';
import { dump } from '../../support/store.js';
import { engineQuery } from '../../../cli/adapters.js';
import { Engine } from '../../../promql/engine.js';
import type { QueryFn } from '../../../rules/model.js';
import { alerting, fixture, group, MIN } from './fixture.js';

describe('alert state machine (real store, real engine, virtual clock)', () => {
  const setup = (rule = alerting('HighErrors', 'errors > 5', {
    forMs: 2 * MIN,
    labels: { severity: 'page', job_copy: '{{ $labels.job }}' },
    annotations: { summary: 'errors at {{ $value }} on {{ $labels.job }}', value: '{{ humanizePercentage $value }}' },
  })) => {
    const f = fixture();
    // 10 errors until 10m, then 0.
    f.load({ __name__: 'errors', job: 'api' }, 0, 40 * MIN, (t) => (t <= 10 * MIN + 30_000 ? 10 : 0));
    const m = f.manager([group('g', [rule])], { externalLabels: { cluster: 'eu1' } });
    const rule0 = () => m.groups()[0]!.alertingRules()[0]!;
    return { f, m, rule0 };
  };

  it('goes pending, fires after `for`, resends every resend delay with endsAt = now + 4 × max(resend, interval), resolves and resends the resolution for 15m', async () => {
    const { f, m, rule0 } = setup();
    await m.evalGroupAt('g', 1 * MIN);
    expect(rule0().state()).toBe('pending');
    expect(rule0().activeAlerts()[0]).toMatchObject({ state: 'pending', activeAt: 1 * MIN, value: 10 });
    expect(f.sent).toEqual([]);

    await m.evalGroupAt('g', 2 * MIN);
    expect(rule0().state()).toBe('pending');
    await m.evalGroupAt('g', 3 * MIN);
    expect(rule0().state()).toBe('firing');
    expect(f.sent).toHaveLength(1);
    const first = f.sent[0]![0]!;
    expect(first.labels.toRecord()).toEqual({ alertname: 'HighErrors', cluster: 'eu1', job: 'api', job_copy: 'api', severity: 'page' });
    expect(first.annotations.toRecord()).toEqual({ summary: 'errors at 10 on api', value: '1000%' });
    expect(first.startsAt).toBe(3 * MIN);
    expect(first.endsAt).toBe(3 * MIN + 4 * MIN);
    expect(first.generatorURL).toBe('http://vigil.test:9470/graph?g0.expr=errors+%3E+5&g0.tab=1');

    await m.evalGroupAt('g', 4 * MIN); // sent 1m ago: not yet due (lastSent + 1m must be before now)
    expect(f.sent).toHaveLength(1);
    await m.evalGroupAt('g', 5 * MIN);
    expect(f.sent).toHaveLength(2);
    expect(f.sent[1]![0]).toMatchObject({ startsAt: 3 * MIN, endsAt: 9 * MIN });

    for (let t = 6; t <= 10; t++) await m.evalGroupAt('g', t * MIN);
    await m.evalGroupAt('g', 11 * MIN); // the value is 0 since 10m
    expect(rule0().state()).toBe('inactive');
    expect(rule0().activeAlerts()).toEqual([]);
    const resolved = f.sent.at(-1)![0]!;
    expect(resolved).toMatchObject({ startsAt: 3 * MIN, endsAt: 11 * MIN });

    const count = f.sent.length;
    await m.evalGroupAt('g', 12 * MIN);
    expect(f.sent).toHaveLength(count);
    await m.evalGroupAt('g', 13 * MIN);
    expect(f.sent).toHaveLength(count + 1);
    expect(f.sent.at(-1)![0]).toMatchObject({ endsAt: 11 * MIN });
    for (let t = 14; t <= 26; t++) await m.evalGroupAt('g', t * MIN);
    expect(rule0().currentAlerts()).toHaveLength(1); // 15m after resolution: still kept
    await m.evalGroupAt('g', 27 * MIN);
    expect(rule0().currentAlerts()).toHaveLength(0);
  });

  it('writes ALERTS per state and ALERTS_FOR_STATE with activeAt in seconds, and marks them stale when the alert ends', async () => {
    const { f, m } = setup();
    for (let t = 1; t <= 11; t++) await m.evalGroupAt('g', t * MIN);
    const alerts = dump(f.head, 'ALERTS');
    expect(alerts).toEqual({
      'ALERTS{alertname="HighErrors", alertstate="pending", job="api", job_copy="api", severity="page"}': [
        [1 * MIN, 1],
        [2 * MIN, 1],
        [3 * MIN, 'stale'],
      ],
      'ALERTS{alertname="HighErrors", alertstate="firing", job="api", job_copy="api", severity="page"}': [
        ...[3, 4, 5, 6, 7, 8, 9, 10].map((t) => [t * MIN, 1]),
        [11 * MIN, 'stale'],
      ],
    });
    expect(dump(f.head, 'ALERTS_FOR_STATE')).toEqual({
      'ALERTS_FOR_STATE{alertname="HighErrors", job="api", job_copy="api", severity="page"}': [
        ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((t) => [t * MIN, 60]),
        [11 * MIN, 'stale'],
      ],
    });
  });

  it('keep_firing_for keeps a firing alert firing after the condition stops', async () => {
    const { f, m, rule0 } = setup(alerting('HighErrors', 'errors > 5', { forMs: 0, keepFiringForMs: 3 * MIN }));
    for (let t = 1; t <= 10; t++) await m.evalGroupAt('g', t * MIN);
    expect(rule0().state()).toBe('firing');
    await m.evalGroupAt('g', 11 * MIN);
    expect(rule0().activeAlerts()[0]).toMatchObject({ state: 'firing', keepFiringSince: 11 * MIN });
    await m.evalGroupAt('g', 13 * MIN);
    expect(rule0().state()).toBe('firing');
    await m.evalGroupAt('g', 14 * MIN);
    expect(rule0().state()).toBe('inactive');
    expect(f.sent.at(-1)![0]).toMatchObject({ startsAt: 1 * MIN, endsAt: 14 * MIN });
  });

  it('keeps sending the alerts it last had while its query fails, so the router does not resolve them', async () => {
    const f = fixture();
    f.load({ __name__: 'errors', job: 'api' }, 0, 40 * MIN, () => 10);
    let down = false;
    const query = engineQuery(new Engine({ now: () => f.clock.now() }), f.head);
    const queryFn: QueryFn = (expr, t) => (down ? Promise.reject(new Error('remote store: connection refused')) : query(expr, t));
    const m = f.manager([group('g', [alerting('HighErrors', 'errors > 5')])], { queryFn });
    const rule0 = () => m.groups()[0]!.alertingRules()[0]!;
    await m.evalGroupAt('g', 1 * MIN);
    expect(f.sent).toHaveLength(1);
    down = true;
    for (let t = 2; t <= 12; t++) await m.evalGroupAt('g', t * MIN);
    expect(rule0().status).toMatchObject({ health: 'err', lastError: 'remote store: connection refused' });
    expect(rule0().state()).toBe('firing');
    // Resent every resend delay as before, each time with an end 4 intervals ahead: never resolved.
    expect(f.sent.map((batch) => batch[0]!.endsAt)).toEqual([5, 7, 9, 11, 13, 15].map((t) => t * MIN));
    for (const batch of f.sent) expect(batch[0]).toMatchObject({ startsAt: 1 * MIN });
    down = false;
    await m.evalGroupAt('g', 13 * MIN);
    expect(rule0().status.health).toBe('ok');
    expect(f.sent.at(-1)![0]).toMatchObject({ startsAt: 1 * MIN, endsAt: 17 * MIN });
  });

  it('drops a pending alert that stops holding, without sending anything', async () => {
    const { f, m, rule0 } = setup(alerting('HighErrors', 'errors > 5', { forMs: 30 * MIN }));
    for (let t = 1; t <= 11; t++) await m.evalGroupAt('g', t * MIN);
    expect(rule0().currentAlerts()).toEqual([]);
    expect(f.sent).toEqual([]);
  });

  it('a template that fails gives Prometheus’s error text as the value', async () => {
    const { m, rule0 } = setup(alerting('HighErrors', 'errors > 5', { annotations: { bad: '{{ query "nothing" | first }}' } }));
    await m.evalGroupAt('g', 1 * MIN);
    expect(rule0().activeAlerts()[0]!.annotations.get('bad')).toBe(
      '<error expanding template: error executing template __alert_HighErrors: template: __alert_HighErrors:1:133: executing "__alert_HighErrors" at <first>: error calling first: first() called on vector with no elements>',
    );
  });

  it('fails the rule on duplicate alert label sets and on the group limit, with Prometheus’s messages', async () => {
    const f = fixture();
    f.load({ __name__: 'errors', job: 'api', instance: 'a' }, 0, 5 * MIN, () => 10);
    f.load({ __name__: 'errors', job: 'api', instance: 'b' }, 0, 5 * MIN, () => 10);
    const m = f.manager([
      group('dup', [alerting('Dup', 'errors > 5', { labels: { instance: 'x' } })]),
      group('lim', [alerting('Lim', 'errors > 5')], { limit: 1 }),
    ]);
    await m.evalGroupAt('dup', MIN);
    await m.evalGroupAt('lim', MIN);
    const [dup, lim] = m.groups().map((g) => g.alertingRules()[0]!);
    expect(dup!.status).toMatchObject({ health: 'err', lastError: 'vector contains metrics with the same labelset after applying alert labels' });
    expect(lim!.status).toMatchObject({ health: 'err', lastError: 'exceeded limit of 1 with 2 alerts' });
    expect(lim!.currentAlerts()).toEqual([]);
  });
});
