/**
 * Least-squares linear regression over a window of samples, as Prometheus's linearRegression:
 * x is the sample time in seconds relative to `interceptTime`, every sum is Kahan-compensated, and
 * a window whose values are all equal has slope 0 (NaN when that value is infinite).
 */

/** The results of the last linearRegression call (module scratch: no allocation per call). */
export const regression = { slope: 0, intercept: 0 };

/** linearRegression fits vs[i] over ts[i] for i in [from, to) and stores slope and intercept in `regression`. */
export function linearRegression(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  from: number,
  to: number,
  interceptTime: number,
): void {
  let n = 0;
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  const initY = vs[from]!;
  let constY = true;
  for (let i = from; i < to; i++) {
    const y = vs[i]!;
    if (constY && i > from && y !== initY) constY = false;
    n += 1;
    const x = (ts[i]! - interceptTime) / 1e3;
    // Four Kahan-Neumaier increments (kahansum.Inc), inlined.
    let s = sumX + x;
    if (s === Infinity || s === -Infinity) cX = 0;
    else if (Math.abs(sumX) >= Math.abs(x)) cX += sumX - s + x;
    else cX += x - s + sumX;
    sumX = s;

    s = sumY + y;
    if (s === Infinity || s === -Infinity) cY = 0;
    else if (Math.abs(sumY) >= Math.abs(y)) cY += sumY - s + y;
    else cY += y - s + sumY;
    sumY = s;

    const xy = x * y;
    s = sumXY + xy;
    if (s === Infinity || s === -Infinity) cXY = 0;
    else if (Math.abs(sumXY) >= Math.abs(xy)) cXY += sumXY - s + xy;
    else cXY += xy - s + sumXY;
    sumXY = s;

    const x2 = x * x;
    s = sumX2 + x2;
    if (s === Infinity || s === -Infinity) cX2 = 0;
    else if (Math.abs(sumX2) >= Math.abs(x2)) cX2 += sumX2 - s + x2;
    else cX2 += x2 - s + sumX2;
    sumX2 = s;
  }
  if (constY) {
    if (initY === Infinity || initY === -Infinity) {
      regression.slope = NaN;
      regression.intercept = NaN;
    } else {
      regression.slope = 0;
      regression.intercept = initY;
    }
    return;
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  regression.slope = slope;
  regression.intercept = sumY / n - (slope * sumX) / n;
}

/** deriv is the per-second slope, regressed around the first sample's time for precision. */
export function deriv(ts: ArrayLike<number>, vs: ArrayLike<number>, from: number, to: number): number | undefined {
  if (to - from < 2) return undefined;
  linearRegression(ts, vs, from, to, ts[from]!);
  return regression.slope;
}

/**
 * predictLinear is the value the regression line reaches `duration` seconds after `evalT`, the
 * evaluation timestamp (which differs from the window end under offset and @).
 */
export function predictLinear(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  from: number,
  to: number,
  evalT: number,
  duration: number,
): number | undefined {
  if (to - from < 2) return undefined;
  linearRegression(ts, vs, from, to, evalT);
  return regression.slope * duration + regression.intercept;
}
