import { describe, expect, it } from 'vitest';
import { goSort } from '../../promql/gosort.js';

/** prng is a small deterministic generator for test data. */
function prng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

describe('goSort (Go pdqsort)', () => {
  const lessNum = (a: number, b: number): boolean => a < b;

  it('sorts arrays of every shape and size', () => {
    const rnd = prng(7);
    const shapes: ((n: number) => number[])[] = [
      (n) => Array.from({ length: n }, () => Math.floor(rnd() * 1000)),
      (n) => Array.from({ length: n }, (_, i) => i),
      (n) => Array.from({ length: n }, (_, i) => n - i),
      (n) => Array.from({ length: n }, () => Math.floor(rnd() * 3)),
      (n) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? i : n - i)),
      (n) => Array.from({ length: n }, (_, i) => (i < n / 2 ? i : n - i)),
    ];
    for (const variant of ['sort', 'slices'] as const) {
      for (const n of [0, 1, 2, 5, 12, 13, 49, 50, 51, 200, 1000, 5000]) {
        for (const shape of shapes) {
          const data = shape(n);
          const expected = data.slice().sort((a, b) => a - b);
          goSort(data, lessNum, variant);
          expect(data).toEqual(expected);
        }
      }
    }
  });

  it('sorts many equal keys with a few outliers (partitionEqual, pattern breaking)', () => {
    // Many equal keys with a few outliers force partitionEqual and pattern breaking.
    const data = Array.from({ length: 3000 }, (_, i) => (i % 97 === 0 ? 3000 - i : 1));
    const expected = data.slice().sort((a, b) => a - b);
    goSort(data, lessNum, 'slices');
    expect(data).toEqual(expected);
  });

  it('is not stable, like Go: equal keys can be reordered', () => {
    const rnd = prng(3);
    const data = Array.from({ length: 100 }, (_, i) => ({ k: Math.floor(rnd() * 4), i }));
    goSort(data, (a, b) => a.k < b.k, 'sort');
    expect(data.map((d) => d.k)).toEqual(data.map((d) => d.k).slice().sort((a, b) => a - b));
    const stable = data.every((d, j) => j === 0 || data[j - 1]!.k !== d.k || data[j - 1]!.i < d.i);
    expect(stable).toBe(false);
  });
});
