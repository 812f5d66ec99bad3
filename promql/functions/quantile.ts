/**
 * quantile of a set of values as Prometheus computes it for quantile_over_time, mad_over_time and
 * the quantile aggregation: sort (NaN first), then interpolate linearly between the two closest
 * ranks. NaN φ gives NaN, φ < 0 gives -Inf, φ > 1 gives +Inf.
 */

let scratch = new Float64Array(64);

/** scratchBuffer returns a reusable buffer of at least n elements (valid until the next call). */
export function scratchBuffer(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, scratch.length * 2));
  return scratch;
}

/**
 * quantileInPlace sorts buf[0..n) and returns its φ-quantile. NaNs sort first, as Prometheus's
 * comparator puts them (a typed array's own sort would put them last).
 */
export function quantileInPlace(q: number, buf: Float64Array, n: number): number {
  if (n === 0 || q !== q) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  // Move NaNs to the front, then sort the numbers behind them.
  let nans = 0;
  for (let i = 0; i < n; i++) {
    const v = buf[i]!;
    if (v !== v) {
      buf[i] = buf[nans]!;
      buf[nans] = NaN;
      nans++;
    }
  }
  buf.subarray(nans, n).sort();
  const rank = q * (n - 1);
  const lowerIndex = Math.max(0, Math.floor(rank));
  const upperIndex = Math.min(n - 1, lowerIndex + 1);
  const weight = rank - Math.floor(rank);
  return buf[lowerIndex]! * (1 - weight) + buf[upperIndex]! * weight;
}
