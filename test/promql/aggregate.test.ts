import { describe, expect, it } from 'vitest';
import { aggregate, checkAggregationParams, goQuote, type AggregateOp, type Grouping } from '../../promql/aggregate.js';
import { PromQLError } from '../../promql/errors.js';
import type { Vector } from '../../promql/value.js';
import { asSet, expected, lbl, rows, smp, vec } from './helpers.js';

// Cases transcribed from Prometheus 3's promqltest/testdata/aggregators.test (../shared/promqltest):
// each input vector is what the selector yields at the eval time, sorted by labels.

const T = 3_000_000; // 50m
const by = (...labels: string[]): Grouping => ({ without: false, labels });
const without = (...labels: string[]): Grouping => ({ without: true, labels });
const agg = (op: AggregateOp, input: Vector, g: Grouping = by(), param?: number | string): Vector =>
  aggregate(op, input, g, param, T);

/** http_requests at 50m in the first load block. */
const httpRequests = vec(
  [
    ['http_requests{job="api-server", instance="0", group="production"}', 100],
    ['http_requests{job="api-server", instance="1", group="production"}', 200],
    ['http_requests{job="api-server", instance="0", group="canary"}', 300],
    ['http_requests{job="api-server", instance="1", group="canary"}', 400],
    ['http_requests{job="app-server", instance="0", group="production"}', 500],
    ['http_requests{job="app-server", instance="1", group="production"}', 600],
    ['http_requests{job="app-server", instance="0", group="canary"}', 700],
    ['http_requests{job="app-server", instance="1", group="canary"}', 800],
  ],
  T,
);
const apiServer = httpRequests.filter((s) => s.metric.get('job') === 'api-server');
const foo = vec(
  [
    ['foo{job="api-server", instance="0", region="europe"}', 900],
    ['foo{job="api-server"}', 1000],
  ],
  T,
);

