import { formatGoFloat, formatPromAPIFloat } from '../collectors/textparse/format.js';
import { Labels } from '../model/labels.js';
import { PromQLError } from './errors.js';
import { goQuote } from './strings.js';
import { goSortReverse, heapFix, heapPush, type Less } from './gosort.js';
import { Grouper, grouperFor, type Grouping } from './grouping.js';
import { kahanIncAt } from './kahan.js';
import { labelsHash } from './labelhash.js';
import { quantile } from './quantile.js';
import type { Sample, Vector } from './value.js';
import type { AggregateOp } from './ast.js';

export type { Grouping } from './grouping.js';

/**
 * PromQL's aggregation operators at one evaluation step, as Prometheus 3 evaluates them
 * (promql/engine.go: aggregation, aggregationK, aggregationCountValues; promql/quantile.go).
 *
 * Labels: sum, avg, count, min, max, group, stddev, stdvar and quantile output one sample per
 * group with the group's labels (`by`: the listed labels, `__name__` included if listed;
 * `without`: all but the listed labels and `__name__`). With delayed name removal an output
 * sample is marked dropName when any of its group's inputs was, as in Prometheus, so
 * `sum by (__name__) (rate(x[5m]))` ends up nameless. topk, bottomk, limitk and limit_ratio
 * output input samples whole (labels and dropName). count_values outputs the group labels plus
 * the value label, never marked.
 *
 * Order: groups in order of first appearance in the input; within a topk/bottomk group, the
 * order Prometheus produces for an instant query (descending for topk, ascending for bottomk, NaN
 * last, ties as Go's sort leaves them); limitk and limit_ratio in Prometheus's heap order.
 * count_values' groups come in first-appearance order (Prometheus's are in map order).
 */

export type { AggregateOp } from './ast.js';

/**
 * aggregate computes `op [by|without (grouping)] ([param,] input)` at evaluation time t (ms).
 * param is k for topk/bottomk/limitk, the ratio for limit_ratio, φ for quantile, the output label
 * name for count_values, and unused otherwise. Errors are thrown as PromQLError('execution') with
 * Prometheus's messages: `Parameter value is NaN`, `Scalar value … overflows int64`, `Ratio value
 * is NaN`, `invalid label name "…"`. They are raised even when input is empty, as in Prometheus.
 *
 * Prometheus checks topk/limitk/limit_ratio parameters over all steps of a range query at once;
 * aggregate checks the value of this step (see checkAggregationParams for the whole-range check).
 */
export function aggregate(
  op: AggregateOp,
  input: Vector,
  grouping: Grouping,
  param: number | string | undefined,
  t: number,
): Vector {
  switch (op) {
    case 'count_values':
      return countValues(input, grouping, stringParam(op, param), t);
    case 'topk':
    case 'bottomk':
    case 'limitk':
    case 'limit_ratio':
      return aggregateK(op, input, grouperFor(grouping), numberParam(op, param), t);
    case 'quantile':
      return aggregateValues(op, input, grouperFor(grouping), numberParam(op, param), t);
    default:
      return aggregateValues(op, input, grouperFor(grouping), NaN, t);
  }
}

function numberParam(op: AggregateOp, param: number | string | undefined): number {
  if (typeof param !== 'number') throw new Error(`${op} needs a number parameter, got ${typeof param}`);
  return param;
}

function stringParam(op: AggregateOp, param: number | string | undefined): string {
  if (typeof param !== 'string') throw new Error(`${op} needs a string parameter, got ${typeof param}`);
  return param;
}

/**
 * checkAggregationParams checks an aggregation's parameter over every step of a query at once, as
 * Prometheus's rangeEvalAgg does before evaluating: it throws the PromQLError Prometheus raises
 * (a NaN k or ratio; a k overflowing int64; for range queries also a k underflowing int64 while
 * another step's k is at least 1), and returns the warnings Prometheus annotates (a quantile φ or
 * a limit_ratio ratio out of range), without their query position. params holds the parameter's
 * value at each step.
 */
