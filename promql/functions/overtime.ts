import { quantileInPlace, scratchBuffer } from './quantile.js';

/**
 * The *_over_time aggregations of a window of float samples ts[i], vs[i], i in [from, to), with
 * Prometheus 3's numerics: Kahan-Neumaier compensated sums (kahansum.Inc), a direct mean that
 * switches to an incremental mean when the sum overflows, Welford variance with compensation.
 */

/** sumOverTime: compensated sum; an infinite sum is returned without its compensation term. */
export function sumOverTime(vs: ArrayLike<number>, from: number, to: number): number {
  let sum = 0;
  let c = 0;
  for (let i = from; i < to; i++) {
    const v = vs[i]!;
    const s = sum + v;
    if (s === Infinity || s === -Infinity) c = 0;
    else if (Math.abs(sum) >= Math.abs(v)) c += sum - s + v;
    else c += v - s + sum;
    sum = s;
  }
  if (sum === Infinity || sum === -Infinity) return sum;
  return sum + c;
}

/**
 * avgOverTime: the compensated sum divided by the count, as long as the sum stays finite; from the
 * sample that would overflow it on, an incremental (compensated) mean takes over.
 */
export function avgOverTime(vs: ArrayLike<number>, from: number, to: number): number {
  let sum = vs[from]!;
  let count = 1;
  let mean = 0;
  let c = 0;
  let incremental = false;
  for (let i = from + 1; i < to; i++) {
    const v = vs[i]!;
    count = i - from + 1;
    if (!incremental) {
      const s = sum + v;
      let nc = c;
      if (s === Infinity || s === -Infinity) nc = 0;
      else if (Math.abs(sum) >= Math.abs(v)) nc += sum - s + v;
      else nc += v - s + sum;
      if (s !== Infinity && s !== -Infinity) {
        sum = s;
        c = nc;
        continue;
      }
      // The sum would overflow: continue with the incremental mean of what was summed so far.
      incremental = true;
      mean = sum / (count - 1);
      c /= count - 1;
    }
    const q = (count - 1) / count;
    const inc = v / count;
    const base = q * mean;
    let nc = q * c;
    const s = base + inc;
    if (s === Infinity || s === -Infinity) nc = 0;
    else if (Math.abs(base) >= Math.abs(inc)) nc += base - s + inc;
    else nc += inc - s + base;
    mean = s;
    c = nc;
  }
  if (incremental) return mean + c;
  return sum / count + c / count;
}

/** minOverTime / maxOverTime: a NaN is replaced by any later number; all-NaN gives NaN. */
export function minOverTime(vs: ArrayLike<number>, from: number, to: number): number {
  let min = vs[from]!;
  for (let i = from; i < to; i++) {
    const v = vs[i]!;
    if (v < min || min !== min) min = v;
  }
  return min;
}

export function maxOverTime(vs: ArrayLike<number>, from: number, to: number): number {
  let max = vs[from]!;
  for (let i = from; i < to; i++) {
    const v = vs[i]!;
    if (v > max || max !== max) max = v;
  }
  return max;
}

/**
 * tsOfMinOverTime / tsOfMaxOverTime: the time (s) of the minimum / maximum; ties go to the latest
 * sample, as Prometheus compares with <= / >=.
 */
export function tsOfMinOverTime(ts: ArrayLike<number>, vs: ArrayLike<number>, from: number, to: number): number {
  let min = vs[from]!;
  let at = ts[from]!;
  for (let i = from; i < to; i++) {
    const v = vs[i]!;
    if (v <= min || min !== min) {
      min = v;
      at = ts[i]!;
    }
  }
  return at / 1000;
}

export function tsOfMaxOverTime(ts: ArrayLike<number>, vs: ArrayLike<number>, from: number, to: number): number {
  let max = vs[from]!;
  let at = ts[from]!;
  for (let i = from; i < to; i++) {
    const v = vs[i]!;
    if (v >= max || max !== max) {
      max = v;
      at = ts[i]!;
    }
  }
  return at / 1000;
}

/** varianceOverTime: population variance by Welford's method, mean and M2 Kahan-compensated. */
export function varianceOverTime(vs: ArrayLike<number>, from: number, to: number): number {
  let count = 0;
  let mean = 0;
  let cMean = 0;
  let aux = 0;
  let cAux = 0;
  for (let i = from; i < to; i++) {
    const v = vs[i]!;
    count++;
    const delta = v - (mean + cMean);
    const inc = delta / count;
    let s = mean + inc;
    if (s === Infinity || s === -Infinity) cMean = 0;
    else if (Math.abs(mean) >= Math.abs(inc)) cMean += mean - s + inc;
    else cMean += inc - s + mean;
    mean = s;
    const inc2 = delta * (v - (mean + cMean));
    s = aux + inc2;
    if (s === Infinity || s === -Infinity) cAux = 0;
    else if (Math.abs(aux) >= Math.abs(inc2)) cAux += aux - s + inc2;
    else cAux += inc2 - s + aux;
    aux = s;
  }
  return (aux + cAux) / count;
}

/** quantileOverTime: the φ-quantile of the window's values. */
export function quantileOverTime(q: number, vs: ArrayLike<number>, from: number, to: number): number {
  const n = to - from;
  const buf = scratchBuffer(n);
  for (let i = 0; i < n; i++) buf[i] = vs[from + i]!;
  return quantileInPlace(q, buf, n);
}

/**
 * madOverTime: the median absolute deviation from the median. A NaN anywhere makes it NaN
 * (Prometheus 3.14, which fixed it returning 0 in that case).
 */
export function madOverTime(vs: ArrayLike<number>, from: number, to: number): number {
  const n = to - from;
  const buf = scratchBuffer(n);
  for (let i = 0; i < n; i++) {
    const v = vs[from + i]!;
    if (v !== v) return NaN;
    buf[i] = v;
  }
  const median = quantileInPlace(0.5, buf, n);
  for (let i = 0; i < n; i++) buf[i] = Math.abs(vs[from + i]! - median);
  return quantileInPlace(0.5, buf, n);
}
