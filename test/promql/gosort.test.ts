import { describe, expect, it } from 'vitest';
import { goSort, goSortReverse, heapFix, heapPush } from '../../promql/gosort.js';

/** A small deterministic PRNG, so the generated inputs are the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const byValue = (a: { v: number }, b: { v: number }) => a.v < b.v;

describe('goSort', () => {
  it('sorts every shape of input, as a permutation of it', () => {
    const next = rng(42);
    const shapes: Record<string, (n: number) => number[]> = {
      random: (n) => Array.from({ length: n }, () => Math.floor(next() * n)),
      fewDistinct: (n) => Array.from({ length: n }, () => Math.floor(next() * 3)),
      ascending: (n) => Array.from({ length: n }, (_, i) => i),
      descending: (n) => Array.from({ length: n }, (_, i) => n - i),
      organPipe: (n) => Array.from({ length: n }, (_, i) => Math.min(i, n - i)),
      sawtooth: (n) => Array.from({ length: n }, (_, i) => i % 7),
      equal: (n) => Array.from({ length: n }, () => 5),
    };
    for (const [shape, make] of Object.entries(shapes)) {
      for (const n of [0, 1, 2, 5, 12, 13, 49, 50, 51, 100, 257, 1000]) {
        const values = make(n);
        const items = values.map((v, i) => ({ v, i }));
        goSort(items, byValue);
        expect(items.map((x) => x.v), `${shape} n=${n}`).toEqual([...values].sort((a, b) => a - b));
        expect(new Set(items.map((x) => x.i)).size).toBe(n);
      }
    }
  });

  it('leaves ties in input order for up to 12 elements (insertion sort), as Go does', () => {
    const items = [2, 1, 2, 1, 2, 1].map((v, i) => ({ v, i }));
    goSort(items, byValue);
    expect(items.map((x) => x.i)).toEqual([1, 3, 5, 0, 2, 4]);
  });

  it('sorts in reverse with the arguments of Less swapped', () => {
    const items = [3, 1, 2].map((v) => ({ v }));
    goSortReverse(items, byValue);
    expect(items.map((x) => x.v)).toEqual([3, 2, 1]);
  });

  it('places NaN by a "NaN is less" comparator deterministically', () => {
    const less = (a: number, b: number) => a !== a || a < b;
    const values = [3, NaN, 1, NaN, 2];
    goSort(values, less);
    expect(values.slice(2)).toEqual([1, 2, 3]);
    expect(values.slice(0, 2)).toEqual([NaN, NaN]);
  });
});

describe('heapPush and heapFix', () => {
  it('keep the smallest element on top, as container/heap does', () => {
    const next = rng(7);
    const h: { v: number }[] = [];
    for (let i = 0; i < 200; i++) {
      heapPush(h, { v: Math.floor(next() * 50) }, byValue);
      for (let j = 1; j < h.length; j++) expect(byValue(h[j]!, h[((j - 1) / 2) | 0]!)).toBe(false);
    }
    for (let i = 0; i < 200; i++) {
      h[0] = { v: Math.floor(next() * 100) };
      heapFix(h, 0, byValue);
      for (let j = 1; j < h.length; j++) expect(byValue(h[j]!, h[((j - 1) / 2) | 0]!)).toBe(false);
    }
  });

  it('sifts a pushed element up past its parents', () => {
    const h = [{ v: 1 }, { v: 5 }, { v: 3 }];
    heapPush(h, { v: 0 }, byValue);
    expect(h.map((x) => x.v)).toEqual([0, 1, 3, 5]);
  });
});
