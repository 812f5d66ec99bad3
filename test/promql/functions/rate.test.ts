import { describe, expect, it } from 'vitest';
import { durationSeconds, extrapolatedRate } from '../../../promql/functions/rate.js';
import { RANGE_FUNCTIONS } from '../../../promql/functions/range.js';
import { call, expectClose, load } from './helpers.js';

// Expectations marked "functions.test" are transcribed from Prometheus's promqltest script
// (/work/shared/promqltest/functions.test, Prometheus 3.14); the others are worked by hand.

describe('resets and changes (functions.test)', () => {
  const foo = load('5m', '1 2 3 0 1 0 0 1 2 0');
  const bar = load('5m', '1 2 3 4 5 1 2 3 4 5');
  const biz = load('5m', '0 0 0 0 0 1 1 1 1 1');

  it('resets over growing windows', () => {
    expect(call('resets', foo, '50m', '5m')).toBeUndefined(); // empty window: no output
    const cases: [string, number, number, number][] = [
      ['10m', 0, 0, 0],
      ['20m', 1, 0, 0],
      ['30m', 1, 0, 0],
      ['32m', 2, 1, 0],
      ['50m', 3, 1, 0],
    ];
    for (const [range, f, b, z] of cases) {
      expect(call('resets', foo, '50m', range)).toBe(f);
      expect(call('resets', bar, '50m', range)).toBe(b);
      expect(call('resets', biz, '50m', range)).toBe(z);
    }
    expect(call('resets', foo, '50m', 600_000)).toBe(0);
  });

  it('changes over growing windows', () => {
    expect(call('changes', foo, '50m', '5m')).toBeUndefined();
    const cases: [string, number, number, number][] = [
      ['6m', 0, 0, 0],
      ['20m', 2, 2, 0],
      ['30m', 3, 4, 0],
      ['50m', 7, 8, 1],
    ];
    for (const [range, f, b, z] of cases) {
      expect(call('changes', foo, '50m', range)).toBe(f);
      expect(call('changes', bar, '50m', range)).toBe(b);
      expect(call('changes', biz, '50m', range)).toBe(z);
    }
  });

  it('changes: NaN to NaN is no change, number to NaN and back are two', () => {
    expect(call('changes', load('5m', 'NaN NaN NaN'), '15m', '20m')).toBe(0);
    expect(call('changes', load('5m', '0 NaN 0'), '15m', '20m')).toBe(2);
  });

  it('resets: NaN is never a reset, a single sample has none', () => {
    expect(call('resets', load('5m', '5 NaN 3'), '10m', '20m')).toBe(0);
    expect(call('resets', load('5m', '5'), '0m', '1m')).toBe(0);
  });
});

describe('increase (functions.test)', () => {
  const foo = load('5m', '0+10x10');
  const bar = load('5m', '0+18x5 0+18x5');
  const dings = load('5m', '10+10x10');
  const bumms = load('5m', '1+10x10');

  it('covers the whole range without extrapolation', () => {
    expectClose(call('increase', foo, '50m', '50m'), 100);
    expectClose(call('increase', bar, '50m', '50m'), 160);
    expectClose(call('increase', dings, '50m', '50m'), 100);
    expectClose(call('increase', bumms, '50m', '50m'), 100);
  });

  it('extrapolates at most half an interval, and never below the zero point of a counter', () => {
    expectClose(call('increase', foo, '50m', '100m'), 100);
    expectClose(call('increase', bar, '50m', '100m'), 162);
    expectClose(call('increase', dings, '50m', '100m'), 105);
    expectClose(call('increase', bumms, '50m', '100m'), 101);
  });

  it('treats a decrease as a reset to zero', () => {
    expectClose(call('increase', load('5m', '0 1 2 3 2 3 4'), '30m', '30m'), 7);
  });
});