describe('aggregate: sum, avg, count, min, max', () => {
  it('sums by group, keeping only the by labels, at the evaluation time', () => {
    const out = agg('sum', apiServer, by('group'));
    expect(asSet(out)).toEqual(expected([['{group="canary"}', 700], ['{group="production"}', 300]]));
    expect(out.every((s) => s.t === T && s.dropName === false)).toBe(true);
  });

  it('averages and counts by group', () => {
    expect(asSet(agg('avg', apiServer, by('group')))).toEqual(expected([['{group="canary"}', 350], ['{group="production"}', 150]]));
    expect(asSet(agg('count', apiServer, by('group')))).toEqual(expected([['{group="canary"}', 2], ['{group="production"}', 2]]));
  });

  it('without drops the listed labels and the metric name', () => {
    expect(asSet(agg('sum', apiServer, without('instance')))).toEqual(
      expected([
        ['{group="canary",job="api-server"}', 700],
        ['{group="production",job="api-server"}', 300],
      ]),
    );
    const production = apiServer.filter((s) => s.metric.get('group') === 'production');
    expect(asSet(agg('sum', production, without()))).toEqual(
      expected([
        ['{group="production",job="api-server",instance="0"}', 100],
        ['{group="production",job="api-server",instance="1"}', 200],
      ]),
    );
  });

  it('empty by, and no clause, sum everything into {}', () => {
    expect(rows(agg('sum', apiServer, by()))).toEqual([['{}', 1000, false]]);
    expect(rows(agg('sum', httpRequests))).toEqual([['{}', 3600, false]]);
  });

  it('groups mismatched label sets with without (instance)', () => {
    // sum without (instance) (http_requests{job="api-server"} or foo)
    expect(asSet(agg('sum', [...apiServer, ...foo], without('instance')))).toEqual(
      expected([
        ['{group="canary",job="api-server"}', 700],
        ['{group="production",job="api-server"}', 300],
        ['{region="europe",job="api-server"}', 900],
        ['{job="api-server"}', 1000],
      ]),
    );
  });

  it('by job for every simple aggregation; non-existent by labels do not appear', () => {
    const g = by('job', 'nonexistent');
    expect(asSet(agg('sum', httpRequests, g))).toEqual(expected([['{job="api-server"}', 1000], ['{job="app-server"}', 2600]]));
    expect(asSet(agg('count', httpRequests, g))).toEqual(expected([['{job="api-server"}', 4], ['{job="app-server"}', 4]]));
    expect(asSet(agg('avg', httpRequests, g))).toEqual(expected([['{job="api-server"}', 250], ['{job="app-server"}', 650]]));
    expect(asSet(agg('min', httpRequests, g))).toEqual(expected([['{job="api-server"}', 100], ['{job="app-server"}', 500]]));
    expect(asSet(agg('max', httpRequests, g))).toEqual(expected([['{job="api-server"}', 400], ['{job="app-server"}', 800]]));
    expect(asSet(agg('sum', httpRequests.filter((s) => s.metric.get('instance') === '0'), by('job')))).toEqual(
      expected([['{job="api-server"}', 400], ['{job="app-server"}', 1200]]),
    );
    expect(asSet(agg('sum', httpRequests, by('job', 'group')))).toEqual(
      expected([
        ['{group="canary", job="api-server"}', 700],
        ['{group="canary", job="app-server"}', 1500],
        ['{group="production", job="api-server"}', 300],
        ['{group="production", job="app-server"}', 1100],
      ]),
    );
  });

  it('outputs groups in order of first appearance', () => {
    const input = vec(
      [
        ['x{g="b"}', 1],
        ['x{g="a"}', 2],
        ['x{g="b"}', 3],
      ],
      T,
      true,
    );
    expect(rows(agg('sum', input, by('g')))).toEqual([
      ['{g="b"}', 4, false],
      ['{g="a"}', 2, false],
    ]);
  });

  it('keeps separator-distinct groups apart (labelsToGroupingKey regression)', () => {
    const input = vec([
      ['label_grouping_test{a="aa", b="bb"}', 100],
      ['label_grouping_test{a="a", b="abb"}', 200],
    ]);
    expect(asSet(agg('sum', input, by('a', 'b')))).toEqual(expected([['{a="a", b="abb"}', 200], ['{a="aa", b="bb"}', 100]]));
  });

  it('min and max replace NaN by any number', () => {
    const input = vec([
      ['http_requests{job="api-server", instance="0", group="production"}', 1],
      ['http_requests{job="api-server", instance="1", group="production"}', 2],
      ['http_requests{job="api-server", instance="0", group="canary"}', NaN],
      ['http_requests{job="api-server", instance="1", group="canary"}', 3],
      ['http_requests{job="api-server", instance="2", group="canary"}', 4],
    ]);
    expect(rows(agg('max', input))).toEqual([['{}', 4, false]]);
    expect(rows(agg('min', input))).toEqual([['{}', 1, false]]);
    expect(asSet(agg('max', input, by('group')))).toEqual(expected([['{group="production"}', 2], ['{group="canary"}', 4]]));
    expect(asSet(agg('min', input, by('group')))).toEqual(expected([['{group="production"}', 1], ['{group="canary"}', 3]]));
    expect(rows(agg('max', vec([['x', NaN]])))).toEqual([['{}', NaN, false]]);
  });

  it('returns nothing for an empty input', () => {
    for (const op of ['sum', 'avg', 'count', 'min', 'max', 'group', 'stddev', 'stdvar'] as const) {
      expect(agg(op, [])).toEqual([]);
    }
    expect(agg('quantile', [], by(), 0.5)).toEqual([]);
  });

  it('sums with Kahan compensation and keeps infinities', () => {
    const ten = vec([
      ['data{test="ten",point="a"}', 2],
      ['data{test="ten",point="b"}', 8],
      ['data{test="ten",point="c"}', 1e100],
      ['data{test="ten",point="d"}', -1e100],
    ]);
    expect(rows(agg('sum', ten))).toEqual([['{}', 10, false]]);
    expect(rows(agg('avg', ten))).toEqual([['{}', 2.5, false]]);
    const posInf = vec([
      ['data{test="pos_inf",group="1",point="a"}', Infinity],
      ['data{test="pos_inf",group="1",point="b"}', 2],
      ['data{test="pos_inf",group="2",point="a"}', 2],
      ['data{test="pos_inf",group="2",point="b"}', Infinity],
    ]);
    expect(asSet(agg('sum', posInf, by('group')))).toEqual(expected([['{group="1"}', Infinity], ['{group="2"}', Infinity]]));
    expect(asSet(agg('avg', posInf, by('group')))).toEqual(expected([['{group="1"}', Infinity], ['{group="2"}', Infinity]]));
    const negInf = posInf.map((s) => ({ ...s, v: s.v === Infinity ? -Infinity : s.v }));
    expect(asSet(agg('sum', negInf, by('group')))).toEqual(expected([['{group="1"}', -Infinity], ['{group="2"}', -Infinity]]));
    expect(asSet(agg('avg', negInf, by('group')))).toEqual(expected([['{group="1"}', -Infinity], ['{group="2"}', -Infinity]]));
    const infInf = vec([
      ['data{test="inf_inf",point="a"}', Infinity],
      ['data{test="inf_inf",point="b"}', -Infinity],
    ]);
    expect(rows(agg('sum', infInf))).toEqual([['{}', NaN, false]]);
    expect(rows(agg('avg', infInf))).toEqual([['{}', NaN, false]]);
    const nan = vec([
      ['data{test="nan",group="1",point="a"}', NaN],
      ['data{test="nan",group="1",point="b"}', 2],
      ['data{test="nan",group="2",point="a"}', 2],
      ['data{test="nan",group="2",point="b"}', NaN],
    ]);
    expect(asSet(agg('sum', nan, by('group')))).toEqual(expected([['{group="1"}', NaN], ['{group="2"}', NaN]]));
    expect(asSet(agg('avg', nan, by('group')))).toEqual(expected([['{group="1"}', NaN], ['{group="2"}', NaN]]));
  });
});

