import { describe, expect, it } from 'vitest';
import { nanFirstLess, quantile } from '../../promql/quantile.js';

describe('quantile', () => {
  it('interpolates linearly between the closest ranks', () => {
    expect(quantile(0.5, [3, 1, 2])).toBe(2);
    expect(quantile(0.8, [0, 1])).toBeCloseTo(0.8, 15);
    expect(quantile(0.8, [4, 0, 1])).toBeCloseTo(2.8, 15);
    expect(quantile(0, [4, 0, 1])).toBe(0);
    expect(quantile(1, [4, 0, 1])).toBe(4);
    expect(quantile(0.3, [7])).toBe(7);
  });

  it('handles the edge φ and empty input as Prometheus', () => {
    expect(quantile(0.5, [])).toBeNaN();
    expect(quantile(NaN, [1])).toBeNaN();
    expect(quantile(-0.1, [1])).toBe(-Infinity);
    expect(quantile(1.1, [1])).toBe(Infinity);
  });

  it('sorts NaN first, so it drags low quantiles to NaN', () => {
    const values = [1, NaN, 0];
    expect(quantile(0.8, values)).toBeCloseTo(0.6, 15);
    expect(values[0]).toBeNaN();
    expect(quantile(0.2, [0, 1, NaN])).toBeNaN();
  });

  it('orders by "NaN is less than anything"', () => {
    expect(nanFirstLess(NaN, 1)).toBe(true);
    expect(nanFirstLess(NaN, NaN)).toBe(true);
    expect(nanFirstLess(1, NaN)).toBe(false);
    expect(nanFirstLess(1, 2)).toBe(true);
  });
});
