import type { ValueType } from '../value.js';

/**
 * FunctionSignature is a PromQL function's type, as Prometheus's parser.Function declares it.
 * `variadic`: 0 = exactly argTypes.length arguments; n > 0 = up to n optional trailing arguments
 * (of the last argType's type); -1 = any number of trailing arguments of the last argType's type
 * (at least argTypes.length - 1 arguments in all). `experimental` functions need Prometheus's
 * promql-experimental-functions flag (promqltest enables it).
 */
export interface FunctionSignature {
  readonly name: string;
  readonly argTypes: readonly ValueType[];
  readonly variadic: number;
  readonly returnType: ValueType;
  readonly experimental: boolean;
}

const V: ValueType = 'vector';
const M: ValueType = 'matrix';
const S: ValueType = 'scalar';
const STR: ValueType = 'string';

type Row = [name: string, argTypes: ValueType[], returnType: ValueType, variadic?: number, experimental?: boolean];

/** Prometheus 3.14's parser/functions.go, in its order. */
const ROWS: Row[] = [
  ['abs', [V], V],
  ['absent', [V], V],
  ['absent_over_time', [M], V],
  ['acos', [V], V],
  ['acosh', [V], V],
  ['asin', [V], V],
  ['asinh', [V], V],
  ['atan', [V], V],
  ['atanh', [V], V],
  ['avg_over_time', [M], V],
  ['ceil', [V], V],
  ['changes', [M], V],
  ['clamp', [V, S, S], V],
  ['clamp_max', [V, S], V],
  ['clamp_min', [V, S], V],
  ['cos', [V], V],
  ['cosh', [V], V],
  ['count_over_time', [M], V],
  ['days_in_month', [V], V, 1],
  ['day_of_month', [V], V, 1],
  ['day_of_week', [V], V, 1],
  ['day_of_year', [V], V, 1],
  ['deg', [V], V],
  ['end', [], S, 0, true],
  ['delta', [M], V],
  ['deriv', [M], V],
  ['exp', [V], V],
  ['first_over_time', [M], V],
  ['floor', [V], V],
  ['histogram_avg', [V], V],
  ['histogram_count', [V], V],
  ['histogram_sum', [V], V],
  ['histogram_stddev', [V], V],
  ['histogram_stdvar', [V], V],
  ['histogram_fraction', [S, S, V], V],
  ['histogram_quantile', [S, V], V],
  ['histogram_quantiles', [V, STR, S, S], V, 9, true],
  ['double_exponential_smoothing', [M, S, S], V, 0, true],
  ['hour', [V], V, 1],
  ['idelta', [M], V],
  ['increase', [M], V],
  ['info', [V, V], V, 1, true],
  ['irate', [M], V],
  ['label_replace', [V, STR, STR, STR, STR], V],
  ['label_join', [V, STR, STR, STR], V, -1],
  ['last_over_time', [M], V],
  ['ln', [V], V],
  ['log10', [V], V],
  ['log2', [V], V],
  ['mad_over_time', [M], V, 0, true],
  ['max_of', [S, S], S, 0, true],
  ['max_over_time', [M], V],
  ['min_of', [S, S], S, 0, true],
  ['min_over_time', [M], V],
  ['ts_of_first_over_time', [M], V, 0, true],
  ['ts_of_max_over_time', [M], V, 0, true],
  ['ts_of_min_over_time', [M], V, 0, true],
  ['ts_of_last_over_time', [M], V, 0, true],
  ['minute', [V], V, 1],
  ['month', [V], V, 1],
  ['pi', [], S],
  ['predict_linear', [M, S], V],
  ['present_over_time', [M], V],
  ['quantile_over_time', [S, M], V],
  ['rad', [V], V],
  ['range', [], S, 0, true],
  ['rate', [M], V],
  ['resets', [M], V],
  ['round', [V, S], V, 1],
  ['scalar', [V], S],
  ['sgn', [V], V],
  ['sin', [V], V],
  ['sinh', [V], V],
  ['sort', [V], V],
  ['sort_desc', [V], V],
  ['sort_by_label', [V, STR], V, -1, true],
  ['sort_by_label_desc', [V, STR], V, -1, true],
  ['sqrt', [V], V],
  ['start', [], S, 0, true],
  ['start_timestamp', [V], V, 0, true],
  ['step', [], S, 0, true],
  ['stddev_over_time', [M], V],
  ['stdvar_over_time', [M], V],
  ['sum_over_time', [M], V],
  ['tan', [V], V],
  ['tanh', [V], V],
  ['time', [], S],
  ['timestamp', [V], V],
  ['vector', [S], V],
  ['year', [V], V, 1],
];

/**
 * FUNCTION_SIGNATURES holds every function Prometheus 3.14 knows, including the experimental ones
 * and those that only work on native histograms, so the parser can name and type-check them all.
 */
export const FUNCTION_SIGNATURES: ReadonlyMap<string, FunctionSignature> = new Map(
  ROWS.map(([name, argTypes, returnType, variadic = 0, experimental = false]) => [
    name,
    Object.freeze({ name, argTypes: Object.freeze(argTypes), variadic, returnType, experimental }),
  ]),
);

const NATIVE_HISTOGRAM_ONLY = new Set([
  'histogram_avg',
  'histogram_count',
  'histogram_sum',
  'histogram_stddev',
  'histogram_stdvar',
]);

/**
 * isNativeHistogramFunction says whether a function only works on native histograms, so that an
 * engine without native histograms can reject it as unsupported. histogram_quantile(s) and
 * histogram_fraction also accept classic `le` buckets and are not among them.
 */
export function isNativeHistogramFunction(name: string): boolean {
  return NATIVE_HISTOGRAM_ONLY.has(name);
}
