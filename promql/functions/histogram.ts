import { LabelsBuilder, METRIC_NAME, type Labels } from '../../model/labels.js';
import type { Vector } from '../value.js';
import type { CallContext, InstantFunction } from './types.js';
import { annotate, badBucketLabelWarning, forcedMonotonicityInfo, invalidQuantileWarning } from './annotations.js';
import { scalarArg, stringArg, vectorArg } from './args.js';
import { bucketFraction, bucketQuantile, monotonicity } from './buckets.js';
import { formatOpenMetricsFloat, parseGoFloat } from './gofloat.js';

/**
 * histogram_quantile, histogram_quantiles and histogram_fraction over classic histograms: samples
 * are grouped by their labels without `le` (the metric name stays part of the group, as with
 * Prometheus 3's delayed name removal, and is dropped from the output later), `le` parsed as Go's
 * ParseFloat. A sample without a parseable `le` is skipped with a warning. Every output sample
 * drops its name. Native histograms are out of scope.
 */

const BUCKET_LABEL = 'le';

/** BucketGroup is one classic histogram: its labels (without le) and its buckets. */
interface BucketGroup {
  readonly metric: Labels;
  readonly upperBounds: number[];
  readonly counts: number[];
}

/** groupBuckets groups a vector's bucket samples, in order of first appearance. */
function groupBuckets(vec: Vector, ctx: CallContext, vectorArgIndex: number): BucketGroup[] {
  const groups: BucketGroup[] = [];
  const byKey = new Map<string, BucketGroup>();
  for (const s of vec) {
    const le = s.metric.get(BUCKET_LABEL);
    const upperBound = parseGoFloat(le);
    if (upperBound === undefined) {
      annotate(ctx, badBucketLabelWarning(s.metric.get(METRIC_NAME), le, vectorArgIndex));
      continue;
    }
    const key = keyWithout(s.metric, BUCKET_LABEL);
    let g = byKey.get(key);
    if (g === undefined) {
      g = { metric: s.metric.without(BUCKET_LABEL), upperBounds: [], counts: [] };
      byKey.set(key, g);
      groups.push(g);
    }
    g.upperBounds.push(upperBound);
    g.counts.push(s.v);
  }
  return groups;
}

/** keyWithout is an injective key of a label set without one label, built without a Labels copy. */
function keyWithout(metric: Labels, skip: string): string {
  const flat = metric.toFlat();
  let key = '';
  for (let i = 0; i < flat.length; i += 2) {
    if (flat[i] === skip) continue;
    const value = flat[i + 1]!;
    key += flat[i]! + '\u0000' + (value.includes('\u0000') ? value.replaceAll('\u0000', '\u0000\u0000') : value) + '\u0000';
  }
  return key;
}

function quantileOf(q: number, g: BucketGroup, ctx: CallContext, vectorArgIndex: number): number {
  // bucketQuantile sorts, coalesces and repairs the group in place and is always handed the
  // original length, as Prometheus hands BucketQuantile the same slice for each φ of
  // histogram_quantiles (so a second φ also sees the first call's leftovers, as there).
  const v = bucketQuantile(q, g.upperBounds, g.counts, g.upperBounds.length);
  if (monotonicity.forced) {
    annotate(
      ctx,
      forcedMonotonicityInfo(
        g.metric.get(METRIC_NAME),
        vectorArgIndex,
        ctx.t,
        monotonicity.minBucket,
        monotonicity.maxBucket,
        monotonicity.maxDiff,
      ),
    );
  }
  return v;
}

function validateQuantile(q: number, ctx: CallContext, argIndex: number): void {
  if (q !== q || q < 0 || q > 1) annotate(ctx, invalidQuantileWarning(q, argIndex));
}

/** histogram_quantile(φ scalar, buckets instant-vector). */
export const histogramQuantile: InstantFunction = (args, ctx) => {
  const q = scalarArg(args, 0);
  validateQuantile(q, ctx, 0);
  const groups = groupBuckets(vectorArg(args, 1), ctx, 1);
  const out: Vector = new Array(groups.length);
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    out[i] = { metric: g.metric, t: ctx.t, v: quantileOf(q, g, ctx, 1), dropName: true };
  }
  return out;
};

/**
 * histogram_quantiles(buckets instant-vector, label string, φ scalar...) (experimental): one
 * output per φ and histogram, labelled `label`=φ in OpenMetrics float form ("0.5", "1.0").
 */
export const histogramQuantiles: InstantFunction = (args, ctx) => {
  const label = stringArg(args, 1);
  const qs: number[] = [];
  for (let i = 2; i < args.length; i++) {
    const q = scalarArg(args, i);
    validateQuantile(q, ctx, i);
    qs.push(q);
  }
  const groups = groupBuckets(vectorArg(args, 0), ctx, 0);
  const out: Vector = [];
  const builder = new LabelsBuilder();
  for (const q of qs) {
    const qLabel = formatOpenMetricsFloat(q);
    for (const g of groups) {
      const v = quantileOf(q, g, ctx, 0);
      out.push({ metric: builder.reset(g.metric).set(label, qLabel).labels(), t: ctx.t, v, dropName: true });
    }
  }
  return out;
};

/** histogram_fraction(lower scalar, upper scalar, buckets instant-vector). */
export const histogramFraction: InstantFunction = (args, ctx) => {
  const lower = scalarArg(args, 0);
  const upper = scalarArg(args, 1);
  const groups = groupBuckets(vectorArg(args, 2), ctx, 2);
  const out: Vector = new Array(groups.length);
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    out[i] = {
      metric: g.metric,
      t: ctx.t,
      v: bucketFraction(lower, upper, g.upperBounds, g.counts, g.upperBounds.length),
      dropName: true,
    };
  }
  return out;
};
