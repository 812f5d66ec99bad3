import { Labels, LabelsBuilder, METRIC_NAME } from '../model/labels.js';
import type { Queryable } from '../model/storage.js';
import { aggregate, checkAggregationParams, type Grouping } from './aggregate.js';
import type { Annotations } from './annotations.js';
import type { AggregateExpr, BinaryExpr, Call, Expr, MatrixSelector, SubqueryExpr, VectorSelector } from './ast.js';
import { typeOf } from './ast.js';
import { scalarBinaryOp, vectorBinaryOp, vectorScalarOp } from './binary.js';
import { ERR_TIMEOUT, PromQLError } from './errors.js';
import { INSTANT_FUNCTIONS } from './functions/instant.js';
import { RANGE_FUNCTIONS } from './functions/range.js';
import { possibleNonCounterInfo, type AnnotatingCallContext, type FunctionAnnotation } from './functions/annotations.js';
import { isNativeHistogramFunction } from './functions/signatures.js';
import type { FunctionArg } from './functions/types.js';
import { loadSeries, lookbackIndex, type SampleBudget, type Window, withoutStaleness } from './selectors.js';
import type { Matrix, Sample, Series, Vector } from './value.js';

/** EvalSettings are fixed for a whole query. */
export interface EvalSettings {
  readonly queryable: Queryable;
  readonly lookbackDeltaMs: number;
  readonly noStepSubqueryIntervalMs: number;
  readonly budget: SampleBudget & { deadline: number };
  /** now reads the clock the deadline is on (ms). */
  readonly now: () => number;
  readonly annotations: Annotations;
  /** rangeQuery is set for range queries (sort functions then warn that they do nothing). */
  readonly rangeQuery: boolean;
  /** The query's own bounds and step (ms), for start(), end(), range() and step(). */
  readonly queryStart: number;
  readonly queryEnd: number;
  readonly queryStep: number;
}

/**
 * Evaluator evaluates an expression at every step from start to end (ms, inclusive) with the
 * given interval, as Prometheus's evaluator does: every instant-vector or scalar expression
 * becomes a matrix with one point per step at which it has a value, and operators combine those
 * step by step. An instant query is the one-step case.
 */
export class Evaluator {
  readonly numSteps: number;

  constructor(
    readonly start: number,
    readonly end: number,
    readonly interval: number,
    private readonly settings: EvalSettings,
  ) {
    this.numSteps = end < start ? 0 : Math.floor((end - start) / interval) + 1;
  }

  private checkDeadline(): void {
    if (this.settings.now() > this.settings.budget.deadline) throw new PromQLError('timeout', ERR_TIMEOUT);
  }

  /** eval returns a matrix for scalar and vector expressions (one point per step), or the string of a string literal. */
  eval(e: Expr): Matrix | string {
    this.checkDeadline();
    switch (e.kind) {
      case 'NumberLiteral':
        return [this.constantSeries(Labels.EMPTY, e.value)];
      case 'StringLiteral':
        return e.value;
      case 'ParenExpr':
        return this.eval(e.expr);
      case 'VectorSelector':
        return this.vectorSelector(e);
      case 'MatrixSelector':
        if (this.start !== this.end) throw new PromQLError('execution', 'cannot do range evaluation of matrix selector');
        return this.matrixSelectorRaw(e);
      case 'SubqueryExpr':
        return this.subquery(e);
      case 'StepInvariantExpr':
        return this.stepInvariant(e.expr);
      case 'UnaryExpr': {
        const m = this.evalMatrix(e.expr);
        if (e.op === '+') return m;
        return m.map((s) => ({ metric: s.metric, ts: s.ts, vs: s.vs.map((v) => -v), dropName: true }));
      }
      case 'BinaryExpr':
        return this.binary(e);
      case 'AggregateExpr':
        return this.aggregate(e);
      case 'Call':
        return this.call(e);
    }
  }

  evalMatrix(e: Expr): Matrix {
    const v = this.eval(e);
    if (typeof v === 'string') throw new PromQLError('execution', 'unexpected string value');
    return v;
  }

