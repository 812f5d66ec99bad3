import { describe, expect, it } from 'vitest';
import { Labels } from '../../../model/labels.js';
import { bucketFraction, bucketQuantile, monotonicity } from '../../../promql/functions/buckets.js';
import { formatAnnotation } from '../../../promql/functions/annotations.js';
import type { Vector } from '../../../promql/value.js';
import { collecting, expectClose, expectVector, inst, sample } from './helpers.js';

// Expectations marked "histograms.test" are transcribed from Prometheus 3.14's histograms.test
// (classic `le` buckets; the native-histogram twins of those blocks are out of scope).

/** buckets builds a classic histogram's bucket samples: [le, count] pairs with common labels. */
function buckets(name: string, labels: Record<string, string>, pairs: [string, number][], extra = {}): Vector {
  return pairs.map(([le, v]) => sample({ __name__: name, ...labels, le }, v, extra));
}

// At 50m every series "0+kx10" is at 10k.
const testhistogram = [
  ...buckets('testhistogram_bucket', { start: 'positive' }, [
    ['0.1', 50],
    ['.2', 70],
    ['1e0', 110],
    ['+Inf', 120],
  ]),
  ...buckets('testhistogram_bucket', { start: 'negative' }, [
    ['-.2', 10],
    ['-0.1', 20],
    ['0.3', 20],
    ['+Inf', 30],
  ]),
];
const testhistogram2 = buckets('testhistogram2_bucket', {}, [
  ['0', 0],
  ['2', 10],
  ['4', 20],
  ['6', 30],
  ['+Inf', 30],
]);
const testhistogram3 = [
  ...buckets('testhistogram3_bucket', { start: 'positive' }, [
    ['0', 0],
    ['0.1', 50],
    ['.2', 70],
    ['1e0', 110],
    ['+Inf', 110],
  ]),
  ...buckets('testhistogram3_bucket', { start: 'negative' }, [
    ['-.25', 0],
    ['-.2', 10],
    ['-0.1', 20],
    ['0.3', 20],
    ['+Inf', 20],
  ]),
];
const POS = { __name__: 'testhistogram_bucket', start: 'positive' };
const NEG = { __name__: 'testhistogram_bucket', start: 'negative' };
const POS3 = { __name__: 'testhistogram3_bucket', start: 'positive' };
const NEG3 = { __name__: 'testhistogram3_bucket', start: 'negative' };