describe('aggregate: avg edge cases', () => {
  const big = 9.988465674311579e307;
  const cases: [string, number[], number][] = [
    ['ten', [8, 10, 12], 10],
    ['inf', [0, Infinity, Infinity, 0], Infinity],
    ['-inf', [-Infinity, -Infinity, 0], -Infinity],
    ['inf2', [Infinity, 0, Infinity], Infinity],
    ['-inf2', [-Infinity, 0, -Infinity], -Infinity],
    ['inf3', [Infinity, Infinity, -Infinity], NaN],
    ['-inf3', [-Infinity, Infinity, -Infinity], NaN],
    ['nan', [-Infinity, 0, Infinity], NaN],
    // The sum overflows: avg falls back to the incremental mean and still gets it right.
    ['big', [big, big, big, big], big],
    ['-big', [-big, -big, -big, -big], -big],
    ['bigzero', [-big, -big, big, big], 0],
  ];
  for (const [name, values, want] of cases) {
    it(`avg(data{test="${name}"}) is ${want}`, () => {
      const input = values.map((v, i) => smp(`data{test="${name}",point="${i}"}`, v, T));
      expect(rows(agg('avg', input))).toEqual([['{}', want, false]]);
    });
  }

  it('is exact where the incremental mean would drift (52 twelve times)', () => {
    const input = Array.from({ length: 12 }, (_, i) => smp(`foo{idx="${i}"}`, 52, 0));
    for (let n = 8; n <= 12; n++) {
      const out = aggregate('avg', input.slice(0, n), by(), undefined, 0);
      expect(out[0]!.v).toBe(52);
    }
  });

  it('is NaN when a NaN is in the mix', () => {
    const input = [smp('data{test="ten",point="a"}', 8), smp('data{test="value is nan"}', NaN)];
    expect(rows(agg('avg', input))).toEqual([['{}', NaN, false]]);
  });
});

