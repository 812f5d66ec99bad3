import type { RangeFunctionDef } from './types.js';
import { invalidQuantileWarning, type FunctionAnnotation } from './annotations.js';
import { changes, extrapolatedRate, instantValue, resets } from './rate.js';
import { deriv, predictLinear } from './regression.js';
import { doubleExponentialSmoothing } from './smoothing.js';
import {
  avgOverTime,
  madOverTime,
  maxOverTime,
  minOverTime,
  quantileOverTime,
  sumOverTime,
  tsOfMaxOverTime,
  tsOfMinOverTime,
  varianceOverTime,
} from './overtime.js';

/**
 * RangeFunctionEntry is a RangeFunctionDef with what the engine may additionally need.
 *
 * Its `fn` accepts an optional 8th argument `evalT`, the evaluation timestamp (ms) of the step.
 * It equals the window end `t` unless the selector has an offset or an @ modifier; only
 * predict_linear reads it (Prometheus anchors its regression at the evaluation time), and without
 * it predict_linear falls back to `t`.
 */
export interface RangeFunctionEntry extends RangeFunctionDef {
  readonly fn: (
    ts: ArrayLike<number>,
    vs: ArrayLike<number>,
    from: number,
    to: number,
    t: number,
    rangeMs: number,
    args: readonly number[],
    evalT?: number,
  ) => number | undefined;
  /** usesEvalTime says the function reads `evalT` (so the engine must pass it under offset / @). */
  readonly usesEvalTime: boolean;
  /**
   * checkArgs returns the annotation Prometheus raises for the scalar arguments of a step at which
   * the function is called on at least one series (quantile_over_time's invalid φ), if any.
   */
  readonly checkArgs?: (args: readonly number[]) => FunctionAnnotation | undefined;
}

function entry(
  fn: RangeFunctionEntry['fn'],
  dropsName = true,
  extra: { usesEvalTime?: boolean; checkArgs?: NonNullable<RangeFunctionEntry['checkArgs']> } = {},
): RangeFunctionEntry {
  const e: {
    fn: RangeFunctionEntry['fn'];
    dropsName: boolean;
    usesEvalTime: boolean;
    checkArgs?: NonNullable<RangeFunctionEntry['checkArgs']>;
  } = {
    fn,
    dropsName,
    usesEvalTime: extra.usesEvalTime ?? false,
  };
  if (extra.checkArgs !== undefined) e.checkArgs = extra.checkArgs;
  return e;
}

function checkQuantile(args: readonly number[]): FunctionAnnotation | undefined {
  const q = args[0] ?? NaN;
  return q !== q || q < 0 || q > 1 ? invalidQuantileWarning(q, 0) : undefined;
}

/**
 * RANGE_FUNCTIONS are the range-vector functions over float samples, by name. Every one drops the
 * metric name except last_over_time and first_over_time, which act like an offset (Prometheus 3's
 * engine: `dropName := name != "last_over_time" && name != "first_over_time"`).
 * absent_over_time is the engine's: it needs the selector's matchers.
 */
export const RANGE_FUNCTIONS: ReadonlyMap<string, RangeFunctionEntry> = new Map<string, RangeFunctionEntry>([
  ['rate', entry((ts, vs, from, to, t, rangeMs) => extrapolatedRate(ts, vs, from, to, t, rangeMs, true, true))],
  ['increase', entry((ts, vs, from, to, t, rangeMs) => extrapolatedRate(ts, vs, from, to, t, rangeMs, true, false))],
  ['delta', entry((ts, vs, from, to, t, rangeMs) => extrapolatedRate(ts, vs, from, to, t, rangeMs, false, false))],
  ['irate', entry((ts, vs, from, to) => instantValue(ts, vs, from, to, true))],
  ['idelta', entry((ts, vs, from, to) => instantValue(ts, vs, from, to, false))],
  ['deriv', entry((ts, vs, from, to) => deriv(ts, vs, from, to))],
  [
    'predict_linear',
    entry((ts, vs, from, to, t, _rangeMs, args, evalT) => predictLinear(ts, vs, from, to, evalT ?? t, args[0] ?? NaN), true, {
      usesEvalTime: true,
    }),
  ],
  ['resets', entry((_ts, vs, from, to) => resets(vs, from, to))],
  ['changes', entry((_ts, vs, from, to) => changes(vs, from, to))],
  ['avg_over_time', entry((_ts, vs, from, to) => avgOverTime(vs, from, to))],
  ['min_over_time', entry((_ts, vs, from, to) => minOverTime(vs, from, to))],
  ['max_over_time', entry((_ts, vs, from, to) => maxOverTime(vs, from, to))],
  ['sum_over_time', entry((_ts, vs, from, to) => sumOverTime(vs, from, to))],
  ['count_over_time', entry((_ts, _vs, from, to) => to - from)],
  ['stddev_over_time', entry((_ts, vs, from, to) => Math.sqrt(varianceOverTime(vs, from, to)))],
  ['stdvar_over_time', entry((_ts, vs, from, to) => varianceOverTime(vs, from, to))],
  ['last_over_time', entry((_ts, vs, _from, to) => vs[to - 1]!, false)],
  ['first_over_time', entry((_ts, vs, from) => vs[from]!, false)],
  ['present_over_time', entry(() => 1)],
  [
    'quantile_over_time',
    entry((_ts, vs, from, to, _t, _rangeMs, args) => quantileOverTime(args[0] ?? NaN, vs, from, to), true, {
      checkArgs: checkQuantile,
    }),
  ],
  ['mad_over_time', entry((_ts, vs, from, to) => madOverTime(vs, from, to))],
  ['ts_of_min_over_time', entry((ts, vs, from, to) => tsOfMinOverTime(ts, vs, from, to))],
  ['ts_of_max_over_time', entry((ts, vs, from, to) => tsOfMaxOverTime(ts, vs, from, to))],
  ['ts_of_last_over_time', entry((ts, _vs, _from, to) => ts[to - 1]! / 1000)],
  ['ts_of_first_over_time', entry((ts, _vs, from) => ts[from]! / 1000)],
  [
    'double_exponential_smoothing',
    entry((_ts, vs, from, to, _t, _rangeMs, args) => doubleExponentialSmoothing(vs, from, to, args[0] ?? NaN, args[1] ?? NaN)),
  ],
]);