describe('histogram_quantile over classic buckets (histograms.test)', () => {
  it('interpolates inside buckets, from 0 when the first bound is positive', () => {
    const cases: [number, number, number][] = [
      [0, 0, -0.25],
      [0.25, 0.055, -0.225],
      [0.5, 0.125, -0.2],
      [0.75, 0.45, -0.15],
      [1, 1, -0.1],
    ];
    for (const [q, pos, neg] of cases) {
      expectVector(inst('histogram_quantile', [q, testhistogram3]), [
        [POS3, pos],
        [NEG3, neg],
      ]);
    }
  });

  it('gives -Inf, +Inf and NaN for φ < 0, φ > 1 and NaN, with a warning on the φ argument', () => {
    const cases: [number, number, string][] = [
      [-0.1, -Infinity, '-0.1'],
      [1.01, Infinity, '1.01'],
      [NaN, NaN, 'NaN'],
    ];
    for (const [q, v, text] of cases) {
      const ctx = collecting();
      expectVector(inst('histogram_quantile', [q, testhistogram], ctx), [
        [POS, v],
        [NEG, v],
      ]);
      expect(ctx.annotations).toEqual([{ kind: 'warning', message: `quantile value should be between 0 and 1, got ${text}`, argIndex: 0 }]);
    }
    const empty = collecting();
    expect(inst('histogram_quantile', [NaN, []], empty)).toEqual([]);
    expect(empty.annotations).toHaveLength(1);
  });

  it('answers the lowest and highest buckets as Prometheus does', () => {
    expectVector(inst('histogram_quantile', [0, testhistogram]), [
      [POS, 0],
      [NEG, -0.2],
    ]);
    expectVector(inst('histogram_quantile', [1, testhistogram]), [
      [POS, 1],
      [NEG, 0.3],
    ]);
  });

  it('computes useful quantiles', () => {
    const cases: [number, number, number][] = [
      [0.2, 0.048, -0.2],
      [0.5, 0.15, -0.15],
      [0.8, 0.72, 0.3],
    ];
    for (const [q, pos, neg] of cases) {
      const ctx = collecting();
      expectVector(inst('histogram_quantile', [q, testhistogram], ctx), [
        [POS, pos],
        [NEG, neg],
      ]);
      expect(ctx.annotations).toEqual([]);
    }
  });

  it('lands exactly in the middle of buckets', () => {
    const only = { __name__: 'testhistogram2_bucket' };
    expectVector(inst('histogram_quantile', [1 / 6, testhistogram2]), [[only, 1]]);
    expectVector(inst('histogram_quantile', [0.5, testhistogram2]), [[only, 3]]);
    expectVector(inst('histogram_quantile', [5 / 6, testhistogram2]), [[only, 5]]);
  });

  it('groups by all labels but le, here after sum by (le, job, instance)', () => {
    // rate(request_duration_seconds_bucket[10m]) at 50m is k/300 per second for 0+kx10.
    const r = (job: string, instance: string, counts: [number, number, number]): Vector =>
      buckets('', { job, instance }, [
        ['0.1', counts[0] / 300],
        ['0.2', counts[1] / 300],
        ['+Inf', counts[2] / 300],
      ]);
    const rates = [...r('job1', 'ins1', [1, 3, 4]), ...r('job1', 'ins2', [2, 5, 6]), ...r('job2', 'ins1', [3, 4, 6]), ...r('job2', 'ins2', [4, 7, 9])];
    expectVector(inst('histogram_quantile', [0.3, rates]), [
      [{ instance: 'ins1', job: 'job1' }, 0.11],
      [{ instance: 'ins2', job: 'job1' }, 0.09],
      [{ instance: 'ins1', job: 'job2' }, 0.06],
      [{ instance: 'ins2', job: 'job2' }, 0.0675],
    ]);
    expectVector(inst('histogram_quantile', [0.5, rates]), [
      [{ instance: 'ins1', job: 'job1' }, 0.15],
      [{ instance: 'ins2', job: 'job1' }, 0.13333333333333333],
      [{ instance: 'ins1', job: 'job2' }, 0.1],
      [{ instance: 'ins2', job: 'job2' }, 0.11666666666666667],
    ]);
    // sum by (le): everything in one histogram.
    const all = buckets('', {}, [
      ['0.1', 10 / 300],
      ['0.2', 19 / 300],
      ['+Inf', 25 / 300],
    ]);
    expectVector(inst('histogram_quantile', [0.3, all]), [[{}, 0.075]]);
    expectVector(inst('histogram_quantile', [0.5, all]), [[{}, 0.1277777777777778]]);
  });

  it('coalesces different spellings of one bound', () => {
    // rate(mixed_bucket[10m]) at 50m.
    const mixed = [
      ...buckets('mixed_bucket', { job: 'job1', instance: 'ins1' }, [
        ['0.1', 1 / 300],
        ['0.2', 1 / 300],
        ['2e-1', 1 / 300],
        ['2.0e-1', 1 / 300],
        ['+Inf', 4 / 300],
      ]),
      ...buckets('mixed_bucket', { job: 'job1', instance: 'ins2' }, [
        ['+inf', 0],
        ['+Inf', 0],
      ]),
    ];
    const labels1 = { __name__: 'mixed_bucket', job: 'job1', instance: 'ins1' };
    const labels2 = { __name__: 'mixed_bucket', job: 'job1', instance: 'ins2' };
    expectVector(inst('histogram_quantile', [0.5, mixed]), [
      [labels1, 0.15],
      [labels2, NaN],
    ]);
    expectVector(inst('histogram_quantile', [0.75, mixed]), [
      [labels1, 0.2],
      [labels2, NaN],
    ]);
    expectVector(inst('histogram_quantile', [1, mixed]), [
      [labels1, 0.2],
      [labels2, NaN],
    ]);
  });

  it('is NaN without observations', () => {
    const empty = buckets('', { job: 'job1', instance: 'ins1' }, [
      ['0.1', 0],
      ['0.2', 0],
      ['+Inf', 0],
    ]);
    expectVector(inst('histogram_quantile', [0.2, empty]), [[{ job: 'job1', instance: 'ins1' }, NaN]]);
    const constant = buckets('', {}, [
      ['0.0', 0],
      ['1.0', 0],
      ['2.0', 0],
      ['+Inf', 0],
    ]);
    expectVector(inst('histogram_quantile', [1, constant]), [[{}, NaN]]);
  });

  it('forces monotonicity with an info annotation', () => {
    const nonmonotonic = buckets('nonmonotonic_bucket', {}, [
      ['0.1', 20],
      ['1', 10],
      ['10', 50],
      ['100', 40],
      ['1000', 90],
      ['+Inf', 80],
    ]);
    const cases: [number, number][] = [
      [0.01, 0.0045],
      [0.5, 8.5],
      [0.99, 979.75],
    ];
    for (const [q, v] of cases) {
      const ctx = collecting(3_000_000);
      expectVector(inst('histogram_quantile', [q, nonmonotonic], ctx), [[{ __name__: 'nonmonotonic_bucket' }, v]]);
      expect(ctx.annotations).toHaveLength(1);
      const a = ctx.annotations[0]!;
      expect(a.kind).toBe('info');
      expect(a.argIndex).toBe(1);
      expect(a.monotonicity).toEqual({ minT: 3_000_000, maxT: 3_000_000, minBucket: 1, maxBucket: Infinity, maxDiff: 10, count: 0 });
      expect(formatAnnotation(a, '1:25')).toBe(
        'PromQL info: input to histogram_quantile needed to be fixed for monotonicity ' +
          '(see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) ' +
          'for metric name "nonmonotonic_bucket", from buckets 1 to +Inf, with a max diff of 10, ' +
          'over 1 samples from 1970-01-01T00:50:00Z to 1970-01-01T00:50:00Z (1:25)',
      );
    }
  });

  it('warns about a missing or malformed le and skips the sample', () => {
    for (const [labels, le] of [
      [{ __name__: 'series', ale: '0.1' }, ''],
      [{ __name__: 'series', le: 'Hello World' }, 'Hello World'],
    ] as const) {
      const ctx = collecting();
      expect(inst('histogram_quantile', [0.8, [sample(labels, 2)]], ctx)).toEqual([]);
      expect(ctx.annotations).toEqual([
        { kind: 'warning', message: `bucket label "le" is missing or has a malformed value of "${le}" for metric name "series"`, argIndex: 1 },
      ]);
    }
  });

  it('keeps the metric name in the group and marks it for removal', () => {
    const two = [
      ...buckets('request_duration_seconds_bucket', { job: 'job1' }, [
        ['0.1', 1],
        ['+Inf', 4],
      ]),
      ...buckets('request_duration_seconds2_bucket', { job: 'job1' }, [
        ['0.1', 1],
        ['+Inf', 4],
      ]),
    ];
    const out = inst('histogram_quantile', [0.99, two]);
    // Two outputs that differ only by name: the engine's name removal turns them into duplicates
    // and fails the query, as Prometheus does.
    expect(out.map((s) => s.metric)).toEqual([
      Labels.from({ __name__: 'request_duration_seconds_bucket', job: 'job1' }),
      Labels.from({ __name__: 'request_duration_seconds2_bucket', job: 'job1' }),
    ]);
    expect(out.every((s) => s.dropName === true)).toBe(true);
  });

  it('does not change its input', () => {
    const input = testhistogram.map((s) => ({ ...s }));
    inst('histogram_quantile', [0.5, input]);
    expect(input).toEqual(testhistogram);
  });
});

