import type { Labels } from '../model/labels.js';

/**
 * The values a PromQL expression evaluates to, as in Prometheus. Timestamps are integer ms;
 * values float64. Native histograms are out of scope.
 */

/** Sample is one element of an instant vector: a series' value at the evaluation time. */
export interface Sample {
  metric: Labels;
  /** t is the evaluation timestamp (ms). */
  t: number;
  v: number;
  /**
   * dropName marks a sample whose `__name__` must go, but not yet: Prometheus 3's delayed name
   * removal keeps it through label_replace and friends and drops it when the value leaves the
   * engine (or where an operation needs it gone, such as aggregation or vector matching).
   */
  dropName?: boolean;
}

export type Vector = Sample[];

/**
 * Series is one element of a range vector (matrix): a label set and its points in time order.
 * Points are kept as two parallel arrays; `ts[i]`, `vs[i]` for i in [0, length).
 */
export interface Series {
  metric: Labels;
  ts: number[];
  vs: number[];
  dropName?: boolean;
}

export type Matrix = Series[];

export interface Scalar {
  t: number;
  v: number;
}

export interface StringValue {
  t: number;
  s: string;
}

/** Value is what a query returns. */
export type Value =
  | { readonly type: 'vector'; readonly vector: Vector }
  | { readonly type: 'matrix'; readonly matrix: Matrix }
  | { readonly type: 'scalar'; readonly scalar: Scalar }
  | { readonly type: 'string'; readonly string: StringValue };

/** ValueType names the static type of an expression, as PromQL's type checker does. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** valueTypeName is how Prometheus names types in errors: "instant vector", "range vector", "scalar", "string". */
export function valueTypeName(t: ValueType): string {
  return t === 'vector' ? 'instant vector' : t === 'matrix' ? 'range vector' : t;
}