describe('aggregate: stddev and stdvar', () => {
  it('uses the population variance', () => {
    expect(agg('stddev', httpRequests)[0]!.v).toBeCloseTo(229.12878474779, 9);
    expect(agg('stdvar', httpRequests)[0]!.v).toBeCloseTo(52500, 9);
    const byInstance = agg('stddev', httpRequests, by('instance'));
    expect(byInstance.map((s) => s.metric.toString())).toEqual(['{instance="0"}', '{instance="1"}']);
    for (const s of byInstance) expect(s.v).toBeCloseTo(223.60679774998, 9);
    expect(asSet(agg('stdvar', httpRequests, by('instance')))).toEqual(expected([['{instance="0"}', 50000], ['{instance="1"}', 50000]]));
  });

  it('is exactly 0 for equal values (float precision test)', () => {
    const input = vec([
      ['http_requests{job="api-server", instance="0", group="production"}', 13.3],
      ['http_requests{job="api-server", instance="1", group="production"}', 13.3],
      ['http_requests{job="api-server", instance="0", group="canary"}', 13.3],
    ]);
    expect(agg('stddev', input)[0]!.v).toBe(0);
    expect(agg('stdvar', input)[0]!.v).toBe(0);
  });

  it('is NaN with a NaN or an infinity anywhere in the group, wherever it comes', () => {
    for (const bad of [NaN, Infinity]) {
      for (const order of [
        [1, 2, bad],
        [bad, 1, 2],
      ]) {
        const input = order.map((v, i) => smp(`series{label="${'abc'[i]}"}`, v));
        expect(agg('stddev', input)[0]!.v).toBeNaN();
        expect(agg('stdvar', input)[0]!.v).toBeNaN();
        const perLabel = agg('stdvar', input, by('label'));
        expect(perLabel.map((s) => s.v)).toEqual(order.map((v) => (Number.isFinite(v) ? 0 : NaN)));
      }
      expect(agg('stddev', [smp('series', bad)])[0]!.v).toBeNaN();
    }
  });

  it('is 0.5 / 0.25 for 1 and 2', () => {
    const input = [smp('series{label="a"}', 1), smp('series{label="b"}', 2)];
    expect(agg('stddev', input)[0]!.v).toBe(0.5);
    expect(agg('stdvar', input)[0]!.v).toBe(0.25);
  });
});

describe('aggregate: group and quantile', () => {
  const data = vec([
    ['data{test="two samples",point="a"}', 0],
    ['data{test="two samples",point="b"}', 1],
    ['data{test="three samples",point="a"}', 0],
    ['data{test="three samples",point="b"}', 1],
    ['data{test="three samples",point="c"}', 2],
    ['data{test="uneven samples",point="a"}', 0],
    ['data{test="uneven samples",point="b"}', 1],
    ['data{test="uneven samples",point="c"}', 4],
    ['data{test="NaN sample",point="a"}', 0],
    ['data{test="NaN sample",point="b"}', 1],
    ['data{test="NaN sample",point="c"}', NaN],
  ]);

  it('group is 1 per group', () => {
    expect(asSet(agg('group', data.filter((s) => s.metric.get('test') !== 'NaN sample'), without('point')))).toEqual(
      expected([
        ['{test="two samples"}', 1],
        ['{test="three samples"}', 1],
        ['{test="uneven samples"}', 1],
      ]),
    );
    expect(rows(agg('group', [smp('foo', 0.8)]))).toEqual([['{}', 1, false]]);
  });

  it('interpolates the 80th percentile, NaN sorting first', () => {
    const out = agg('quantile', data, without('point'), 0.8);
    expect(out.map((s) => s.metric.toString())).toEqual([
      '{test="NaN sample"}',
      '{test="three samples"}',
      '{test="two samples"}',
      '{test="uneven samples"}',
    ]);
    const got = asSet(out);
    expect(got['{test="two samples"}']).toBeCloseTo(0.8, 12);
    expect(got['{test="three samples"}']).toBeCloseTo(1.6, 12);
    expect(got['{test="uneven samples"}']).toBeCloseTo(2.8, 12);
    expect(got['{test="NaN sample"}']).toBeCloseTo(0.6, 12);
  });

  it('interpolates between NaN and 0 as NaN at the 20th percentile', () => {
    const got = asSet(agg('quantile', data, without('point'), 0.2));
    expect(got['{test="two samples"}']).toBeCloseTo(0.2, 12);
    expect(got['{test="three samples"}']).toBeCloseTo(0.4, 12);
    expect(got['{test="uneven samples"}']).toBeCloseTo(0.4, 12);
    expect(got['{test="NaN sample"}']).toBeNaN();
  });

  it('gives NaN for φ = NaN, -Inf below 0, +Inf above 1, and the extremes at 0 and 1', () => {
    expect(agg('quantile', data, without('point'), NaN).every((s) => Number.isNaN(s.v))).toBe(true);
    expect(agg('quantile', data, without('point'), -0.1).every((s) => s.v === -Infinity)).toBe(true);
    expect(agg('quantile', data, without('point'), 1.1).every((s) => s.v === Infinity)).toBe(true);
    const uneven = data.filter((s) => s.metric.get('test') === 'uneven samples');
    expect(agg('quantile', uneven, by(), 0)[0]!.v).toBe(0);
    expect(agg('quantile', uneven, by(), 1)[0]!.v).toBe(4);
    expect(agg('quantile', uneven, by(), 0.5)[0]!.v).toBe(1);
  });

  it('takes φ per step (Bug #5276: quantile(scalar(foo), data) over a range)', () => {
    const foo = [0, 1, 0, 1, 0, 1, 0.8];
    const want = [0, 4, 0, 4, 0, 4, 2.8];
    const uneven = data.filter((s) => s.metric.get('test') === 'uneven samples');
    foo.forEach((q, i) => expect(aggregate('quantile', uneven, without('point'), q, i * 10_000)[0]!.v).toBeCloseTo(want[i]!, 12));
  });
});

