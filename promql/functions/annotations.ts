import type { CallContext } from './types.js';
import { formatGoFloat } from './gofloat.js';
import { goQuote } from '../strings.js';

/**
 * Prometheus answers some function calls with annotations ("PromQL warning: ..." and
 * "PromQL info: ...") next to the result. The functions here report them through an optional sink
 * on the call context; the engine adds the position and deduplicates them per query, as
 * Prometheus's annotations.Annotations does (a map keyed by the final text).
 */

export type AnnotationKind = 'warning' | 'info';

/** FunctionAnnotation is one annotation raised by a function call. */
export interface FunctionAnnotation {
  readonly kind: AnnotationKind;
  /** message is the text between "PromQL warning: " (or "PromQL info: ") and the position suffix. */
  readonly message: string;
  /** argIndex is the call argument whose start position Prometheus prints, as "(line:col)". */
  readonly argIndex: number;
  /**
   * monotonicity is set on histogram_quantile's forced-monotonicity info. Prometheus merges equal
   * ones across steps and series (see mergeMonotonicity) and prints the merged details.
   */
  readonly monotonicity?: MonotonicityDetails;
}

/** MonotonicityDetails are what Prometheus prints about buckets it had to make monotonic. */
export interface MonotonicityDetails {
  /** minT, maxT: the evaluation timestamps (ms) over which it happened. */
  minT: number;
  maxT: number;
  /** minBucket, maxBucket: the lowest and highest upper bound whose count was raised. */
  minBucket: number;
  maxBucket: number;
  /** maxDiff: the largest decrease removed. */
  maxDiff: number;
  /** count: how many further occurrences were merged into this one. */
  count: number;
}

/** AnnotatingCallContext is a CallContext that collects annotations when `annotations` is set. */
export interface AnnotatingCallContext extends CallContext {
  readonly annotations?: FunctionAnnotation[];
}

/** annotate appends an annotation to the context's sink, if it has one. */
export function annotate(ctx: CallContext, a: FunctionAnnotation): void {
  (ctx as AnnotatingCallContext).annotations?.push(a);
}

/** invalidQuantileWarning: a φ outside [0, 1] or NaN (Prometheus still computes a result). */
export function invalidQuantileWarning(q: number, argIndex: number): FunctionAnnotation {
  return { kind: 'warning', message: `quantile value should be between 0 and 1, got ${formatGoFloat(q)}`, argIndex };
}

/** badBucketLabelWarning: a classic-histogram sample without a parseable `le` label. */
export function badBucketLabelWarning(metricName: string, le: string, argIndex: number): FunctionAnnotation {
  return {
    kind: 'warning',
    message: `bucket label "le" is missing or has a malformed value of ${goQuote(le)} for metric name ${goQuote(metricName)}`,
    argIndex,
  };
}

/**
 * possibleNonCounterInfo: rate or increase over a series whose name does not end in _total, _sum,
 * _count or _bucket (Prometheus raises it per series with output, on the range argument).
 */
export function possibleNonCounterInfo(metricName: string, argIndex: number): FunctionAnnotation | undefined {
  if (metricName === '' || /_(total|sum|count|bucket)$/.test(metricName)) return undefined;
  return {
    kind: 'info',
    message: `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${goQuote(metricName)}`,
    argIndex,
  };
}

const MONOTONICITY =
  'input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)';

/** forcedMonotonicityInfo: classic buckets whose counts decreased and were raised. */
export function forcedMonotonicityInfo(
  metricName: string,
  argIndex: number,
  t: number,
  minBucket: number,
  maxBucket: number,
  maxDiff: number,
): FunctionAnnotation {
  return {
    kind: 'info',
    message: metricName === '' ? MONOTONICITY : `${MONOTONICITY} for metric name ${goQuote(metricName)}`,
    argIndex,
    monotonicity: { minT: t, maxT: t, minBucket, maxBucket, maxDiff, count: 0 },
  };
}

/** mergeMonotonicity widens `into` by `from` (both of the same message), as Prometheus does. */
export function mergeMonotonicity(into: MonotonicityDetails, from: MonotonicityDetails): void {
  if (from.minT < into.minT) into.minT = from.minT;
  if (from.maxT > into.maxT) into.maxT = from.maxT;
  if (from.minBucket < into.minBucket) into.minBucket = from.minBucket;
  if (from.maxBucket > into.maxBucket) into.maxBucket = from.maxBucket;
  if (from.maxDiff > into.maxDiff) into.maxDiff = from.maxDiff;
  into.count += from.count + 1;
}

/**
 * formatAnnotation renders an annotation as Prometheus's API does, given the "line:col" of its
 * argument, e.g. `PromQL warning: quantile value should be between 0 and 1, got 2 (1:20)`.
 */
export function formatAnnotation(a: FunctionAnnotation, position: string): string {
  let text = `PromQL ${a.kind}: ${a.message}`;
  const m = a.monotonicity;
  if (m !== undefined) {
    text +=
      `, from buckets ${formatGoFloat(m.minBucket)} to ${formatGoFloat(m.maxBucket)}` +
      `, with a max diff of ${formatGoFloatPrecision2(m.maxDiff)}` +
      `, over ${m.count + 1} samples from ${rfc3339Seconds(m.minT)} to ${rfc3339Seconds(m.maxT)}`;
  }
  return `${text} (${position})`;
}


function rfc3339Seconds(ms: number): string {
  // Go truncates ms/1000 toward zero and prints whole seconds.
  return new Date(Math.trunc(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** formatGoFloatPrecision2 is fmt's %.2g. */
function formatGoFloatPrecision2(v: number): string {
  if (!Number.isFinite(v)) return formatGoFloat(v);
  if (v === 0) return '0';
  const [mant, expStr] = v.toExponential(1).split('e') as [string, string];
  const exp = Number(expStr);
  const m = mant.replace(/\.?0+$/, '');
  if (exp < -4 || exp >= 2) return `${m}e${exp < 0 ? '-' : '+'}${Math.abs(exp) < 10 ? '0' : ''}${Math.abs(exp)}`;
  return String(Number(v.toPrecision(2)));
}

export { goQuote };
