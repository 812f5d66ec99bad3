/**
 * The counter and gauge delta functions over a window of float samples: rate, increase, delta
 * (extrapolated to the window's boundaries), irate, idelta (from the last two samples), resets and
 * changes. Arguments follow RangeFunction: samples ts[i], vs[i] for i in [from, to), window (t - rangeMs, t].
 */

/**
 * durationSeconds is Go's time.Duration.Seconds() for a whole number of ms: whole seconds plus the
 * remainder in nanoseconds / 1e9, which rounds differently from rangeMs / 1000 for some ranges.
 */
export function durationSeconds(ms: number): number {
  const sec = Math.trunc(ms / 1000);
  return sec + ((ms - sec * 1000) * 1e6) / 1e9;
}

/**
 * extrapolatedRate is Prometheus 3's rate/increase/delta: the difference between the last and the
 * first sample (plus every counter reset's pre-reset value when isCounter), extrapolated towards
 * the window boundaries. A boundary is reached only if the sample nearest to it is closer than 1.1
 * average sample intervals, else the extrapolation stops half an interval out; for counters the
 * start is also limited by where the counter would reach zero. Needs two samples.
 */
export function extrapolatedRate(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  from: number,
  to: number,
  t: number,
  rangeMs: number,
  isCounter: boolean,
  isRate: boolean,
): number | undefined {
  const n = to - from;
  if (n < 2) return undefined;
  const last = to - 1;
  const firstT = ts[from]!;
  const lastT = ts[last]!;
  const firstV = vs[from]!;
  let result = vs[last]! - firstV;
  if (isCounter) {
    let prev = firstV;
    for (let i = from + 1; i < to; i++) {
      const cur = vs[i]!;
      if (cur < prev) result += prev;
      prev = cur;
    }
  }
  let durationToStart = (firstT - (t - rangeMs)) / 1000;
  let durationToEnd = (t - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageInterval = sampledInterval / (n - 1);
  const threshold = averageInterval * 1.1;
  if (durationToStart >= threshold) durationToStart = averageInterval / 2;
  if (isCounter) {
    // A counter cannot go below zero: do not extrapolate to before its zero point.
    let durationToZero = durationToStart;
    if (result > 0 && firstV >= 0) durationToZero = sampledInterval * (firstV / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= threshold) durationToEnd = averageInterval / 2;
  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= durationSeconds(rangeMs);
  return result * factor;
}

/**
 * instantValue is irate (isRate) and idelta: the difference of the last two samples, per second
 * for irate; for irate a decrease is a counter reset and the result is the last value.
 */
export function instantValue(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  from: number,
  to: number,
  isRate: boolean,
): number | undefined {
  if (to - from < 2) return undefined;
  const prevV = vs[to - 2]!;
  const lastV = vs[to - 1]!;
  const interval = ts[to - 1]! - ts[to - 2]!;
  if (interval === 0) return undefined;
  // `!(lastV < prevV)` rather than `lastV >= prevV`: a NaN on either side is not a reset.
  let result = isRate && lastV < prevV ? lastV : lastV - prevV;
  if (isRate) result /= interval / 1000;
  return result;
}

/** resets counts the decreases between consecutive samples. */
export function resets(vs: ArrayLike<number>, from: number, to: number): number {
  let count = 0;
  let prev = vs[from]!;
  for (let i = from + 1; i < to; i++) {
    const cur = vs[i]!;
    if (cur < prev) count++;
    prev = cur;
  }
  return count;
}

/** changes counts the value changes between consecutive samples; NaN to NaN is no change. */
export function changes(vs: ArrayLike<number>, from: number, to: number): number {
  let count = 0;
  let prev = vs[from]!;
  for (let i = from + 1; i < to; i++) {
    const cur = vs[i]!;
    if (cur !== prev && !(cur !== cur && prev !== prev)) count++;
    prev = cur;
  }
  return count;
}
