import { describe, expect, it } from 'vitest';
import { engineQuery } from '../../../cli/adapters.js';
import { Labels } from '../../../model/labels.js';
import { Matcher } from '../../../model/matcher.js';
import { Engine } from '../../../promql/engine.js';
import { overlayQueryable } from '../../../rules/backtest/overlay.js';
import { dataTimeRange } from '../../../rules/backtest/range.js';
import { runBacktest, shadowedNames } from '../../../rules/backtest/run.js';
import type { RuleGroup } from '../../../rules/model.js';
import { Head } from '../../../tsdb/index.js';
import { VirtualClock } from '../../../util/clock.js';

const MIN = 60_000;
const T0 = Date.UTC(2024, 4, 1);
const head = () => new Head({ retentionMs: 100 * 365 * 24 * 60 * MIN, clock: new VirtualClock(0) });

/** history: requests every minute for 4h; half of them fail from 1h to 2h. Also a stale recording by "older rules". */
function history(): Head {
  const h = head();
  const app = h.appender();
  let ok = 0;
  let errors = 0;
  for (let i = 0; i <= 240; i++) {
    const t = T0 + i * MIN;
    if (i > 60 && i <= 120) {
      ok += 50;
      errors += 50;
    } else ok += 100;
    app.append(Labels.from({ __name__: 'requests_total', code: '200' }), t, ok);
    app.append(Labels.from({ __name__: 'requests_total', code: '500' }), t, errors);
    // What an older version of the rules recorded: a backtest must not read it.
    app.append(Labels.from({ __name__: 'job:error_ratio:rate5m' }), t, 1);
  }
  app.commit();
  return h;
}

const rules = (interval: number): RuleGroup[] => [
  {
    name: 'ratios',
    intervalMs: interval,
    limit: 0,
    queryOffsetMs: 0,
    labels: {},
    rules: [{ kind: 'recording', record: 'job:error_ratio:rate5m', expr: 'sum(rate(requests_total{code="500"}[5m])) / sum(rate(requests_total[5m]))', labels: {} }],
  },
  {
    name: 'alerts',
    intervalMs: interval,
    limit: 0,
    queryOffsetMs: 0,
    labels: {},
    rules: [
      { kind: 'alerting', alert: 'HighErrorRate', expr: 'job:error_ratio:rate5m > 0.05', forMs: 5 * MIN, keepFiringForMs: 0, labels: { severity: 'page' }, annotations: {} },
      { kind: 'alerting', alert: 'Broken', expr: 'requests_total + on() group_left requests_total', forMs: 0, keepFiringForMs: 0, labels: {}, annotations: {} },
    ],
  },
];

async function backtest(groups: RuleGroup[], opts: { intervalMs?: number } = {}) {
  const base = history();
  const results = head();
  const queryable = overlayQueryable(base, results, shadowedNames(groups));
  const progress: number[] = [];
  const r = await runBacktest({
    groups,
    queryFn: engineQuery(new Engine({ lookbackDeltaMs: 5 * MIN }), queryable),
    appendable: results,
    start: T0,
    end: T0 + 240 * MIN,
    ...opts,
    onProgress: (done) => progress.push(done),
  });
  return { r, progress, results };
}

