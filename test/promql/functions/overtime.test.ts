import { describe, expect, it } from 'vitest';
import { RANGE_FUNCTIONS } from '../../../promql/functions/range.js';
import { quantileInPlace } from '../../../promql/functions/quantile.js';
import { call, expectClose, load } from './helpers.js';

// Expectations marked "functions.test" are transcribed from Prometheus 3.14's functions.test.

describe('avg_over_time and sum_over_time (functions.test)', () => {
  const metric = load('10s', '1 2 3 4 5');

  it('averages what is in the window', () => {
    expect(call('avg_over_time', metric, '55s', '10s')).toBeUndefined();
    expectClose(call('avg_over_time', metric, '55s', '20s'), 5);
    expectClose(call('avg_over_time', metric, '55s', '1m'), 3);
    expectClose(call('sum_over_time', metric, '55s', '1m'), 15);
  });

  it('follows IEEE rules for infinities', () => {
    const cases: [string, number][] = [
      ['1 2 3 4 Inf', Infinity],
      ['1 2 3 4 -Inf', -Infinity],
      ['1 2 3 Inf -Inf', NaN],
      ['Inf 0 Inf', Infinity],
      ['Inf Inf Inf -Inf', NaN],
      ['1 2 3 -Inf -Inf', -Infinity],
      ['-Inf 0 -Inf', -Infinity],
      ['-Inf -Inf -Inf Inf', NaN],
      ['1 2 -Inf -Inf Inf', NaN],
    ];
    for (const [notation, expected] of cases) {
      const s = load('10s', notation);
      expectClose(call('avg_over_time', s, '55s', '1m'), expected);
      const sum = call('sum_over_time', s, '55s', '1m')!;
      const count = call('count_over_time', s, '55s', '1m')!;
      expectClose(sum / count, expected);
    }
  });

  it('avoids overflow with the incremental mean, while sum_over_time overflows', () => {
    const big = 9.988465674311579e307;
    expectClose(call('avg_over_time', load('10s', `${big} ${big}`), '55s', '1m'), big);
    expect(call('sum_over_time', load('10s', `${big} ${big}`), '55s', '1m')).toBe(Infinity);
    const three = load('10s', `-${big} -${big} -${big}`);
    expectClose(call('avg_over_time', three, '55s', '1m'), -big);
    expect(call('sum_over_time', three, '55s', '1m')).toBe(-Infinity);
    expect(call('avg_over_time', load('10s', `-${big} ${big}`), '55s', '1m')).toBe(0);
  });

  it('propagates NaN', () => {
    const s = load('10s', '1 2 3 NaN NaN');
    expectClose(call('avg_over_time', s, '20s', '1m'), 2);
    expect(call('avg_over_time', s, '30s', '1m')).toBeNaN();
    expect(call('avg_over_time', s, '55s', '1m')).toBeNaN();
  });

  it('keeps detail with Kahan summation', () => {
    const s = load('10s', '1 1e100 1 -1e100');
    expect(call('sum_over_time', s, '1m', '2m')).toBe(2);
    expect(call('avg_over_time', s, '1m', '2m')).toBe(0.5);
  });

  it('is accurate on values of very different magnitudes', () => {
    const cases: [string, number][] = [
      ['1e10 1e-6 1e-6 1e-6 1e-6 1e-6', 1.6666666666666675e9],
      ['5.30921651659898 0.961118537914768 1.62091361305318 0.865089463758091 0.323055185914577 0.951811357687154', 1.67186744582113],
      ['1.78264e50 0.76342771 1.9592258 7.69805412 458.90154', 3.56528e49],
      ['0.76342771 1.9592258 7.69805412 1.78264e50 458.90154', 3.56528e49],
      ['1.78264E+50 0.76342771 1.9592258 2.258E+220 7.69805412 458.90154', 3.76333333333333e219],
      ['-1.78264E+50 0.76342771 1.9592258 2.258E+220 7.69805412 -458.90154', 3.76333333333333e219],
      ['-1.78264E+50 0.76342771 1.9592258 -2.258E+220 7.69805412 -458.90154', -3.76333333333333e219],
      ['-1.78264E+215 0.76342771 1.9592258 2.258E+220 7.69805412 -458.90154', 3.76330362266667e219],
      ['-1.78264E+215 0.76342771 1.9592258 2.258E+220 7.69805412 1.78264E+215 -458.90154', 3.225714285714286e219],
      [
        '-1.78264E+219 0.76342771 1.9592258 2.3757689E+217 -2.3757689E+217 2.258E+220 7.69805412 1.78264E+219 -458.90154',
        2.5088888888888888e219,
      ],
      // Even Kahan summation returns 0 here (the exact answer is -44.848083237000004), as in Prometheus.
      [
        '-2.258E+220 -1.78264E+219 0.76342771 1.9592258 2.3757689E+217 -2.3757689E+217 2.258E+220 7.69805412 1.78264E+219 -458.90154',
        0,
      ],
    ];
    for (const [notation, expected] of cases) expectClose(call('avg_over_time', load('5s', notation), '55s', '1m'), expected);
  });

  it('averages a constant exactly', () => {
    const foo = load('10s', '52+0x100');
    for (const r of ['100s', '110s', '120s', '130s']) expect(call('avg_over_time', foo, '10m', r)).toBe(52);
  });

  it('sums dense samples exactly (left-open window)', () => {
    const dense = load('1ms', '1+0x4000');
    for (const r of [1000, 1001, 1002, 1003, 2000, 2001, 2002, 2003, 3000, 3001, 3002, 3003]) {
      expect(call('sum_over_time', dense, '4s', r)).toBe(r);
    }
  });
});