  /** constantSeries is a value at every step. */
  private constantSeries(metric: Labels, value: number): Series {
    const ts: number[] = new Array(this.numSteps);
    const vs: number[] = new Array(this.numSteps);
    for (let i = 0, t = this.start; i < this.numSteps; i++, t += this.interval) {
      ts[i] = t;
      vs[i] = value;
    }
    return { metric, ts, vs };
  }

  /** refTime is the time a selector looks at for step `t`: fixed by `@`, shifted by `offset`. */
  private static refTime(sel: { at: VectorSelector['at']; offsetMs: number }, t: number): number {
    const base = sel.at !== undefined && 'at' in sel.at ? sel.at.at : t;
    return base - sel.offsetMs;
  }

  private vectorSelector(e: VectorSelector): Matrix {
    const lookback = this.settings.lookbackDeltaMs;
    const firstRef = Evaluator.refTime(e, this.start);
    const lastRef = Evaluator.refTime(e, this.end);
    const raw = loadSeries(this.settings.queryable, e.matchers, Math.min(firstRef, lastRef) - lookback + 1, Math.max(firstRef, lastRef), this.settings.budget);
    const out: Matrix = [];
    const fixed = e.at !== undefined;
    for (const s of raw) {
      const ts: number[] = [];
      const vs: number[] = [];
      let hint = 0;
      let t = this.start;
      let last = this.end;
      if (!fixed) {
        // Only steps whose lookback window can hold one of this series' samples need a look: a
        // series that exists for a while of a long range (a subquery over 30 days) costs only
        // the steps where it exists.
        const firstSample = s.ts[0]!;
        const lastSample = s.ts[s.n - 1]!;
        if (firstSample > t - e.offsetMs) t += Math.ceil((firstSample + e.offsetMs - t) / this.interval) * this.interval;
        const end = lastSample + e.offsetMs + lookback - 1;
        if (end < last) last = end;
      }
      for (; t <= last; t += this.interval) {
        const i = lookbackIndex(s, Evaluator.refTime(e, t), lookback, hint);
        if (i < 0) continue;
        hint = i;
        ts.push(t);
        vs.push(s.vs[i]!);
      }
      if (ts.length > 0) out.push({ metric: s.metric, ts, vs });
    }
    this.settings.budget.add(out.reduce((n, s) => n + s.ts.length, 0));
    return out;
  }

  /** matrixSelectorRaw returns a range selector's raw samples at an instant (a range-vector result). */
  private matrixSelectorRaw(e: MatrixSelector): Matrix {
    const windows = this.windowsOfSelector(e);
    const ref = Evaluator.refTime(e.vectorSelector, this.start);
    const out: Matrix = [];
    for (const w of windows) {
      const ts: number[] = [];
      const vs: number[] = [];
      for (let i = 0; i < w.ts.length; i++) {
        const t = w.ts[i]!;
        if (t > ref - e.rangeMs && t <= ref) {
          ts.push(t);
          vs.push(w.vs[i]!);
        }
      }
      if (ts.length > 0) out.push({ metric: w.metric, ts, vs });
    }
    return out;
  }

  /** windowsOfSelector loads what a range selector needs for every step, staleness markers removed. */
  private windowsOfSelector(e: MatrixSelector): Window[] {
    const vs = e.vectorSelector;
    const first = Evaluator.refTime(vs, this.start);
    const last = Evaluator.refTime(vs, this.end);
    const raw = loadSeries(this.settings.queryable, vs.matchers, Math.min(first, last) - e.rangeMs + 1, Math.max(first, last), this.settings.budget);
    return withoutStaleness(raw);
  }

  private subquery(e: SubqueryExpr): Matrix {
    const step = e.stepMs > 0 ? e.stepMs : this.settings.noStepSubqueryIntervalMs;
    const endRef = Evaluator.refTime(e, this.end);
    const startRef = Evaluator.refTime(e, this.start);
    const from = Math.min(startRef, endRef) - e.rangeMs;
    // The first step after (start - offset - range) on the subquery's own grid (multiples of step).
    let start = step * Math.floor(from / step);
    if (start <= from) start += step;
    const sub = new Evaluator(start, Math.max(startRef, endRef), step, this.settings);
    return sub.evalMatrix(e.expr);
  }