describe('histogram_quantiles (histograms.test)', () => {
  it('emits one series per φ, labelled in OpenMetrics float form', () => {
    const out = inst('histogram_quantiles', [testhistogram3, 'q', 0, 0.25, 0.5, 0.75, 1]);
    expectVector(out, [
      [{ ...POS3, q: '0.0' }, 0],
      [{ ...NEG3, q: '0.0' }, -0.25],
      [{ ...POS3, q: '0.25' }, 0.055],
      [{ ...NEG3, q: '0.25' }, -0.225],
      [{ ...POS3, q: '0.5' }, 0.125],
      [{ ...NEG3, q: '0.5' }, -0.2],
      [{ ...POS3, q: '0.75' }, 0.45],
      [{ ...NEG3, q: '0.75' }, -0.15],
      [{ ...POS3, q: '1.0' }, 1],
      [{ ...NEG3, q: '1.0' }, -0.1],
    ]);
    expect(out.every((s) => s.dropName === true)).toBe(true);
  });

  it('labels invalid φ and warns once per φ argument', () => {
    const ctx = collecting();
    expectVector(inst('histogram_quantiles', [testhistogram, 'q', -0.1, NaN], ctx), [
      [{ ...POS, q: '-0.1' }, -Infinity],
      [{ ...NEG, q: '-0.1' }, -Infinity],
      [{ ...POS, q: 'NaN' }, NaN],
      [{ ...NEG, q: 'NaN' }, NaN],
    ]);
    expect(ctx.annotations.map((a) => a.argIndex)).toEqual([2, 3]);
  });

  it('reports forced monotonicity on the vector argument, once: the repair sticks for later φ as in Prometheus', () => {
    const ctx = collecting();
    const nonmonotonic = buckets('nonmonotonic_bucket', {}, [
      ['0.1', 20],
      ['1', 10],
      ['+Inf', 80],
    ]);
    inst('histogram_quantiles', [nonmonotonic, 'q', 0.01, 0.5], ctx);
    expect(ctx.annotations.map((a) => [a.kind, a.argIndex])).toEqual([['info', 0]]);
  });

  it('overwrites a label of the same name (the engine then finds duplicates)', () => {
    const out = inst('histogram_quantiles', [testhistogram3, 'start', 0.5]);
    expect(out.map((s) => s.metric.get('start'))).toEqual(['0.5', '0.5']);
  });
});