describe('stddev_over_time and stdvar_over_time (functions.test)', () => {
  it('computes the population variance', () => {
    const s = load('10s', '0 8 8 2 3');
    expectClose(call('stdvar_over_time', s, '1m', '2m'), 10.56);
    expectClose(call('stddev_over_time', s, '1m', '2m'), 3.249615);
  });

  it('is exactly 0 for a constant (#4927)', () => {
    const s = load('10s', '1.5990505637277868 1.5990505637277868 1.5990505637277868');
    expect(call('stdvar_over_time', s, '55s', '1m')).toBe(0);
    expect(call('stddev_over_time', s, '55s', '1m')).toBe(0);
  });

  it('is 0 for one sample and NaN with a NaN', () => {
    expect(call('stdvar_over_time', load('10s', '7'), '0s', '1m')).toBe(0);
    expect(call('stddev_over_time', load('10s', '1 NaN 3'), '20s', '1m')).toBeNaN();
  });
});

describe('mad_over_time (functions.test)', () => {
  it('is the median absolute deviation', () => {
    expectClose(call('mad_over_time', load('10s', '4 6 2 1 999 1 2'), '70s', '70s'), 1);
    expectClose(call('mad_over_time', load('10s', '1 2 3 4 5'), '40s', '50s'), 1);
    expectClose(call('mad_over_time', load('10s', '7 7 7 7 7'), '40s', '50s'), 0);
    expectClose(call('mad_over_time', load('10s', '5'), '0s', '10s'), 0);
  });

  it('is NaN when a sample is NaN (Prometheus 3.14)', () => {
    expect(call('mad_over_time', load('10s', '1 2 NaN 4'), '30s', '40s')).toBeNaN();
  });
});

describe('min, max and the timestamps of extremes (functions.test)', () => {
  const data: [string, number, number][] = [
    ['2 0 3', 0, 3],
    ['2 0 NaN', 0, 2],
    ['2 NaN 1', 1, 2],
    ['NaN 0 1', 0, 1],
    ['NaN NaN NaN', NaN, NaN],
  ];

  it('skip NaN unless there is nothing else', () => {
    for (const [notation, min, max] of data) {
      const s = load('10s', notation);
      expectClose(call('min_over_time', s, '1m', '2m'), min);
      expectClose(call('max_over_time', s, '1m', '2m'), max);
    }
    const sparse = load('10s', '_ 5 2 _ 4 _');
    expect(call('min_over_time', sparse, '1m', '2m')).toBe(2);
    expect(call('max_over_time', sparse, '1m', '2m')).toBe(5);
  });

  it('ts_of_min/max_over_time give the time in seconds (odd interval, no rounding drift)', () => {
    const s = load('10s53ms', '1 2 3 0 5 6 2 1 4');
    expectClose(call('ts_of_min_over_time', s, '90s', '90s'), 30.159);
    expectClose(call('ts_of_max_over_time', s, '90s', '90s'), 50.265);
  });

  it('ts_of_min/max_over_time pick the latest of equal extremes', () => {
    const s = load('10s', '3 1 3 1');
    expect(call('ts_of_min_over_time', s, '30s', '1m')).toBe(30);
    expect(call('ts_of_max_over_time', s, '30s', '1m')).toBe(20);
  });

  it('ts_of_last/first_over_time', () => {
    const s = load('10s53ms', '1 2 3 _ _');
    expectClose(call('ts_of_last_over_time', s, '90s', '90s'), 20.106);
    expectClose(call('ts_of_last_over_time', s, '95s', '90s'), 20.106);
    const f = load('10s53ms', '_ _ 1 2 3 _ _');
    expectClose(call('ts_of_first_over_time', f, '90s', '90s'), 20.106);
    expectClose(call('ts_of_first_over_time', f, '95s', '90s'), 20.106);
    expect(call('ts_of_first_over_time', f, '15s', '90s')).toBeUndefined();
  });
});