  private stepInvariant(inner: Expr): Matrix | string {
    const once = new Evaluator(this.start, this.start, this.interval, this.settings);
    const v = once.eval(inner);
    if (typeof v === 'string') return v;
    const k = unwrap(inner).kind;
    if (k === 'MatrixSelector' || k === 'SubqueryExpr' || this.numSteps <= 1) return v;
    // The value is the same at every step: repeat it with each step's timestamp.
    return v.map((s) => {
      const series = this.constantSeries(s.metric, s.vs[0]!);
      if (s.dropName === true) series.dropName = true;
      return series;
    });
  }

  /**
   * rangeEval evaluates `exprs` and calls `fn` at every step with their vectors (strings are passed
   * through), assembling the outputs into series. Duplicate label sets at one step are an error.
   */
  private rangeEval(exprs: readonly Expr[], fn: (args: (Vector | number | string)[], t: number) => Vector): Matrix {
    const inputs = exprs.map((e) => this.eval(e));
    const cursors = inputs.map((v) => (typeof v === 'string' ? [] : new Array<number>(v.length).fill(0)));
    const scalarArg = exprs.map((e) => typeOf(e) === 'scalar');
    const out = new Map<string, { series: Series; lastT: number }>();
    const order: Series[] = [];
    for (let t = this.start; t <= this.end; t += this.interval) {
      this.checkDeadline();
      const args: (Vector | number | string)[] = inputs.map((input, i) => {
        if (typeof input === 'string') return input;
        const vec = gather(input, cursors[i]!, t);
        if (scalarArg[i]) return vec.length > 0 ? vec[0]!.v : NaN;
        return vec;
      });
      const result = fn(args, t);
      if (this.start === this.end) {
        // An instant query keeps the function's order (sort, topk).
        return result.map((s) => ({ metric: s.metric, ts: [t], vs: [s.v], ...(s.dropName === true ? { dropName: true } : {}) }));
      }
      for (const s of result) {
        const key = s.metric.key;
        let entry = out.get(key);
        if (entry === undefined) {
          entry = { series: { metric: s.metric, ts: [], vs: [], ...(s.dropName === true ? { dropName: true } : {}) }, lastT: NaN };
          out.set(key, entry);
          order.push(entry.series);
        } else if (entry.lastT === t) {
          throw new PromQLError('execution', 'vector cannot contain metrics with the same labelset');
        }
        entry.lastT = t;
        entry.series.ts.push(t);
        entry.series.vs.push(s.v);
      }
    }
    return order;
  }

  private binary(e: BinaryExpr): Matrix {
    const lt = typeOf(e.lhs);
    const rt = typeOf(e.rhs);
    if (lt === 'scalar' && rt === 'scalar') {
      return this.rangeEval([e.lhs, e.rhs], (a, t) => [{ metric: Labels.EMPTY, t, v: scalarBinaryOp(e.op, a[0] as number, a[1] as number) }]);
    }
    if (lt === 'vector' && rt === 'vector') {
      return this.rangeEval([e.lhs, e.rhs], (a, t) => vectorBinaryOp(e.op, a[0] as Vector, a[1] as Vector, e.matching!, e.returnBool, t));
    }
    if (lt === 'vector') {
      return this.rangeEval([e.lhs, e.rhs], (a, t) => vectorScalarOp(e.op, a[0] as Vector, a[1] as number, false, e.returnBool, t));
    }
    return this.rangeEval([e.lhs, e.rhs], (a, t) => vectorScalarOp(e.op, a[1] as Vector, a[0] as number, true, e.returnBool, t));
  }