export function checkAggregationParams(op: AggregateOp, params: ArrayLike<number>): string[] {
  let min = Infinity;
  let max = -Infinity;
  let nan = false;
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    if (p !== p) nan = true;
    else {
      if (p < min) min = p;
      if (p > max) max = p;
    }
  }
  if (params.length === 0) return [];
  // Go's math.Max/Min propagate NaN: a NaN anywhere makes the extremes NaN.
  if (nan) min = max = NaN;
  const warnings: string[] = [];
  switch (op) {
    case 'topk':
    case 'bottomk':
    case 'limitk':
      if (max < 1) return warnings;
      if (nan) throw new PromQLError('execution', 'Parameter value is NaN');
      if (min <= MIN_INT64) throw new PromQLError('execution', `Scalar value ${formatGoFloat(min)} underflows int64`);
      if (max >= MAX_INT64) throw new PromQLError('execution', `Scalar value ${formatGoFloat(max)} overflows int64`);
      return warnings;
    case 'limit_ratio':
      if (max === 0 && min === 0) return warnings;
      if (nan) throw new PromQLError('execution', 'Ratio value is NaN');
      if (max > 1) warnings.push(`PromQL warning: ratio value should be between -1 and 1, got ${formatGoFloat(max)}, capping to 1`);
      if (min < -1) warnings.push(`PromQL warning: ratio value should be between -1 and 1, got ${formatGoFloat(min)}, capping to -1`);
      return warnings;
    case 'quantile':
      if (nan) warnings.push('PromQL warning: quantile value should be between 0 and 1, got NaN');
      if (max > 1) warnings.push(`PromQL warning: quantile value should be between 0 and 1, got ${formatGoFloat(max)}`);
      if (min < 0) warnings.push(`PromQL warning: quantile value should be between 0 and 1, got ${formatGoFloat(min)}`);
      return warnings;
    default:
      return warnings;
  }
}

/** The largest and smallest float64 that convert to int64 without overflow (Prometheus's maxInt64, minInt64). */
const MAX_INT64 = 9223372036854774784;
const MIN_INT64 = -9223372036854775808;

/** aggregateValues computes sum, avg, count, min, max, group, stddev, stdvar and quantile. */
function aggregateValues(op: AggregateOp, input: Vector, grouper: Grouper, q: number, t: number): Vector {
  if (input.length === 0) return [];
  const constant = grouper.constant;
  const slotOf = constant ? undefined : new Map<string, number>();
  const labels: Labels[] = [];
  const dropName: boolean[] = [];
  // Per group, by slot: the running value, the mean (avg, stddev), the Kahan compensation, the
  // count, whether avg fell back to the incremental mean, and quantile's values.
  const value: number[] = [];
  const mean: number[] = [];
  const comp: number[] = [];
  const count: number[] = [];
  const incremental: boolean[] = [];
  const values: number[][] = [];

  for (let i = 0; i < input.length; i++) {
    const s = input[i]!;
    const f = s.v;
    let slot: number | undefined;
    let groupLabels = Labels.EMPTY;
    if (constant) {
      slot = labels.length === 0 ? undefined : 0;
    } else {
      const g = grouper.group(s.metric);
      slot = slotOf!.get(g.key);
      if (slot === undefined) {
        slotOf!.set(g.key, labels.length);
        groupLabels = g.labels;
      }
    }
    if (slot === undefined) {
      labels.push(groupLabels);
      dropName.push(s.dropName === true);
      value.push(op === 'group' ? 1 : op === 'stddev' || op === 'stdvar' ? (Number.isFinite(f) ? 0 : NaN) : f);
      mean.push(f);
      comp.push(0);
      count.push(1);
      incremental.push(false);
      if (op === 'quantile') values.push([f]);
      continue;
    }
    if (s.dropName === true) dropName[slot] = true;
    switch (op) {
      case 'sum':
        kahanIncAt(value, comp, slot, f);
        break;
      case 'avg':
        addToMean(slot, f, value, mean, comp, count, incremental);
        break;
      case 'count':
        count[slot]!++;
        break;
      case 'group':
        break;
      case 'max': {
        const cur = value[slot]!;
        if (cur < f || cur !== cur) value[slot] = f;
        break;
      }
      case 'min': {
        const cur = value[slot]!;
        if (cur > f || cur !== cur) value[slot] = f;
        break;
      }
      case 'stddev':
      case 'stdvar': {
        // Welford's online algorithm, as Prometheus: the mean and the sum of squared deviations.
        const n = ++count[slot]!;
        const delta = f - mean[slot]!;
        mean[slot] = mean[slot]! + delta / n;
        value[slot] = value[slot]! + delta * (f - mean[slot]!);
        break;
      }
      case 'quantile':
        values[slot]!.push(f);
        break;
      default:
        throw new Error(`expected aggregation operator but got "${op}"`);
    }
  }

  const out: Vector = new Array<Sample>(labels.length);
  for (let slot = 0; slot < labels.length; slot++) {
    let v: number;
    switch (op) {
      case 'sum':
        v = value[slot]! + comp[slot]!;
        break;
      case 'avg':
        v = incremental[slot]
          ? mean[slot]! + comp[slot]!
          : value[slot]! / count[slot]! + comp[slot]! / count[slot]!;
        break;
      case 'count':
        v = count[slot]!;
        break;
      case 'stdvar':
        v = value[slot]! / count[slot]!;
        break;
      case 'stddev':
        v = Math.sqrt(value[slot]! / count[slot]!);
        break;
      case 'quantile':
        v = quantile(q, values[slot]!);
        break;
      default:
        v = value[slot]!;
    }
    out[slot] = { metric: labels[slot]!, t, v, dropName: dropName[slot]! };
  }
  return out;
}