describe('last, first, count and present over time (functions.test)', () => {
  it('pick the right samples', () => {
    const cases: [string, number, number][] = [
      ['2 0 3', 3, 2],
      ['2 0 NaN', NaN, 2],
      ['2 NaN 1', 1, 2],
      ['NaN 0 1', 1, NaN],
    ];
    for (const [notation, last, first] of cases) {
      const s = load('10s', notation);
      expectClose(call('last_over_time', s, '1m', '2m'), last);
      expectClose(call('first_over_time', s, '1m', '2m'), first);
      expect(call('count_over_time', s, '1m', '2m')).toBe(3);
      expect(call('present_over_time', s, '1m', '2m')).toBe(1);
    }
    const sparse = load('10s', '_ 5 2 _ 4 _');
    expect(call('last_over_time', sparse, '1m', '2m')).toBe(4);
    expect(call('first_over_time', sparse, '1m', '2m')).toBe(5);
    expect(call('count_over_time', sparse, '1m', '2m')).toBe(3);
  });

  it('present_over_time follows the window, staleness ends presence', () => {
    const s = load('1m', '1+1x10');
    expect(call('present_over_time', s, '5m', '5m')).toBe(1);
    expect(call('present_over_time', s, '15m', '5m')).toBeUndefined();
    expect(call('present_over_time', s, '15m', '10m')).toBe(1);
    const once = load('1m', '1');
    expect(call('present_over_time', once, '0m', '30s')).toBe(1);
    expect(call('present_over_time', once, '1m', '30s')).toBeUndefined();
    expect(call('present_over_time', load('1m', '1 stale'), '1m', '30s')).toBeUndefined();
  });

  it('only last_over_time and first_over_time keep the metric name', () => {
    const keep = [...RANGE_FUNCTIONS].filter(([, d]) => !d.dropsName).map(([n]) => n);
    expect(keep.sort()).toEqual(['first_over_time', 'last_over_time']);
  });
});

describe('quantile_over_time (functions.test)', () => {
  const two = load('10s', '0 1');
  const three = load('10s', '0 1 2');
  const uneven = load('10s', '0 1 4');

  it('interpolates between ranks', () => {
    const cases: [number, number, number, number][] = [
      [0, 0, 0, 0],
      [0.5, 0.5, 1, 1],
      [0.75, 0.75, 1.5, 2.5],
      [0.8, 0.8, 1.6, 2.8],
      [1, 1, 2, 4],
      [-1, -Infinity, -Infinity, -Infinity],
      [2, Infinity, Infinity, Infinity],
    ];
    for (const [q, a, b, c] of cases) {
      expectClose(call('quantile_over_time', two, '1m', '2m', [q]), a);
      expectClose(call('quantile_over_time', three, '1m', '2m', [q]), b);
      expectClose(call('quantile_over_time', uneven, '1m', '2m', [q]), c);
    }
    expect(call('quantile_over_time', three, '1m', '2m', [NaN])).toBeNaN();
  });

  it('warns about φ outside [0, 1] and NaN, on the φ argument', () => {
    const check = RANGE_FUNCTIONS.get('quantile_over_time')!.checkArgs!;
    expect(check([0.5])).toBeUndefined();
    expect(check([0])).toBeUndefined();
    expect(check([2])).toEqual({ kind: 'warning', message: 'quantile value should be between 0 and 1, got 2', argIndex: 0 });
    expect(check([-1])?.message).toBe('quantile value should be between 0 and 1, got -1');
    expect(check([NaN])?.message).toBe('quantile value should be between 0 and 1, got NaN');
  });

  it('sorts NaN first, as Prometheus', () => {
    const buf = new Float64Array([2, NaN, 1]);
    expectClose(quantileInPlace(0.5, buf, 3), 1);
    expect(quantileInPlace(0, new Float64Array([2, NaN, 1]), 3)).toBeNaN();
    expect(quantileInPlace(1, new Float64Array([2, NaN, 1]), 3)).toBe(2);
  });
});