  private aggregate(e: AggregateExpr): Matrix {
    const grouping: Grouping = { without: e.without, labels: e.grouping };
    if (e.param !== undefined && typeOf(e.param) === 'scalar') {
      // Prometheus checks the parameter over the whole range before aggregating.
      const param = this.evalMatrix(e.param)[0];
      const values: number[] = [];
      for (let t = this.start; t <= this.end; t += this.interval) values.push(param === undefined ? NaN : valueAt(param, t));
      for (const w of checkAggregationParams(e.op, values)) {
        this.settings.annotations.add('warning', w.replace(/^PromQL warning: /, ''), e.param.pos);
      }
    }
    const exprs = e.param === undefined ? [e.expr] : [e.expr, e.param];
    return this.rangeEval(exprs, (a, t) => aggregate(e.op, a[0] as Vector, grouping, a[1] as number | string | undefined, t));
  }

  private call(e: Call): Matrix {
    if (isNativeHistogramFunction(e.func)) {
      throw new PromQLError('unsupported', `function ${JSON.stringify(e.func)} works on native histograms, which vigil does not support`);
    }
    switch (e.func) {
      case 'time':
        return [this.stepSeries(Labels.EMPTY, (t) => t / 1000)];
      case 'pi':
        return [this.constantSeries(Labels.EMPTY, Math.PI)];
      case 'vector':
        return this.rangeEval(e.args, (a, t) => [{ metric: Labels.EMPTY, t, v: a[0] as number }]);
      case 'scalar':
        return this.rangeEval(e.args, (a, t) => {
          const vec = a[0] as Vector;
          return [{ metric: Labels.EMPTY, t, v: vec.length === 1 ? vec[0]!.v : NaN }];
        });
      case 'absent':
        return this.rangeEval(e.args, (a, t) => ((a[0] as Vector).length === 0 ? [{ metric: absentLabels(e.args[0]!), t, v: 1 }] : []));
      case 'timestamp':
        return this.timestamp(e);
      case 'start':
        return [this.constantSeries(Labels.EMPTY, this.settings.queryStart / 1000)];
      case 'end':
        return [this.constantSeries(Labels.EMPTY, this.settings.queryEnd / 1000)];
      case 'range':
        return [this.constantSeries(Labels.EMPTY, (this.settings.queryEnd - this.settings.queryStart) / 1000)];
      case 'step':
        return [this.constantSeries(Labels.EMPTY, this.settings.queryStep / 1000)];
      case 'min_of':
      case 'max_of': {
        // math.Min/Max: NaN wins.
        const pick = e.func === 'min_of' ? Math.min : Math.max;
        return this.rangeEval(e.args, (a, t) => [{ metric: Labels.EMPTY, t, v: pick(a[0] as number, a[1] as number) }]);
      }
    }
    const matrixArg = e.args.findIndex((a) => {
      const k = unwrapInvariant(a).kind;
      return k === 'MatrixSelector' || k === 'SubqueryExpr';
    });
    if (matrixArg >= 0) return this.rangeFunction(e, matrixArg);
    const def = INSTANT_FUNCTIONS.get(e.func);
    if (def === undefined) throw new PromQLError('unsupported', `function ${JSON.stringify(e.func)} is not supported by vigil`);
    if (this.settings.rangeQuery && e.func.startsWith('sort')) {
      this.settings.annotations.add('warning', 'sort is ineffective for range queries since results are always ordered by labels', e.pos);
    }
    const annotations: FunctionAnnotation[] = [];
    const report = () => {
      for (const a of annotations) this.settings.annotations.addFunction(a, (e.args[a.argIndex] ?? e).pos);
      annotations.length = 0;
    };
    const ctx = (t: number): AnnotatingCallContext => ({ t, annotations });
    let out: Matrix;
    if (e.args.length === 0) {
      // Date functions without an argument work on vector(time()).
      out = this.rangeEval([], (_a, t) => def.fn([[{ metric: Labels.EMPTY, t, v: t / 1000 }]], ctx(t)));
    } else {
      out = this.rangeEval(e.args, (a, t) => {
        const r = def.fn(a as FunctionArg[], ctx(t));
        report();
        return r;
      });
    }
    report();
    return out;
  }

