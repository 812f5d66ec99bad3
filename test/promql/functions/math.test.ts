import { describe, expect, it } from 'vitest';
import { expectVector, inst, sample } from './helpers.js';

// Expectations marked "functions.test" are transcribed from Prometheus 3.14's functions.test.

const data = [
  sample({ __name__: 'data', type: 'positive' }, 2.5),
  sample({ __name__: 'data', type: 'whole' }, 2),
  sample({ __name__: 'data', type: 'negative' }, -2.5),
  sample({ __name__: 'data', type: 'nwhole' }, -2),
  sample({ __name__: 'data', type: 'zero' }, 0),
  sample({ __name__: 'data', type: 'nzero' }, -0),
  sample({ __name__: 'data', type: 'inf' }, Infinity),
  sample({ __name__: 'data', type: 'ninf' }, -Infinity),
  sample({ __name__: 'data', type: 'nan' }, NaN),
];
const rows = (vals: number[]): [Record<string, string>, number][] =>
  ['positive', 'whole', 'negative', 'nwhole', 'zero', 'nzero', 'inf', 'ninf', 'nan'].map((type, i) => [
    { __name__: 'data', type },
    vals[i]!,
  ]);

describe('abs, ceil, floor, round (functions.test)', () => {
  it('map every value and mark the name for removal', () => {
    const abs = inst('abs', [data]);
    expectVector(abs, rows([2.5, 2, 2.5, 2, 0, 0, Infinity, Infinity, NaN]));
    expect(abs.every((s) => s.dropName === true)).toBe(true);
    expectVector(inst('ceil', [data]), rows([3, 2, -2, -2, 0, 0, Infinity, -Infinity, NaN]));
    expectVector(inst('floor', [data]), rows([2, 2, -3, -2, 0, 0, Infinity, -Infinity, NaN]));
    expectVector(inst('round', [data]), rows([3, 2, -2, -2, 0, 0, Infinity, -Infinity, NaN]));
  });

  it('round rounds ties up, to an optional multiple', () => {
    const v = [sample({ a: '1' }, 1.25), sample({ a: '2' }, -1.25), sample({ a: '3' }, 17)];
    expectVector(inst('round', [v, 0.5]), [
      [{ a: '1' }, 1.5],
      [{ a: '2' }, -1],
      [{ a: '3' }, 17],
    ]);
    expectVector(inst('round', [v, 10]), [
      [{ a: '1' }, 0],
      [{ a: '2' }, 0],
      [{ a: '3' }, 20],
    ]);
  });

  it('does not mutate its input and uses the step time', () => {
    const input = [sample({ a: '1' }, -3, { t: 5 })];
    const out = inst('abs', [input], { t: 1000 });
    expect(input[0]!.v).toBe(-3);
    expect(input[0]!.dropName).toBeUndefined();
    expect(out[0]!.t).toBe(1000);
  });
});

describe('clamp, clamp_min, clamp_max (functions.test)', () => {
  const v = [sample({ src: 'clamp-a' }, -50), sample({ src: 'clamp-b' }, 0), sample({ src: 'clamp-c' }, 100)];
  const r = (a: number, b: number, c: number): [Record<string, string>, number][] => [
    [{ src: 'clamp-a' }, a],
    [{ src: 'clamp-b' }, b],
    [{ src: 'clamp-c' }, c],
  ];

  it('limits values', () => {
    expectVector(inst('clamp_max', [v, 75]), r(-50, 0, 75));
    expectVector(inst('clamp_min', [v, -25]), r(-25, 0, 100));
    expectVector(inst('clamp', [v, -25, 75]), r(-25, 0, 75));
    expectVector(inst('clamp_max', [inst('clamp_min', [v, -20]), 70]), r(-20, 0, 70));
  });

  it('gives NaN for a NaN bound and nothing when max < min', () => {
    expectVector(inst('clamp', [v, 0, NaN]), r(NaN, NaN, NaN));
    expectVector(inst('clamp', [v, NaN, 0]), r(NaN, NaN, NaN));
    expect(inst('clamp', [v, 5, -5])).toEqual([]);
  });

  it('drops the name', () => {
    expect(inst('clamp', [[sample({ __name__: 'x' }, 1)], 0, 2])[0]!.dropName).toBe(true);
  });
});

