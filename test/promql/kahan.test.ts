import { describe, expect, it } from 'vitest';
import { kahanIncAt, kahanSum } from '../../promql/kahan.js';

describe('kahanSum', () => {
  it('keeps small terms that plain addition loses', () => {
    const values = [2, 8, 1e100, -1e100];
    expect(values.reduce((a, b) => a + b, 0)).toBe(0);
    expect(kahanSum(values)).toBe(10);
    expect(kahanSum([1, 1e100, 1, -1e100])).toBe(2);
  });

  it('stays infinite once the sum overflows, and NaN for opposite infinities', () => {
    expect(kahanSum([Infinity, 2])).toBe(Infinity);
    expect(kahanSum([2, -Infinity])).toBe(-Infinity);
    expect(kahanSum([Infinity, -Infinity])).toBeNaN();
    expect(kahanSum([1.7976931348623157e308, 1.7976931348623157e308, -1])).toBe(Infinity);
  });

  it('accumulates per slot in caller-owned arrays', () => {
    const sums = [0, 10];
    const comps = [0, 0];
    kahanIncAt(sums, comps, 1, 5);
    expect(sums).toEqual([0, 15]);
    expect(comps).toEqual([0, 0]);
  });
});