describe('aggregate: topk and bottomk', () => {
  // The topk/bottomk load block at 50m: instance 2 is NaN; storage order is by labels.
  const requests = vec(
    [
      ['http_requests{job="api-server", instance="0", group="production"}', 100],
      ['http_requests{job="api-server", instance="1", group="production"}', 200],
      ['http_requests{job="api-server", instance="2", group="production"}', NaN],
      ['http_requests{job="api-server", instance="0", group="canary"}', 300],
      ['http_requests{job="api-server", instance="1", group="canary"}', 400],
      ['http_requests{job="app-server", instance="0", group="production"}', 500],
      ['http_requests{job="app-server", instance="1", group="production"}', 600],
      ['http_requests{job="app-server", instance="0", group="canary"}', 700],
      ['http_requests{job="app-server", instance="1", group="canary"}', 800],
    ],
    T,
  );
  const where = (f: Record<string, string>) =>
    requests.filter((s) => Object.entries(f).every(([k, v]) => s.metric.get(k) === v));
  const names = (v: Vector) => rows(v).map(([m, x]) => [m, x]);

  it('orders topk descending and bottomk ascending, keeping the input labels and name', () => {
    expect(names(agg('topk', requests, by(), 3))).toEqual([
      ['{__name__="http_requests", group="canary", instance="1", job="app-server"}', 800],
      ['{__name__="http_requests", group="canary", instance="0", job="app-server"}', 700],
      ['{__name__="http_requests", group="production", instance="1", job="app-server"}', 600],
    ]);
    expect(names(agg('bottomk', requests, by(), 3))).toEqual([
      ['{__name__="http_requests", group="production", instance="0", job="api-server"}', 100],
      ['{__name__="http_requests", group="production", instance="1", job="api-server"}', 200],
      ['{__name__="http_requests", group="canary", instance="0", job="api-server"}', 300],
    ]);
    expect(agg('topk', requests, by(), 3).every((s) => s.t === T)).toBe(true);
  });

  it('returns fewer than k when the input is small', () => {
    const canaryApp = where({ group: 'canary', job: 'app-server' });
    expect(names(agg('topk', canaryApp, by(), 5)).map(([, v]) => v)).toEqual([800, 700]);
    expect(names(agg('bottomk', canaryApp, by(), 5)).map(([, v]) => v)).toEqual([700, 800]);
    expect(names(agg('bottomk', canaryApp, by(), 9999999999)).map(([, v]) => v)).toEqual([700, 800]);
  });

  it('works per group', () => {
    expect(asSet(agg('topk', requests, by('group'), 1))).toEqual(
      expected([
        ['http_requests{group="production", instance="1", job="app-server"}', 600],
        ['http_requests{group="canary", instance="1", job="app-server"}', 800],
      ]),
    );
    expect(asSet(agg('bottomk', requests, by('group'), 2))).toEqual(
      expected([
        ['http_requests{group="canary", instance="0", job="api-server"}', 300],
        ['http_requests{group="canary", instance="1", job="api-server"}', 400],
        ['http_requests{group="production", instance="0", job="api-server"}', 100],
        ['http_requests{group="production", instance="1", job="api-server"}', 200],
      ]),
    );
    expect(names(agg('bottomk', where({ group: 'production' }), by('group'), 2)).map(([, v]) => v)).toEqual([100, 200]);
  });

  it('sorts NaN away from the top and the bottom', () => {
    const prodApi = where({ job: 'api-server', group: 'production' });
    expect(names(agg('topk', prodApi, by(), 3)).map(([, v]) => v)).toEqual([200, 100, NaN]);
    expect(names(agg('bottomk', prodApi, by(), 3)).map(([, v]) => v)).toEqual([100, 200, NaN]);
    expect(names(agg('topk', prodApi, by(), 9999999999)).map(([, v]) => v)).toEqual([200, 100, NaN]);
    // A NaN at the top of the heap is replaced by any number.
    expect(names(agg('topk', prodApi, by(), 1)).map(([, v]) => v)).toEqual([200]);
  });

  it('orders ties as Go heap and sort leave them', () => {
    // Traced through Go's container/heap and sort.Sort: 2e ends before 2b.
    const input = [1, 2, 3, 1, 2].map((v, i) => smp(`x{i="${'abcde'[i]}"}`, v, T));
    expect(rows(agg('topk', input, by(), 3)).map(([m]) => m)).toEqual(['{__name__="x", i="c"}', '{__name__="x", i="e"}', '{__name__="x", i="b"}']);
    const ties = [1, 1, 1, 1].map((v, i) => smp(`x{i="${i}"}`, v, T));
    expect(rows(agg('topk', ties, by(), 2)).map(([m]) => m)).toEqual(['{__name__="x", i="0"}', '{__name__="x", i="1"}']);
  });

  it('takes k per step (Bug #5276/#15971: topk(scalar(foo), ...))', () => {
    const foo = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 3];
    foo.forEach((k, i) => expect(aggregate('topk', requests, by(), k, i * 300_000)).toHaveLength(Math.min(k, 9)));
    foo.forEach((k, i) => expect(aggregate('bottomk', requests, by(), k, i * 300_000)).toHaveLength(Math.min(k, 9)));
  });

  it('keeps each sample\'s dropName', () => {
    const input = [smp('metric_total{env="1"}', 0.2, T, true), smp('other{env="1"}', 0.1, T, false)];
    expect(rows(agg('topk', input, by(), 10))).toEqual([
      ['{__name__="metric_total", env="1"}', 0.2, true],
      ['{__name__="other", env="1"}', 0.1, false],
    ]);
  });

  it('validates k as Prometheus does', () => {
    expect(agg('topk', requests, by(), 0)).toEqual([]);
    expect(agg('topk', requests, by(), -5)).toEqual([]);
    expect(agg('bottomk', requests, by(), 0.9)).toEqual([]);
    expect(rows(agg('topk', requests, by(), 1.9))).toHaveLength(1);
    expect(() => agg('topk', [], by(), NaN)).toThrowError(new PromQLError('execution', 'Parameter value is NaN'));
    expect(() => agg('limitk', [], by(), NaN)).toThrowError('Parameter value is NaN');
    expect(() => agg('topk', requests, by(), 1e20)).toThrowError('Scalar value 1e+20 overflows int64');
    expect(() => agg('topk', requests, by(), Infinity)).toThrowError('Scalar value +Inf overflows int64');
    expect(agg('topk', requests, by(), 9223372036854774000)).toHaveLength(9);
    try {
      agg('topk', [], by(), NaN);
    } catch (e) {
      expect(e).toBeInstanceOf(PromQLError);
      expect((e as PromQLError).type).toBe('execution');
    }
  });
});

