import type { Vector } from '../value.js';

/**
 * RangeFunction computes one series' value at one evaluation step from its window of samples:
 * `ts[i]`, `vs[i]` for i in [from, to) are the samples with t - rangeMs < ts[i] <= t (Prometheus
 * 3's left-open window), in time order, staleness markers already removed, and at least one of
 * them (the engine does not call a function on an empty window). `args` are the function's scalar
 * arguments at this step (quantile_over_time's φ, predict_linear's duration in seconds), in call
 * order without the range argument. It returns undefined when the series has no output at this
 * step (rate over one sample, for instance). It MUST NOT keep references to ts or vs.
 */
export type RangeFunction = (
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  from: number,
  to: number,
  t: number,
  rangeMs: number,
  args: readonly number[],
) => number | undefined;

/** RangeFunctionDef is a range-vector function and whether its output loses the metric name. */
export interface RangeFunctionDef {
  readonly fn: RangeFunction;
  /** dropsName: the output series loses `__name__` (rate does; last_over_time does not). */
  readonly dropsName: boolean;
}

/** FunctionArg is an evaluated argument of an instant-vector function at one step. */
export type FunctionArg = number | string | Vector;

/** CallContext is what an instant-vector function may need besides its arguments. */
export interface CallContext {
  /** t is the evaluation timestamp of this step, in ms. */
  readonly t: number;
}

/**
 * InstantFunction computes a function over instant vectors, scalars and strings at one step. It
 * returns a new Vector (it MAY reuse input Sample objects it does not change, and MUST NOT mutate
 * those it was given). Errors (a bad regex in label_replace) are thrown as PromQLError.
 */
export type InstantFunction = (args: readonly FunctionArg[], ctx: CallContext) => Vector;