  private stepSeries(metric: Labels, f: (t: number) => number): Series {
    const s = this.constantSeries(metric, 0);
    for (let i = 0; i < s.ts.length; i++) s.vs[i] = f(s.ts[i]!);
    return s;
  }

  /** timestamp of a plain selector is the sample's own time; of anything else, the step's. */
  private timestamp(e: Call): Matrix {
    const arg = unwrapInvariant(e.args[0]!);
    if (arg.kind !== 'VectorSelector') {
      return this.rangeEval(e.args, (a, t) => (a[0] as Vector).map((s) => ({ metric: s.metric, t, v: t / 1000, dropName: true })));
    }
    const lookback = this.settings.lookbackDeltaMs;
    const first = Evaluator.refTime(arg, this.start);
    const last = Evaluator.refTime(arg, this.end);
    const raw = loadSeries(this.settings.queryable, arg.matchers, Math.min(first, last) - lookback + 1, Math.max(first, last), this.settings.budget);
    const out: Matrix = [];
    for (const s of raw) {
      const series: Series = { metric: s.metric, ts: [], vs: [], dropName: true };
      let hint = 0;
      for (let t = this.start; t <= this.end; t += this.interval) {
        const i = lookbackIndex(s, Evaluator.refTime(arg, t), lookback, hint);
        if (i < 0) continue;
        hint = i;
        series.ts.push(t);
        series.vs.push(s.ts[i]! / 1000);
      }
      if (series.ts.length > 0) out.push(series);
    }
    return out;
  }

  /** rangeFunction evaluates a function over a range vector (a range selector or a subquery). */
  private rangeFunction(e: Call, matrixArg: number): Matrix {
    const def = RANGE_FUNCTIONS.get(e.func);
    if (def === undefined && e.func !== 'absent_over_time') {
      throw new PromQLError('unsupported', `function ${JSON.stringify(e.func)} is not supported by vigil`);
    }
    const arg = unwrapInvariant(e.args[matrixArg]!) as MatrixSelector | SubqueryExpr;
    let windows: Window[];
    let selector: { at: VectorSelector['at']; offsetMs: number };
    let rangeMs: number;
    if (arg.kind === 'MatrixSelector') {
      windows = this.windowsOfSelector(arg);
      selector = arg.vectorSelector;
      rangeMs = arg.rangeMs;
    } else {
      windows = this.subquery(arg).map((s) => ({ metric: s.metric, ts: s.ts, vs: s.vs, dropName: s.dropName === true }));
      selector = arg;
      rangeMs = arg.rangeMs;
    }
    // Scalar arguments (quantile_over_time's φ, predict_linear's t) are evaluated at every step.
    const scalarArgs = e.args.map((a, i) => (i === matrixArg ? undefined : this.evalMatrix(a)[0]));
    const out: Matrix = [];
    const args: number[] = [];
    const present = new Uint8Array(this.numSteps);
    const counterCheck = e.func === 'rate' || e.func === 'increase';
    for (const w of windows) {
      this.checkDeadline();
      const series: Series = { metric: w.metric, ts: [], vs: [], ...(def?.dropsName === true || w.dropName ? { dropName: true } : {}) };
      let lo = 0;
      let hi = 0;
      let step = 0;
      for (let t = this.start; t <= this.end; t += this.interval, step++) {
        const ref = Evaluator.refTime(selector, t);
        hi = firstAfter(w.ts, hi, w.ts.length, ref);
        lo = firstAfter(w.ts, lo, hi, ref - rangeMs);
        if (hi <= lo) continue;
        present[step] = 1;
        if (def === undefined) continue; // absent_over_time only needs presence
        args.length = 0;
        for (const s of scalarArgs) if (s !== undefined) args.push(valueAt(s, t));
        // predict_linear anchors its regression at the evaluation time, not the window's end.
        const v = def.fn(w.ts, w.vs, lo, hi, ref, rangeMs, args, t);
        if (v === undefined) continue;
        series.ts.push(t);
        series.vs.push(v);
      }
      if (series.ts.length > 0) {
        out.push(series);
        if (counterCheck) {
          const info = possibleNonCounterInfo(w.metric.get(METRIC_NAME), matrixArg);
          if (info !== undefined) this.settings.annotations.addFunction(info, e.args[matrixArg]!.pos);
        }
      }
    }
    if (def?.checkArgs !== undefined) {
      for (let i = 0, t = this.start; i < this.numSteps; i++, t += this.interval) {
        if (present[i] === 0) continue;
        args.length = 0;
        for (const s of scalarArgs) if (s !== undefined) args.push(valueAt(s, t));
        const a = def.checkArgs(args);
        if (a !== undefined) this.settings.annotations.addFunction(a, (e.args[a.argIndex < matrixArg ? a.argIndex : a.argIndex + 1] ?? e).pos);
      }
    }
    this.settings.budget.add(out.reduce((n, s) => n + s.ts.length, 0));
    if (e.func === 'absent_over_time') {
      const s: Series = { metric: absentLabels(arg), ts: [], vs: [] };
      for (let i = 0, t = this.start; i < this.numSteps; i++, t += this.interval) {
        if (present[i] === 0) {
          s.ts.push(t);
          s.vs.push(1);
        }
      }
      return s.ts.length > 0 ? [s] : [];
    }
    return out;
  }
}