describe('aggregate: limitk and limit_ratio', () => {
  const input = vec(
    Array.from({ length: 10 }, (_, i) => [`x{i="${i}"}`, 10 - i] as const),
    T,
  );

  it('limitk keeps k samples per group, in heap order', () => {
    // Values 10, 9, 8 pushed on a min-heap by value: 9 rises above 10, then 8 above 9.
    expect(rows(agg('limitk', input, by(), 3)).map(([, v]) => v)).toEqual([8, 10, 9]);
    expect(agg('limitk', input, by('i'), 1)).toHaveLength(10);
    expect(agg('limitk', input, by(), 0)).toEqual([]);
  });

  it('limit_ratio splits series by hash: r and r - 1 are complements, 1 keeps all', () => {
    const half = agg('limit_ratio', input, by(), 0.5).map((s) => s.metric.key);
    const rest = agg('limit_ratio', input, by(), -0.5).map((s) => s.metric.key);
    expect(new Set([...half, ...rest]).size).toBe(10);
    expect(half.length + rest.length).toBe(10);
    expect(agg('limit_ratio', input, by(), 1)).toHaveLength(10);
    expect(agg('limit_ratio', input, by(), 5)).toHaveLength(10);
    expect(agg('limit_ratio', input, by(), -1)).toHaveLength(10);
    expect(agg('limit_ratio', input, by(), 0)).toEqual([]);
    const quarter = agg('limit_ratio', input, by(), 0.25).map((s) => s.metric.key);
    expect(quarter.every((k) => half.includes(k))).toBe(true);
    expect(() => agg('limit_ratio', [], by(), NaN)).toThrowError('Ratio value is NaN');
  });
});