describe('histogram_fraction over classic buckets (histograms.test)', () => {
  const h = (name: string, pairs: [string, number][]): Vector => buckets(name, {}, pairs);
  const frac = (lower: number, upper: number, vec: Vector): number => {
    const out = inst('histogram_fraction', [lower, upper, vec]);
    expect(out).toHaveLength(1);
    expect(out[0]!.dropName).toBe(true);
    return out[0]!.v;
  };
  const pos: [string, number][] = [
    ['1', 1],
    ['2', 3],
    ['3', 6],
    ['+Inf', 100],
  ];
  const neg: [string, number][] = [
    ['-3', 10],
    ['-2', 12],
    ['-1', 15],
    ['+Inf', 100],
  ];

  it('matches the worked examples', () => {
    expectClose(frac(0, 4, testhistogram2), 0.6666666666666666);
    expectClose(frac(0, 6, testhistogram2), 1);
    expectClose(frac(0, 3.5, testhistogram2), 0.5833333333333334);
    expectVector(inst('histogram_fraction', [0, 0.2, testhistogram3]), [
      [POS3, 0.6363636363636364],
      [NEG3, 0],
    ]);
    expectClose(frac(0, 1.5, h('a', pos)), 0.02);
    expectClose(frac(-4, -2, h('a', neg)), 0.02);
    expectClose(frac(-Infinity, -1.5, h('a', neg)), 0.135);
    expectClose(frac(-Infinity, Infinity, h('a', pos)), 1);
    expectClose(frac(-Infinity, Infinity, h('a', neg)), 1);
    expectClose(frac(4, 5, h('a', pos)), 0);
    expectClose(frac(0, 1, h('a', neg)), 0);
    expectClose(frac(2, 5, h('a', pos)), 0.03);
    expectClose(frac(400, Infinity, h('a', pos)), 0.94);
    expectClose(frac(2, 2, h('a', pos)), 0);
    expectClose(frac(3, 2, h('a', pos)), 0);
    expectClose(frac(0, 1, h('a', [['+Inf', 100]])), 0);
    expectClose(frac(2, 3.5, h('a', pos)), 0.03);
    expectClose(frac(0.5, 2, h('a', pos)), 0.025);
    expectClose(frac(1, 3, h('a', pos)), 0.05);
  });

  it('handles fractional bounds, ranges across zero and ranges outside the buckets', () => {
    expectClose(
      frac(0.1, 0.75, h('a', [['0.5', 2.5], ['1', 7.5], ['+Inf', 100]])),
      0.045,
    );
    expectClose(
      frac(-1, 1, h('a', [['-2', 5], ['-1', 10], ['0', 15], ['1', 20], ['+Inf', 100]])),
      0.1,
    );
    const small: [string, number][] = [
      ['1', 1],
      ['2', 3],
      ['+Inf', 10],
    ];
    expectClose(frac(-10, -5, h('a', small)), 0);
    expectClose(frac(5, 10, h('a', small)), 0);
  });

  it('is NaN without observations, for NaN bounds, or without a +Inf bucket', () => {
    expect(frac(0, 5, h('a', [['1', 0], ['2', 0], ['3', 0], ['+Inf', 0]]))).toBeNaN();
    expect(frac(NaN, 1, h('a', [['1', 1], ['+Inf', 100]]))).toBeNaN();
    expect(frac(0, NaN, h('a', [['1', 1], ['+Inf', 100]]))).toBeNaN();
    expect(frac(0, 1, h('a', [['1', 1], ['2', 100]]))).toBeNaN();
  });

  it('warns about bad le on the vector argument', () => {
    const ctx = collecting();
    expect(inst('histogram_fraction', [-Infinity, 1, [sample({ __name__: 'series', le: 'x' }, 1)]], ctx)).toEqual([]);
    expect(ctx.annotations[0]!.argIndex).toBe(2);
  });
});