/** gather returns the samples of `input` at step `t`, advancing each series' cursor. */
function gather(input: Matrix, cursors: number[], t: number): Vector {
  const out: Vector = [];
  for (let i = 0; i < input.length; i++) {
    const s = input[i]!;
    const c = cursors[i]!;
    if (c < s.ts.length && s.ts[c] === t) {
      const sample: Sample = { metric: s.metric, t, v: s.vs[c]! };
      if (s.dropName === true) sample.dropName = true;
      out.push(sample);
      cursors[i] = c + 1;
    }
  }
  return out;
}

/**
 * firstAfter is the first index i in [from, to) with ts[i] > t, or `to`; ts is sorted. It gallops
 * from `from`, so a window moving step by step costs what a linear scan would, and an instant
 * query's window over days of samples is found in a logarithmic number of reads.
 */
function firstAfter(ts: ArrayLike<number>, from: number, to: number, t: number): number {
  if (from >= to || ts[from]! > t) return from;
  // ts[lo] <= t: widen the step until ts[hi] > t or the end, then bisect (lo, hi].
  let lo = from;
  let step = 1;
  let hi = from + 1;
  while (hi < to && ts[hi]! <= t) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  if (hi > to) hi = to;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! <= t) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** valueAt is a scalar series' value at step t (NaN when it has none). */
function valueAt(s: Series, t: number): number {
  // Scalar series have a point at every step; search from the end is rarely needed.
  let lo = 0;
  let hi = s.ts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const mt = s.ts[mid]!;
    if (mt === t) return s.vs[mid]!;
    if (mt < t) lo = mid + 1;
    else hi = mid - 1;
  }
  return NaN;
}

function unwrap(e: Expr): Expr {
  while (e.kind === 'ParenExpr') e = e.expr;
  return e;
}

function unwrapInvariant(e: Expr): Expr {
  e = unwrap(e);
  while (e.kind === 'StepInvariantExpr') e = unwrap(e.expr);
  return e;
}

/**
 * absentLabels are the labels absent() and absent_over_time() put on their output: the equality
 * matchers of a plain selector argument, except __name__ and labels matched more than once.
 */
function absentLabels(arg: Expr): Labels {
  const e = unwrapInvariant(arg);
  const vs = e.kind === 'VectorSelector' ? e : e.kind === 'MatrixSelector' ? e.vectorSelector : undefined;
  if (vs === undefined) return Labels.EMPTY;
  const b = new LabelsBuilder();
  const seen = new Set<string>();
  for (const m of vs.matchers) {
    if (m.name === METRIC_NAME) continue;
    if (m.type === '=' && !seen.has(m.name)) {
      b.set(m.name, m.value);
      seen.add(m.name);
    } else {
      b.del(m.name);
    }
  }
  return b.labels();
}