describe('rate (functions.test)', () => {
  it('handles a reset in the middle and ignores one at the very end', () => {
    expectClose(call('rate', load('5m', '0+27x4 0+27x5'), '50m', '50m'), 0.08);
    const endReset = load('5m', '0+10x9 0 10');
    expect(call('rate', endReset, '50m', '5m')).toBeUndefined();
    expectClose(call('rate', endReset, '50m', '6m'), 0);
  });

  it('is per second, and honours offset', () => {
    expectClose(call('rate', load('5m', '0+80x10'), '50m', '50m'), 0.26666666666666666);
    expectClose(call('rate', load('5m', '0+10x10'), '50m', '10m', [], '5m'), 0.03333333333333333);
    expectClose(call('rate', load('5m', '0+20x10'), '50m', '10m', [], '5m'), 0.06666666666666667);
  });

  it('cuts left extrapolation at the zero point until half an interval', () => {
    const starts: [string, number, number][] = [
      ['0+240x10', 0.5, 0.6],
      ['60+240x10', 0.55, 0.6],
      ['120+240x10', 0.6, 0.6],
      ['180+240x10', 0.6, 0.6],
      ['240+240x10', 0.6, 0.6],
      ['300+240x10', 0.6, 0.6],
    ];
    for (const [notation, at10m, at50m] of starts) {
      const s = load('4m', notation);
      expectClose(call('rate', s, '10m', '20m'), at10m);
      expectClose(call('rate', s, '50m', '20m'), at50m);
    }
  });

  it('needs two samples', () => {
    expect(call('rate', load('5m', '1'), '1m', '5m')).toBeUndefined();
    expect(call('increase', load('5m', '1'), '1m', '5m')).toBeUndefined();
    expect(call('delta', load('5m', '1'), '1m', '5m')).toBeUndefined();
  });

  it('never sees staleness markers (they are not samples)', () => {
    const s = load('1m', '0 10 stale 20 30');
    // Window (0, 4m]: 10@1m, 20@3m, 30@4m; 2 intervals over 3m, average 1.5m.
    // Extrapolated to the start: 1m < 1.65m and the zero point is 1.5m back, so 1m; end: 0.
    expectClose(call('increase', s, '4m', '4m'), 20 * (3 + 1) / 3);
  });
});

describe('extrapolatedRate by hand', () => {
  // Window (0s, 60s], samples every 10s from 10s to 50s: 4 intervals of 10s, 10s short at the end.
  const ts = [10_000, 20_000, 30_000, 40_000, 50_000];

  it('extrapolates to both boundaries when the gaps are within 1.1 intervals', () => {
    const vs = [100, 110, 120, 130, 140];
    // Start: 10s < 11s, zero point is 1000s back: full 10s. End: 10s < 11s: full. (40+20)/40.
    expectClose(extrapolatedRate(ts, vs, 0, 5, 60_000, 60_000, true, false), 40 * (60 / 40));
    expectClose(extrapolatedRate(ts, vs, 0, 5, 60_000, 60_000, true, true), 40 * (60 / 40) / 60);
  });

  it('extrapolates half an interval when a boundary is 1.1 intervals or more away', () => {
    const vs = [100, 110, 120, 130, 140];
    // Range 71s: start gap 21s >= 11s -> 5s; end gap 10s -> 10s. (40+5+10)/40.
    expectClose(extrapolatedRate(ts, vs, 0, 5, 60_000, 71_000, false, false), 40 * (55 / 40));
  });

  it('limits the start to the zero point for counters only', () => {
    const vs = [2, 12, 22, 32, 42];
    // Zero point 2s before the first sample: (40+2+10)/40 for a counter, (40+10+10)/40 for delta.
    expectClose(extrapolatedRate(ts, vs, 0, 5, 60_000, 60_000, true, false), 40 * (52 / 40));
    expectClose(extrapolatedRate(ts, vs, 0, 5, 60_000, 60_000, false, false), 40 * (60 / 40));
  });

  it('does not use the zero point for a first sample below zero or a non-positive increase', () => {
    expectClose(extrapolatedRate(ts, [-10, 0, 10, 20, 30], 0, 5, 60_000, 60_000, true, false), 40 * (60 / 40));
    expectClose(extrapolatedRate(ts, [5, 5, 5, 5, 5], 0, 5, 60_000, 60_000, true, false), 0);
  });

  it('adds the value before each reset', () => {
    // 100 110 5 15 25: resets once (110 -> 5): 25 - 100 + 110 = 35.
    expectClose(extrapolatedRate(ts, [100, 110, 5, 15, 25], 0, 5, 50_000, 40_000, true, false), 35);
  });

  it('delta goes negative, rate of a counter does not', () => {
    expectClose(extrapolatedRate(ts, [140, 130, 120, 110, 100], 0, 5, 50_000, 40_000, false, false), -40);
  });

  it('propagates NaN and Inf', () => {
    expect(extrapolatedRate(ts, [1, NaN, 3, 4, 5], 0, 5, 50_000, 40_000, false, false)).toBe(4);
    expect(extrapolatedRate(ts, [1, 2, 3, 4, NaN], 0, 5, 50_000, 40_000, true, false)).toBeNaN();
    expect(extrapolatedRate(ts, [1, 2, 3, 4, Infinity], 0, 5, 50_000, 40_000, true, false)).toBe(Infinity);
  });

  it('divides by the range as Go Duration.Seconds() computes it', () => {
    expect(durationSeconds(901_000)).toBe(901);
    expect(durationSeconds(1_500)).toBe(1.5);
    expect(durationSeconds(1_001)).toBe(1 + 1_000_000 / 1e9);
  });
});

