import { describe, expect, it } from 'vitest';
import { Histogram, normalCdf, oneTwoFiveBuckets } from '../../../../collectors/simulate/model/histogram.js';
import { Rng } from '../../../../collectors/simulate/prng.js';

describe('Histogram', () => {
  it('keeps buckets cumulative, whole and ending in the count, batch after batch', () => {
    const h = new Histogram([0.1, 0.5, 1, 5, 10]);
    const rng = new Rng(7);
    let previous = h.cumulative();
    for (let i = 0; i < 200; i++) {
      h.observeLogNormal(rng, 1 + Math.floor(rng.next() * 40), 0.3 + rng.next() * 3, 0.8);
      const c = h.cumulative();
      for (let b = 0; b < c.length; b++) {
        expect(Number.isInteger(c[b])).toBe(true);
        if (b > 0) expect(c[b]!).toBeGreaterThanOrEqual(c[b - 1]!);
        expect(c[b]!).toBeGreaterThanOrEqual(previous[b]!);
      }
      expect(c[c.length - 1]).toBe(h.count);
      previous = c;
    }
  });

  it('puts half the observations at or below the median and keeps the mean', () => {
    const h = new Histogram([1, 2, 4, 8]);
    const rng = new Rng(3);
    for (let i = 0; i < 500; i++) h.observeLogNormal(rng, 10, 2, 0.5);
    const c = h.cumulative();
    expect(c[1]! / h.count).toBeCloseTo(0.5, 1);
    expect(h.sum / h.count).toBeCloseTo(2 * Math.exp(0.125), 1);
  });

  it('never counts above a cap (a token count cannot exceed the context)', () => {
    const h = new Histogram([10, 100, 1000]);
    const rng = new Rng(5);
    for (let i = 0; i < 100; i++) h.observeLogNormal(rng, 50, 80, 1.5, { cap: 100, integer: true });
    expect(h.cumulative()[1]).toBe(h.count);
    expect(h.sum).toBeLessThanOrEqual(100 * h.count);
    expect(Number.isInteger(h.sum)).toBe(true);
  });

  it("observeValue counts everything in the value's bucket", () => {
    const h = new Histogram([1, 2, 5]);
    h.observeValue(4, 1);
    expect(h.cumulative()).toEqual([4, 4, 4, 4]);
    expect(h.sum).toBe(4);
  });
});

describe('oneTwoFiveBuckets', () => {
  it("is vLLM's build_1_2_5_buckets: the fixture's bounds for max_model_len 32768", () => {
    expect(oneTwoFiveBuckets(32768)).toEqual([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000]);
    expect(oneTwoFiveBuckets(8192)).toEqual([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]);
  });
});

describe('normalCdf', () => {
  it('matches the standard normal distribution', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });
});
