import { describe, expect, it } from 'vitest';
import { intersect, lowerBound, subtract, union } from '../../../tsdb/index/postings.js';

const p = (...ids: number[]) => Uint32Array.from(ids);
const arr = (a: Uint32Array) => Array.from(a);

describe('postings lists', () => {
  it('intersects, also when one list is much longer (galloping)', () => {
    expect(arr(intersect(p(1, 3, 5, 7), p(2, 3, 4, 7, 9)))).toEqual([3, 7]);
    expect(arr(intersect(p(), p(1)))).toEqual([]);
    const long = Uint32Array.from({ length: 10_000 }, (_, i) => i * 2);
    expect(arr(intersect(p(3, 4, 19_998, 20_000), long))).toEqual([4, 19_998]);
    expect(arr(intersect(long, p(0, 1, 2)))).toEqual([0, 2]);
  });

  it('subtracts', () => {
    expect(arr(subtract(p(1, 2, 3, 4, 5), p(2, 4, 6)))).toEqual([1, 3, 5]);
    expect(arr(subtract(p(1, 2), p()))).toEqual([1, 2]);
    expect(arr(subtract(p(), p(1)))).toEqual([]);
  });

  it('unions any number of lists without duplicates', () => {
    expect(arr(union([]))).toEqual([]);
    expect(arr(union([p(1, 5)]))).toEqual([1, 5]);
    expect(arr(union([p(1, 5), p(2, 5, 9)]))).toEqual([1, 2, 5, 9]);
    expect(arr(union([p(8), p(1, 5), p(2, 5, 9), p(1)]))).toEqual([1, 2, 5, 8, 9]);
  });

  it('finds lower bounds', () => {
    const l = p(2, 4, 6);
    expect([lowerBound(l, 1), lowerBound(l, 4), lowerBound(l, 5), lowerBound(l, 7)]).toEqual([0, 1, 2, 3]);
  });
});
