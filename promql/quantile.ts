import { goSort } from './gosort.js';

/**
 * quantile is Prometheus's `quantile` helper (promql/quantile.go), used by the quantile
 * aggregation: the φ-quantile of values by linear interpolation between the two closest ranks.
 *
 * - no values, or φ NaN: NaN; φ < 0: -Inf; φ > 1: +Inf.
 * - NaN values sort first, as Prometheus's "NaN is less than anything" order makes them (so a
 *   quantile interpolating between a NaN and a number is NaN).
 *
 * values is sorted in place.
 */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || q !== q) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  goSort(values, nanFirstLess);
  const n = values.length;
  const rank = q * (n - 1);
  const lowerIndex = Math.max(0, Math.floor(rank));
  const upperIndex = Math.min(n - 1, lowerIndex + 1);
  const weight = rank - Math.floor(rank);
  return values[lowerIndex]! * (1 - weight) + values[upperIndex]! * weight;
}

/** nanFirstLess is vectorByValueHeap.Less: a NaN is less than anything, even another NaN. */
export function nanFirstLess(a: number, b: number): boolean {
  return a !== a || a < b;
}