/**
 * addToMean adds f to avg's group at slot: a Kahan-compensated sum divided at the end while the
 * sum stays finite, and once it would overflow, an incremental (Kahan-compensated) mean, exactly
 * as Prometheus switches between them.
 */
function addToMean(
  slot: number,
  f: number,
  sum: number[],
  mean: number[],
  comp: number[],
  count: number[],
  incremental: boolean[],
): void {
  const n = ++count[slot]!;
  if (!incremental[slot]) {
    const before = sum[slot]!;
    const beforeC = comp[slot]!;
    kahanIncAt(sum, comp, slot, f);
    const s = sum[slot]!;
    if (s !== Infinity && s !== -Infinity) return;
    // The sum would overflow: switch to the incremental mean from the sum so far.
    sum[slot] = before;
    incremental[slot] = true;
    mean[slot] = before / (n - 1);
    comp[slot] = beforeC / (n - 1);
  }
  const q = (n - 1) / n;
  mean[slot] = q * mean[slot]!;
  comp[slot] = q * comp[slot]!;
  kahanIncAt(mean, comp, slot, f / n);
}

/** vectorByValueHeap.Less: NaN is less than anything (so a min-heap keeps NaN on top). */
const byValue: Less<Sample> = (a, b) => a.v !== a.v || a.v < b.v;
/** vectorByReverseValueHeap.Less: NaN is less than anything (a max-heap keeps NaN on top). */
const byReverseValue: Less<Sample> = (a, b) => a.v !== a.v || a.v > b.v;

/** aggregateK computes topk, bottomk, limitk and limit_ratio. */
function aggregateK(op: AggregateOp, input: Vector, grouper: Grouper, p: number, t: number): Vector {
  let k = 0;
  let ratio = 0;
  if (op === 'limit_ratio') {
    if (p === 0) return [];
    if (p !== p) throw new PromQLError('execution', 'Ratio value is NaN');
    ratio = p < -1 ? -1 : p > 1 ? 1 : p;
  } else {
    if (p < 1) return [];
    if (p !== p) throw new PromQLError('execution', 'Parameter value is NaN');
    if (p >= MAX_INT64) throw new PromQLError('execution', `Scalar value ${formatGoFloat(p)} overflows int64`);
    k = Math.min(Math.trunc(p), input.length);
    if (k < 1) return [];
  }

  const constant = grouper.constant;
  const slotOf = constant ? undefined : new Map<string, number>();
  const heaps: Sample[][] = [];
  for (let i = 0; i < input.length; i++) {
    const s = input[i]!;
    let slot: number | undefined;
    if (constant) slot = heaps.length === 0 ? undefined : 0;
    else {
      const key = grouper.group(s.metric).key;
      slot = slotOf!.get(key);
      if (slot === undefined) slotOf!.set(key, heaps.length);
    }
    if (slot === undefined) {
      const heap: Sample[] = [];
      if (op !== 'limit_ratio' || inRatio(ratio, s)) heap.push(s);
      heaps.push(heap);
      continue;
    }
    const heap = heaps[slot]!;
    switch (op) {
      case 'topk': {
        if (heap.length < k) heapPush(heap, s, byValue);
        else {
          const top = heap[0]!.v;
          if (top < s.v || (top !== top && s.v === s.v)) {
            heap[0] = s;
            if (k > 1) heapFix(heap, 0, byValue);
          }
        }
        break;
      }
      case 'bottomk': {
        if (heap.length < k) heapPush(heap, s, byReverseValue);
        else {
          const top = heap[0]!.v;
          if (top > s.v || (top !== top && s.v === s.v)) {
            heap[0] = s;
            if (k > 1) heapFix(heap, 0, byReverseValue);
          }
        }
        break;
      }
      case 'limitk':
        if (heap.length < k) heapPush(heap, s, byValue);
        break;
      default: // limit_ratio
        if (inRatio(ratio, s)) heapPush(heap, s, byValue);
    }
  }

  const out: Vector = [];
  for (const heap of heaps) {
    if (heap.length > 1) {
      if (op === 'topk') goSortReverse(heap, byValue);
      else if (op === 'bottomk') goSortReverse(heap, byReverseValue);
    }
    for (const s of heap) out.push({ metric: s.metric, t, v: s.v, dropName: s.dropName === true });
  }
  return out;
}