describe('runBacktest', () => {
  it('fires and resolves at the times the data implies, recording rules feeding the alert', async () => {
    const { r, progress } = await backtest(rules(MIN));
    const high = r.events.filter((e) => e.alertname === 'HighErrorRate').map((e) => [e.event, (e.t - T0) / MIN]);
    // Errors start in the interval ending at 61m: the 5m ratio is above 5% from 61m, so pending
    // then, firing 5m later; the last error increment is at 120m, out of the left-open window (t-5m, t] at 124m.
    expect(high).toEqual([
      ['pending', 61],
      ['firing', 66],
      ['resolved', 124],
    ]);
    expect(r.events.find((e) => e.alertname === 'HighErrorRate')!.labels.toRecord()).toEqual({ alertname: 'HighErrorRate', severity: 'page' });
    expect(r.summary.find((s) => s.alertname === 'HighErrorRate')).toMatchObject({ fired: 1, firingMs: 58 * MIN, firstFiredAt: T0 + 66 * MIN });
    expect(r.evaluations).toBe(2 * 241);
    expect(progress).toHaveLength(241);
    expect(progress.at(-1)).toBe(240 * MIN);
  });

  it('counts rule errors and reports the first', async () => {
    const { r } = await backtest(rules(MIN));
    expect(r.ruleErrors).toEqual([
      {
        group: 'alerts',
        rule: 'Broken',
        count: 241,
        firstAt: T0,
        firstError: expect.stringContaining('many-to-many matching not allowed') as unknown as string,
      },
    ]);
  });

  it('evaluates each group at its own interval, or all at --interval', async () => {
    const groups = rules(MIN).map((g, i) => ({ ...g, intervalMs: i === 0 ? MIN : 5 * MIN }));
    const own = await backtest(groups);
    expect(own.r.groupIntervals).toEqual([
      { group: 'ratios', intervalMs: MIN },
      { group: 'alerts', intervalMs: 5 * MIN },
    ]);
    expect(own.r.evaluations).toBe(241 + 49);
    // The alert group runs every 5m: pending at 65m, firing at 70m (for: 5m), resolved at 125m.
    expect(own.r.events.filter((e) => e.alertname === 'HighErrorRate').map((e) => [e.event, (e.t - T0) / MIN])).toEqual([
      ['pending', 65],
      ['firing', 70],
      ['resolved', 125],
    ]);
    const forced = await backtest(groups, { intervalMs: 2 * MIN });
    expect(forced.r.groupIntervals.map((g) => g.intervalMs)).toEqual([2 * MIN, 2 * MIN]);
    expect(forced.r.evaluations).toBe(2 * 121);
  });

  it('writes its recordings and ALERTS to the results store', async () => {
    const { results } = await backtest(rules(MIN));
    const q = results.querier(T0, T0 + 240 * MIN);
    const recorded = q.select([new Matcher('=', '__name__', 'job:error_ratio:rate5m')]);
    expect(recorded).toHaveLength(1);
    const it = recorded[0]!.samples();
    let n = 0;
    while (it.next()) n++;
    // Every evaluation but the first, whose 5m window holds one sample (no rate).
    expect(n).toBe(240);
    expect(q.select([new Matcher('=', '__name__', 'ALERTS')]).map((s) => s.labels.get('alertstate')).sort()).toEqual(['firing', 'pending']);
  });
});

describe('overlayQueryable', () => {
  it('hides shadowed names from the history, merges the rest sorted, and reads a shared label set from the overlay', () => {
    const base = head();
    const over = head();
    const b = base.appender();
    b.append(Labels.from({ __name__: 'a', x: '1' }), 0, 1);
    b.append(Labels.from({ __name__: 'c', x: '1' }), 0, 1);
    b.append(Labels.from({ __name__: 'rec' }), 0, 1);
    b.append(Labels.from({ __name__: 'same' }), 0, 1);
    b.commit();
    const o = over.appender();
    o.append(Labels.from({ __name__: 'b', x: '1' }), 0, 2);
    o.append(Labels.from({ __name__: 'rec' }), 0, 2);
    o.append(Labels.from({ __name__: 'same' }), 0, 2);
    o.commit();
    const q = overlayQueryable(base, over, new Set(['rec'])).querier(0, 10);
    const all = q.select([new Matcher('=~', '__name__', '.+')]);
    const value = (s: (typeof all)[number]) => {
      const it = s.samples();
      it.next();
      return it.v;
    };
    expect(all.map((s) => [s.labels.metricName, value(s)])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 1],
      ['rec', 2],
      ['same', 2],
    ]);
    expect(q.labelValues('__name__')).toEqual(['a', 'b', 'c', 'rec', 'same']);
  });
});

describe('dataTimeRange', () => {
  it('finds the oldest and newest sample, and nothing in an empty store', () => {
    expect(dataTimeRange(history())).toEqual({ min: T0, max: T0 + 240 * MIN });
    expect(dataTimeRange(head())).toBeUndefined();
  });
});