describe('aggregate: count_values', () => {
  const version = vec([
    ['version{job="api-server", instance="0", group="production"}', 6],
    ['version{job="api-server", instance="1", group="production"}', 6],
    ['version{job="api-server", instance="2", group="production"}', 6],
    ['version{job="api-server", instance="0", group="canary"}', 8],
    ['version{job="api-server", instance="1", group="canary"}', 8],
    ['version{job="app-server", instance="0", group="production"}', 6],
    ['version{job="app-server", instance="1", group="production"}', 6],
    ['version{job="app-server", instance="0", group="canary"}', 7],
    ['version{job="app-server", instance="1", group="canary"}', 7],
  ]);

  it('counts values into the named label', () => {
    expect(asSet(agg('count_values', version, by(), 'version'))).toEqual(
      expected([['{version="6"}', 5], ['{version="7"}', 2], ['{version="8"}', 2]]),
    );
    expect(agg('count_values', version, by(), 'version').every((s) => s.dropName === false)).toBe(true);
  });

  it('groups without (instance)', () => {
    expect(asSet(agg('count_values', version, without('instance'), 'version'))).toEqual(
      expected([
        ['{job="api-server", group="production", version="6"}', 3],
        ['{job="api-server", group="canary", version="8"}', 2],
        ['{job="app-server", group="production", version="6"}', 2],
        ['{job="app-server", group="canary", version="7"}', 2],
      ]),
    );
  });

  it('overwrites an input label of the same name', () => {
    const want = expected([['{job="6", group="production"}', 5], ['{job="8", group="canary"}', 2], ['{job="7", group="canary"}', 2]]);
    expect(asSet(agg('count_values', version, without('instance'), 'job'))).toEqual(want);
    expect(asSet(agg('count_values', version, by('job', 'group'), 'job'))).toEqual(want);
  });

  it('formats values as Prometheus does (strconv "f", shortest)', () => {
    const input = [1e21, 0.1, -0, 1.5e-7, Infinity, -Infinity, NaN, 100].map((v, i) => smp(`x{i="${i}"}`, v));
    expect(agg('count_values', input, by(), 'v').map((s) => s.metric.get('v'))).toEqual([
      '1000000000000000000000',
      '0.1',
      '-0',
      '0.00000015',
      '+Inf',
      '-Inf',
      'NaN',
      '100',
    ]);
  });

  it('rejects an invalid label name, even for an empty input', () => {
    expect(() => agg('count_values', [], by(), '')).toThrowError(new PromQLError('execution', 'invalid label name ""'));
    expect(() => agg('count_values', version, by(), 'a\uD800z')).toThrowError('invalid label name "a\\ufffdz"');
    // Prometheus 3 accepts any UTF-8 label name.
    expect(agg('count_values', version, by(), 'a b.c')).toHaveLength(3);
  });

  it('quotes label names as Go does', () => {
    expect(goQuote('a"b\\c\n\u0001é')).toBe('"a\\"b\\\\c\\n\\x01é"');
  });
});