describe('bucketQuantile and bucketFraction by hand', () => {
  it('return the first bound when it is not positive and the rank falls in it', () => {
    expect(bucketQuantile(0.1, [-1, Infinity], [5, 10], 2)).toBe(-1);
    expect(bucketQuantile(0.1, [0, Infinity], [5, 10], 2)).toBe(0);
  });

  it('return the highest finite bound when the rank is in the +Inf bucket', () => {
    expect(bucketQuantile(0.99, [1, 2, Infinity], [1, 2, 10], 3)).toBe(2);
  });

  it('need a +Inf bucket and two buckets, but φ rules come first', () => {
    expect(bucketQuantile(0.5, [1, 2], [1, 2], 2)).toBeNaN();
    expect(bucketQuantile(0.5, [Infinity], [10], 1)).toBeNaN();
    expect(bucketQuantile(-1, [1, 2], [1, 2], 2)).toBe(-Infinity);
    expect(bucketQuantile(2, [1, 2], [1, 2], 2)).toBe(Infinity);
  });

  it('silently absorb float noise and report real decreases', () => {
    const ub = [1, 2, Infinity];
    const cnt = [1e13, 1e13 - 1e-1, 2e13];
    bucketQuantile(0.5, ub, cnt, 3);
    expect(monotonicity.forced).toBe(false);
    expect(monotonicity.fixedPrecision).toBe(true);
    expect(cnt[1]).toBe(1e13);
    bucketQuantile(0.5, [1, 2, Infinity], [10, 5, 20], 3);
    expect(monotonicity.forced).toBe(true);
    expect(monotonicity.maxDiff).toBe(5);
  });

  it('sort unsorted buckets', () => {
    expectClose(bucketQuantile(0.5, [Infinity, 2, 4, 0, 6], [30, 10, 20, 0, 30], 5), 3);
    expectClose(bucketFraction(0, 4, [Infinity, 4, 2], [30, 20, 10], 3), 20 / 30);
  });
});
