import { PromQLError } from '../errors.js';
import { formatGoFixed6 } from './gofloat.js';

/**
 * doubleExponentialSmoothing (formerly holt_winters) smooths the window's values with smoothing
 * factor sf and trend factor tf, both strictly between 0 and 1, and returns the last smoothed
 * value. It needs two samples. Factors out of range fail the query with Prometheus's message (they
 * are checked before the sample count, as Prometheus does; a NaN factor passes the check, as there).
 */
export function doubleExponentialSmoothing(
  vs: ArrayLike<number>,
  from: number,
  to: number,
  sf: number,
  tf: number,
): number | undefined {
  if (sf <= 0 || sf >= 1) {
    throw new PromQLError('execution', `invalid smoothing factor. Expected: 0 < sf < 1, got: ${formatGoFixed6(sf)}`);
  }
  if (tf <= 0 || tf >= 1) {
    throw new PromQLError('execution', `invalid trend factor. Expected: 0 < tf < 1, got: ${formatGoFixed6(tf)}`);
  }
  if (to - from < 2) return undefined;
  let s0 = 0;
  let s1 = vs[from]!;
  let b = vs[from + 1]! - s1;
  for (let i = from + 1; i < to; i++) {
    const x = sf * vs[i]!;
    // The trend: the first step keeps the initial difference.
    if (i - 1 > from) b = tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}