describe('aggregate: metric names and delayed name removal', () => {
  it('keeps __name__ when grouping by it', () => {
    const input = [smp('metric_total{env="1"}', 120)];
    expect(rows(agg('sum', input, by('__name__', 'env')))).toEqual([['{__name__="metric_total", env="1"}', 120, false]]);
  });

  it('marks the output for name removal when any input in the group is marked', () => {
    // sum by (__name__) (metric_total{env="1"} or rate(metric_total{env="2"}[5m]))
    const input = [smp('metric_total{env="1"}', 10), smp('metric_total{env="2"}', 0.05, 0, true)];
    expect(rows(agg('sum', input, by('__name__')))).toEqual([['{__name__="metric_total"}', 10.05, true]]);
    expect(rows(agg('sum', input.slice(0, 1), by('__name__')))).toEqual([['{__name__="metric_total"}', 10, false]]);
    // Aggregating the to-be-dropped names by env adds them up (an accepted side effect).
    const rates = [smp('metric_total{env="1"}', 0.2, 0, true), smp('another_metric_total{env="1"}', 0.2, 0, true)];
    expect(rows(agg('sum', rates, by('env')))).toEqual([['{env="1"}', 0.4, true]]);
  });

  it('never groups by __name__ under without', () => {
    const input = [smp('a{env="1"}', 1), smp('b{env="1"}', 2)];
    expect(rows(agg('sum', input, without()))).toEqual([['{env="1"}', 3, false]]);
  });
});

describe('checkAggregationParams', () => {
  it('raises the errors Prometheus raises over a whole range', () => {
    expect(checkAggregationParams('topk', [0, 0.5])).toEqual([]);
    expect(() => checkAggregationParams('topk', [1, NaN])).toThrowError('Parameter value is NaN');
    expect(() => checkAggregationParams('bottomk', [2, -1e19])).toThrowError('Scalar value -1e+19 underflows int64');
    expect(() => checkAggregationParams('limitk', [2, 1e19])).toThrowError('Scalar value 1e+19 overflows int64');
    expect(() => checkAggregationParams('limit_ratio', [NaN])).toThrowError('Ratio value is NaN');
    expect(checkAggregationParams('limit_ratio', [0, 0])).toEqual([]);
  });

  it('returns the annotations Prometheus adds', () => {
    expect(checkAggregationParams('quantile', [NaN])).toEqual(['PromQL warning: quantile value should be between 0 and 1, got NaN']);
    expect(checkAggregationParams('quantile', [-0.5, 1.5])).toEqual([
      'PromQL warning: quantile value should be between 0 and 1, got 1.5',
      'PromQL warning: quantile value should be between 0 and 1, got -0.5',
    ]);
    expect(checkAggregationParams('limit_ratio', [1.5, -2])).toEqual([
      'PromQL warning: ratio value should be between -1 and 1, got 1.5, capping to 1',
      'PromQL warning: ratio value should be between -1 and 1, got -2, capping to -1',
    ]);
    expect(checkAggregationParams('quantile', [0.5])).toEqual([]);
  });
});

it('lbl parses the promqltest series notation', () => {
  expect(lbl('x{a="1", b="2"}').toString()).toBe('{__name__="x", a="1", b="2"}');
});
