/**
 * Kahan–Neumaier compensated summation as Prometheus does it (util/kahansum.Inc): the running
 * sum and its compensation are kept apart and added only at the end. Once the sum overflows to
 * ±Inf the compensation is reset, so an infinite sum stays infinite instead of turning NaN.
 *
 * The accumulators live in caller-owned arrays (one slot per group) so that summing allocates
 * nothing per sample.
 */

/** kahanIncAt adds inc to the compensated sum held at sums[i] / comps[i]. */
export function kahanIncAt(sums: number[], comps: number[], i: number, inc: number): void {
  const sum = sums[i]!;
  const t = sum + inc;
  if (t === Infinity || t === -Infinity) comps[i] = 0;
  else if (Math.abs(sum) >= Math.abs(inc)) comps[i] = comps[i]! + (sum - t + inc);
  else comps[i] = comps[i]! + (inc - t + sum);
  sums[i] = t;
}

/** kahanSum is the compensated sum of values (sum + compensation). */
export function kahanSum(values: ArrayLike<number>): number {
  const sums = [0];
  const comps = [0];
  for (let i = 0; i < values.length; i++) kahanIncAt(sums, comps, 0, values[i]!);
  return sums[0]! + comps[0]!;
}