const TWO_64 = 2 ** 64;

/**
 * inRatio is Prometheus's HashRatioSampler: a series' offset in [0, 1) is its label hash over
 * 2^64; a ratio r ≥ 0 takes offsets below r, a negative r the complement, offsets ≥ 1 + r.
 */
function inRatio(r: number, s: Sample): boolean {
  const offset = Number(labelsHash(s.metric)) / TWO_64;
  return (r >= 0 && offset < r) || (r < 0 && offset >= 1 + r);
}

/**
 * countValues computes count_values: per group, the number of samples with each value, the value
 * (formatted as Prometheus formats floats in the API) going into the output label.
 */
function countValues(input: Vector, grouping: Grouping, valueLabel: string, t: number): Vector {
  if (!isValidUTF8LabelName(valueLabel)) {
    throw new PromQLError('execution', `invalid label name ${goQuote(valueLabel)}`);
  }
  // by: the value label is one of the grouping labels; without: it stays unless listed.
  const grouper = grouping.without ? grouperFor(grouping) : countValuesGrouper(grouping, valueLabel);
  const slotOf = new Map<string, number>();
  const labels: Labels[] = [];
  const counts: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const s = input[i]!;
    const g = grouper.compute(withLabel(s.metric, valueLabel, formatPromAPIFloat(s.v)));
    const slot = slotOf.get(g.key);
    if (slot === undefined) {
      slotOf.set(g.key, labels.length);
      labels.push(g.labels);
      counts.push(1);
    } else counts[slot]!++;
  }
  const out: Vector = new Array<Sample>(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = { metric: labels[i]!, t, v: counts[i]!, dropName: false };
  return out;
}

const countValuesGroupers = new WeakMap<readonly string[], Map<string, Grouper>>();

function countValuesGrouper(grouping: Grouping, valueLabel: string): Grouper {
  let byLabel = countValuesGroupers.get(grouping.labels);
  if (byLabel === undefined) {
    byLabel = new Map();
    countValuesGroupers.set(grouping.labels, byLabel);
  }
  let g = byLabel.get(valueLabel);
  if (g === undefined) {
    g = new Grouper(false, [...grouping.labels, valueLabel]);
    byLabel.set(valueLabel, g);
  }
  return g;
}

/** withLabel returns ls with name set to value (value is never empty here). */
function withLabel(ls: Labels, name: string, value: string): Labels {
  const flat = ls.toFlat();
  const out: string[] = [];
  let i = 0;
  while (i < flat.length && flat[i]! < name) {
    out.push(flat[i]!, flat[i + 1]!);
    i += 2;
  }
  out.push(name, value);
  if (i < flat.length && flat[i] === name) i += 2;
  for (; i < flat.length; i++) out.push(flat[i]!);
  return Labels.fromSorted(out);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** isValidUTF8LabelName is Prometheus 3's label name rule: any non-empty valid UTF-8 string. */
function isValidUTF8LabelName(name: string): boolean {
  return name.length > 0 && !LONE_SURROGATE.test(name);
}

export { goQuote };
