import type { InstantFunction } from './types.js';
import { DATE_FUNCTIONS } from './date.js';
import { histogramFraction, histogramQuantile, histogramQuantiles } from './histogram.js';
import { labelJoin, labelReplace } from './labels.js';
import { MATH_FUNCTIONS, clamp, clampMax, clampMin, round } from './math.js';
import { sort, sortByLabel, sortByLabelDesc, sortDesc } from './sort.js';

/** InstantFunctionDef is an instant-vector function the engine calls once per step. */
export interface InstantFunctionDef {
  readonly fn: InstantFunction;
}

/**
 * INSTANT_FUNCTIONS are the functions over instant vectors, scalars and strings that the library
 * implements, by name. Name handling follows Prometheus 3 with delayed name removal: math, date,
 * clamp, round and histogram functions mark their output dropName; label_replace and label_join
 * keep the input's flag (and clear it when they write __name__); the sort functions return the
 * input samples unchanged. Not here (the engine's): time, timestamp, vector, scalar, pi, absent,
 * absent_over_time, info, start, end, range, step, min_of, max_of, start_timestamp, and the native
 * histogram functions (see isNativeHistogramFunction).
 */
export const INSTANT_FUNCTIONS: ReadonlyMap<string, InstantFunctionDef> = new Map<string, InstantFunctionDef>([
  ...[...MATH_FUNCTIONS].map(([name, fn]): [string, InstantFunctionDef] => [name, { fn }]),
  ...[...DATE_FUNCTIONS].map(([name, fn]): [string, InstantFunctionDef] => [name, { fn }]),
  ['round', { fn: round }],
  ['clamp', { fn: clamp }],
  ['clamp_min', { fn: clampMin }],
  ['clamp_max', { fn: clampMax }],
  ['label_replace', { fn: labelReplace }],
  ['label_join', { fn: labelJoin }],
  ['sort', { fn: sort }],
  ['sort_desc', { fn: sortDesc }],
  ['sort_by_label', { fn: sortByLabel }],
  ['sort_by_label_desc', { fn: sortByLabelDesc }],
  ['histogram_quantile', { fn: histogramQuantile }],
  ['histogram_quantiles', { fn: histogramQuantiles }],
  ['histogram_fraction', { fn: histogramFraction }],
]);