describe('sgn (functions.test)', () => {
  it('is -1, 0, 1, keeping NaN', () => {
    const v = [-Infinity, Infinity, NaN, -50, 0, 100].map((x, i) => sample({ src: `sgn-${i}` }, x));
    expectVector(
      inst('sgn', [v]),
      [-1, 1, NaN, -1, 0, 1].map((x, i): [Record<string, string>, number] => [{ src: `sgn-${i}` }, x]),
    );
  });
});

describe('exp, ln, log2, log10, sqrt (functions.test)', () => {
  const v = [sample({ l: 'x' }, 10), sample({ l: 'y' }, 20)];
  const minus = (d: number) => v.map((s) => ({ ...s, v: s.v - d }));
  const xy = (x: number, y: number): [Record<string, string>, number][] => [
    [{ l: 'x' }, x],
    [{ l: 'y' }, y],
  ];

  it('computes', () => {
    expectVector(inst('exp', [v]), xy(22026.465794806718, 485165195.4097903));
    expectVector(inst('exp', [minus(10)]), xy(1, 22026.465794806718));
    expectVector(inst('exp', [minus(20)]), xy(4.5399929762484854e-5, 1));
    expectVector(inst('ln', [v]), xy(2.302585092994046, 2.995732273553991));
    expectVector(inst('ln', [minus(10)]), xy(-Infinity, 2.302585092994046));
    expectVector(inst('ln', [minus(20)]), xy(NaN, -Infinity));
    expectVector(inst('exp', [inst('ln', [v])]), xy(10, 20));
    expectVector(inst('sqrt', [v]), xy(3.1622776601683795, 4.47213595499958));
    expectVector(inst('log2', [v]), xy(3.3219280948873626, 4.321928094887363));
    expectVector(inst('log2', [minus(10)]), xy(-Infinity, 3.3219280948873626));
    expectVector(inst('log2', [minus(20)]), xy(NaN, -Infinity));
    expectVector(inst('log10', [v]), xy(1, 1.301029995663981));
    expectVector(inst('log10', [minus(10)]), xy(-Infinity, 1));
    expectVector(inst('log10', [minus(20)]), xy(NaN, -Infinity));
  });
});

describe('trigonometry by hand', () => {
  it('computes and converts', () => {
    const v = [sample({ a: '1' }, 0.5)];
    expect(inst('sin', [v])[0]!.v).toBe(Math.sin(0.5));
    expect(inst('cos', [v])[0]!.v).toBe(Math.cos(0.5));
    expect(inst('tan', [v])[0]!.v).toBe(Math.tan(0.5));
    expect(inst('asin', [v])[0]!.v).toBe(Math.asin(0.5));
    expect(inst('acos', [v])[0]!.v).toBe(Math.acos(0.5));
    expect(inst('atan', [v])[0]!.v).toBe(Math.atan(0.5));
    expect(inst('sinh', [v])[0]!.v).toBe(Math.sinh(0.5));
    expect(inst('cosh', [v])[0]!.v).toBe(Math.cosh(0.5));
    expect(inst('tanh', [v])[0]!.v).toBe(Math.tanh(0.5));
    expect(inst('asinh', [v])[0]!.v).toBe(Math.asinh(0.5));
    expect(inst('atanh', [v])[0]!.v).toBe(Math.atanh(0.5));
    expect(inst('acosh', [[sample({}, 2)]])[0]!.v).toBe(Math.acosh(2));
    expect(inst('acosh', [v])[0]!.v).toBeNaN();
    expect(inst('deg', [[sample({}, Math.PI)]])[0]!.v).toBe(180);
    expect(inst('rad', [[sample({}, 180)]])[0]!.v).toBe(Math.PI);
  });
});
