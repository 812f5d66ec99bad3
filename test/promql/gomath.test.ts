import { describe, expect, it } from 'vitest';
import { frexp, goAtan2, goMod, goPow, ldexp } from '../../promql/gomath.js';

describe('goPow', () => {
  it('follows Go\'s special cases, in order', () => {
    const cases: [number, number, number][] = [
      [NaN, 0, 1],
      [NaN, -0, 1],
      [1, NaN, 1],
      [1, Infinity, 1],
      [NaN, 1, NaN],
      [2, NaN, NaN],
      [0, -3, Infinity],
      [-0, -3, -Infinity],
      [-0, -Infinity, Infinity],
      [0, Infinity, 0],
      [-0, -2, Infinity],
      [-0, 3, -0],
      [-0, 2, 0],
      [-1, Infinity, 1],
      [-1, -Infinity, 1],
      [2, Infinity, Infinity],
      [2, -Infinity, 0],
      [0.5, Infinity, 0],
      [0.5, -Infinity, Infinity],
      [Infinity, 2, Infinity],
      [Infinity, -2, 0],
      [-Infinity, 3, -Infinity],
      [-Infinity, 2, Infinity],
      [-Infinity, -3, -0],
      [-8, 1 / 3, NaN],
    ];
    for (const [x, y, want] of cases) expect(Object.is(goPow(x, y), want), `Pow(${x}, ${y})`).toBe(true);
  });

  it('multiplies small integer powers in Go\'s order', () => {
    expect(goPow(3, 5)).toBe(243);
    expect(goPow(1.1, 2)).toBe(1.1 * 1.1);
    expect(goPow(1.1, 3)).toBe(1.1 * 1.1 * 1.1);
    expect(goPow(10, -2)).toBe(1 / 100);
    expect(goPow(2, 127)).toBe(2 ** 127);
    expect(goPow(-2, -128)).toBe(2 ** -128);
  });

  it('takes square roots and fractional powers', () => {
    expect(goPow(2, 0.5)).toBe(Math.SQRT2);
    expect(goPow(4, -0.5)).toBe(0.5);
    expect(goPow(4, 1.5)).toBeCloseTo(8, 12);
    expect(goPow(10, 2.5)).toBeCloseTo(316.22776601683796, 9);
  });

  it('handles large exponents by repeated squaring and Ldexp', () => {
    expect(goPow(2, 1000)).toBe(2 ** 1000);
    expect(goPow(2, 81)).toBe(2 ** 81);
    expect(goPow(10, 400)).toBe(Infinity);
    expect(goPow(10, -400)).toBe(0);
    expect(goPow(-2, 1001)).toBe(-(2 ** 1001));
    expect(goPow(-2, 1025)).toBe(-Infinity);
    expect(goPow(1.0001, 1e19)).toBe(Infinity);
    expect(goPow(-1, 1e19)).toBe(1);
  });
});

describe('goMod', () => {
  it('has the sign of the dividend and Go\'s special cases', () => {
    expect(goMod(7, 3)).toBe(1);
    expect(goMod(-7, 3)).toBe(-1);
    expect(goMod(7, -3)).toBe(1);
    expect(Object.is(goMod(-0, 3), -0)).toBe(true);
    expect(goMod(5, Infinity)).toBe(5);
    expect(goMod(Infinity, 5)).toBeNaN();
    expect(goMod(5, 0)).toBeNaN();
    expect(goMod(NaN, 5)).toBeNaN();
    expect(goMod(1000, 0.3)).toBeCloseTo(0.1, 9);
  });
});

describe('goAtan2', () => {
  it('follows Go\'s special cases', () => {
    const cases: [number, number, number][] = [
      [NaN, 1, NaN],
      [1, NaN, NaN],
      [0, 1, 0],
      [-0, 1, -0],
      [0, -1, Math.PI],
      [-0, -0, -Math.PI],
      [1, 0, Math.PI / 2],
      [-1, 0, -Math.PI / 2],
      [Infinity, Infinity, Math.PI / 4],
      [-Infinity, Infinity, -Math.PI / 4],
      [Infinity, -Infinity, (3 * Math.PI) / 4],
      [-Infinity, -Infinity, (-3 * Math.PI) / 4],
      [-1, Infinity, -0],
      [1, -Infinity, Math.PI],
      [-1, -Infinity, -Math.PI],
      [Infinity, 1, Math.PI / 2],
      [-Infinity, 1, -Math.PI / 2],
    ];
    for (const [y, x, want] of cases) expect(Object.is(goAtan2(y, x), want), `Atan2(${y}, ${x})`).toBe(true);
  });

  it('computes through Go\'s atan, within an ulp or two of the correctly rounded value', () => {
    expect(goAtan2(10, 20)).toBe(0.4636476090008061);
    expect(goAtan2(1, 1)).toBe(Math.PI / 4);
    for (const [y, x] of [
      [1, 3],
      [-2, 0.5],
      [3, -4],
      [-5, -0.1],
      [1e-300, 1],
      [7, 2],
    ] as const) {
      const got = goAtan2(y, x);
      expect(Math.abs(got - Math.atan2(y, x))).toBeLessThanOrEqual(4.5e-16 * Math.max(1, Math.abs(got)));
    }
  });
});

describe('frexp and ldexp', () => {
  it('split and join floats as Go does', () => {
    expect(frexp(8)).toEqual([0.5, 4]);
    expect(frexp(-3)).toEqual([-0.75, 2]);
    expect(frexp(5e-324)).toEqual([0.5, -1073]);
    expect(frexp(0)).toEqual([0, 0]);
    expect(frexp(Infinity)).toEqual([Infinity, 0]);
    expect(ldexp(0.5, -1073)).toBe(5e-324);
    expect(ldexp(3, 2)).toBe(12);
    expect(ldexp(1, 1024)).toBe(Infinity);
    expect(ldexp(-1, 1024)).toBe(-Infinity);
    expect(Object.is(ldexp(-1, -1076), -0)).toBe(true);
    expect(ldexp(0.75, -1020)).toBe(0.75 * 2 ** -1020);
    for (const f of [1, 0.1, 123.456, 1e300, 2.2250738585072014e-308, 1e-310]) {
      const [frac, exp] = frexp(f);
      expect(ldexp(frac, exp)).toBe(f);
    }
  });
});