describe('irate and idelta (functions.test)', () => {
  it('irate uses the last two samples; a decrease is a reset', () => {
    expectClose(call('irate', load('5m', '0+10x10'), '50m', '50m'), 0.03333333333333333);
    expectClose(call('irate', load('5m', '0+10x5 0+10x5'), '50m', '50m'), 0.03333333333333333);
    expectClose(call('irate', load('5m', '0+10x10'), '30m', '50m'), 0.03333333333333333);
    expectClose(call('irate', load('5m', '0+10x5 0+10x5'), '30m', '50m'), 0);
  });

  it('irate and idelta pass NaN through', () => {
    const nan = load('5m', '1 NaN NaN 5 11');
    const irate = [0, 5, 10, 15, 20].map((m) => call('irate', nan, m * 60_000, '15m1s'));
    expect(irate[0]).toBeUndefined();
    expect(irate[1]).toBeNaN();
    expect(irate[2]).toBeNaN();
    expect(irate[3]).toBeNaN();
    expectClose(irate[4], 0.02);
    const idelta = [0, 5, 10, 15, 20].map((m) => call('idelta', nan, m * 60_000, '15m1s'));
    expect(idelta[0]).toBeUndefined();
    expect(idelta.slice(1, 4).every(Number.isNaN)).toBe(true);
    expectClose(idelta[4], 6);
  });

  it('idelta is a plain difference, also downwards', () => {
    expectClose(call('idelta', load('5m', '0 50 100 150'), '20m', '20m'), 50);
    expectClose(call('idelta', load('5m', '0 50 100 50'), '20m', '20m'), -50);
  });

  it('need two samples', () => {
    expect(call('irate', load('5m', '0 0 1'), '20m', '6m')).toBeUndefined();
    expect(call('idelta', load('5m', '0 0 1'), '20m', '6m')).toBeUndefined();
  });
});

describe('delta (functions.test)', () => {
  it('extrapolates a gauge both ways', () => {
    expectClose(call('delta', load('5m', '0 50 100 150 200'), '20m', '20m'), 200);
    expectClose(call('delta', load('5m', '200 150 100 50 0'), '20m', '20m'), -200);
  });
});

describe('name handling', () => {
  it('every counter function drops the metric name', () => {
    for (const name of ['rate', 'increase', 'delta', 'irate', 'idelta', 'resets', 'changes']) {
      expect(RANGE_FUNCTIONS.get(name)?.dropsName, name).toBe(true);
    }
  });
});
