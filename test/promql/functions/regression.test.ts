import { describe, expect, it } from 'vitest';
import { PromQLError } from '../../../promql/errors.js';
import { RANGE_FUNCTIONS } from '../../../promql/functions/range.js';
import { linearRegression, regression } from '../../../promql/functions/regression.js';
import { call, expectClose, load } from './helpers.js';

// Expectations marked "functions.test" are transcribed from Prometheus 3.14's functions.test.

describe('deriv (functions.test)', () => {
  const canary = load('5m', '0+80x10');
  const resetMiddle = load('5m', '0+10x4 0+10x5');

  it('equals rate on a clean counter', () => {
    expectClose(call('deriv', canary, '50m', '50m'), 0.26666666666666666);
    expectClose(call('rate', canary, '50m', '50m'), 0.26666666666666666);
  });

  it('regresses through a reset', () => {
    expectClose(call('deriv', resetMiddle, '50m', '100m'), 0.010606060606060607);
  });

  it('is NaN with an infinite value and needs two samples', () => {
    expect(call('deriv', load('5m', '-Inf 0+80x10 Inf'), '100m', '100m')).toBeNaN();
    expect(call('deriv', load('5m', '1'), '0m', '5m')).toBeUndefined();
  });

  it('is 0 on a constant, NaN on a constant infinity', () => {
    expect(call('deriv', load('5m', '3 3 3'), '10m', '20m')).toBe(0);
    expect(call('deriv', load('5m', 'Inf Inf'), '5m', '20m')).toBeNaN();
  });
});

describe('predict_linear (functions.test)', () => {
  const s = load('5m', '0+10x4 0+10x5');

  it('predicts from the evaluation time', () => {
    expectClose(call('predict_linear', s, '50m', '50m', [3600]), 70);
  });

  it('anchors at the evaluation time, not the window end, under @ (passed as evalT)', () => {
    // predict_linear(x[55m] @ 3000, 3600) evaluated at 50m, 10m and 70m.
    const at = (evalT: string, expected: number): void => {
      const def = RANGE_FUNCTIONS.get('predict_linear')!;
      const ts = s.ts.filter((t) => t > 3_000_000 - 3_300_000 && t <= 3_000_000);
      const vs = ts.map((t) => s.vs[s.ts.indexOf(t)]!);
      const evalMs = Number(evalT.replace('m', '')) * 60_000;
      expectClose(def.fn(ts, vs, 0, ts.length, 3_000_000, 3_300_000, [3600], evalMs), expected);
    };
    at('50m', 76.81818181818181);
    at('10m', 51.36363636363637);
    at('70m', 89.54545454545455);
    expect(RANGE_FUNCTIONS.get('predict_linear')!.usesEvalTime).toBe(true);
  });

  it('matches value + deriv * duration when the last sample is at the evaluation time', () => {
    const c = load('5m', '0+80x10');
    expectClose(call('predict_linear', c, '50m', '50m', [3600]), 800 + call('deriv', c, '50m', '50m')! * 3600);
  });

  it('is NaN with infinities, and needs two samples', () => {
    expect(call('predict_linear', load('5m', '-Inf 0+80x10 Inf'), '100m', '100m', [6000])).toBeNaN();
    expect(call('predict_linear', load('5m', '1'), '0m', '5m', [60])).toBeUndefined();
  });
});

describe('linearRegression by hand', () => {
  it('fits a line exactly and reports the intercept at the given time', () => {
    // y = 2x + 1 with x in seconds.
    linearRegression([0, 1000, 2000, 3000], [1, 3, 5, 7], 0, 4, 0);
    expect(regression.slope).toBe(2);
    expect(regression.intercept).toBe(1);
    linearRegression([0, 1000, 2000, 3000], [1, 3, 5, 7], 0, 4, 3000);
    expect(regression.slope).toBe(2);
    expect(regression.intercept).toBe(7);
  });

  it('reproduces the worked example of functions.test', () => {
    // X = 0..3000s every 300s, Y = 0 10 20 30 40 0 10 20 30 40 50: slope 0.010606..., intercept(0) 6.8181...
    const ts = Array.from({ length: 11 }, (_, i) => i * 300_000);
    const vs = [0, 10, 20, 30, 40, 0, 10, 20, 30, 40, 50];
    linearRegression(ts, vs, 0, 11, 0);
    expectClose(regression.slope, 0.010606060606060607);
    expectClose(regression.intercept, 6.818181818181818);
    linearRegression(ts, vs, 0, 11, 3_000_000);
    expectClose(regression.intercept, 38.63636363636364);
  });
});

describe('double_exponential_smoothing (functions.test)', () => {
  it('follows positive trends', () => {
    const cases: [string, number][] = [
      ['0+10x1000 100+30x1000', 8000],
      ['0+20x1000 200+30x1000', 16000],
      ['0+30x1000 300+80x1000', 24000],
      ['0+40x2000', 32000],
    ];
    for (const [notation, expected] of cases) {
      expectClose(call('double_exponential_smoothing', load('10s', notation), '8000s', '1m', [0.01, 0.1]), expected);
    }
  });

  it('follows negative trends', () => {
    const cases: [string, number][] = [
      ['8000-10x1000', 0],
      ['0-20x1000', -16000],
      ['0+30x1000 300-80x1000', 24000],
      ['0-40x1000 0+40x1000', -32000],
    ];
    for (const [notation, expected] of cases) {
      expectClose(call('double_exponential_smoothing', load('10s', notation), '8000s', '1m', [0.01, 0.1]), expected);
    }
  });

  it('computes the recurrence by hand', () => {
    // 1 3 6 with sf=0.5, tf=0.5: s1=1, b=2; i=1: 0.5*3 + 0.5*(1+2) = 3; i=2: b = 0.5*(3-1) + 0.5*2 = 2,
    // 0.5*6 + 0.5*(3+2) = 5.5.
    expect(call('double_exponential_smoothing', load('10s', '1 3 6'), '20s', '1m', [0.5, 0.5])).toBe(5.5);
    expect(call('double_exponential_smoothing', load('10s', '1'), '0s', '1m', [0.5, 0.5])).toBeUndefined();
  });

  it('rejects factors outside (0, 1) with Prometheus messages', () => {
    const s = load('10s', '1 2 3');
    const fail = (sf: number, tf: number): unknown => {
      try {
        call('double_exponential_smoothing', s, '20s', '1m', [sf, tf]);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const e1 = fail(1, 0.5);
    expect(e1).toBeInstanceOf(PromQLError);
    expect((e1 as PromQLError).message).toBe('invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000');
    expect((e1 as PromQLError).type).toBe('execution');
    expect((fail(0.5, 0) as Error).message).toBe('invalid trend factor. Expected: 0 < tf < 1, got: 0.000000');
    expect((fail(-Infinity, 0.5) as Error).message).toBe('invalid smoothing factor. Expected: 0 < sf < 1, got: -Inf');
    // A NaN factor passes Prometheus's check and yields NaN.
    expect(call('double_exponential_smoothing', s, '20s', '1m', [NaN, 0.5])).toBeNaN();
  });
});
