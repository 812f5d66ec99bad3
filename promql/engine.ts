import { METRIC_NAME } from '../model/labels.js';
import type { Queryable } from '../model/storage.js';
import { Annotations } from './annotations.js';
import { children, type Expr, typeOf } from './ast.js';
import { ERR_TOO_MANY_SAMPLES, PromQLError } from './errors.js';
import { Evaluator } from './evaluator.js';
import { parseExpr } from './parse.js';
import { preprocess } from './preprocess.js';
import { type Matrix, type Series, type Value, valueTypeName } from './value.js';

/**
 * PREPARED_QUERIES is how many parsed and preprocessed queries an engine keeps. Rules send the same
 * few hundred expressions every interval; parsing is a fifth of their evaluation.
 */
const PREPARED_QUERIES = 1024;

/** EngineOptions mirror Prometheus's engine settings. Durations in ms. */
export interface EngineOptions {
  /** lookbackDeltaMs: how far back an instant selector looks for a sample (default 5m). */
  lookbackDeltaMs?: number;
  /** maxSamples: the most samples one query may hold at once (default 50,000,000, Prometheus's). */
  maxSamples?: number;
  /** timeoutMs: a query running longer fails with a timeout (default 2m). */
  timeoutMs?: number;
  /** noStepSubqueryIntervalMs: a subquery's step when it has none (default 1m, the evaluation interval). */
  noStepSubqueryIntervalMs?: number;
  /**
   * delayedNameRemoval: `__name__` is dropped when the result leaves the engine rather than at each
   * operator (Prometheus's delayed-name-removal feature, on in its own test engine). Default true.
   */
  delayedNameRemoval?: boolean;
  /** now is the clock the timeout is measured on, in ms (default performance.now). */
  now?: () => number;
}

/** QueryResult is a query's value and the annotations it produced. */
export interface QueryResult {
  value: Value;
  warnings: string[];
  infos: string[];
}

/**
 * Engine runs PromQL queries against a Queryable with Prometheus 3 semantics. Queries are
 * synchronous CPU work wrapped in a promise; the timeout is checked between steps and series.
 */
export class Engine {
  private readonly lookbackDeltaMs: number;
  private readonly maxSamples: number;
  private readonly timeoutMs: number;
  private readonly noStepSubqueryIntervalMs: number;
  private readonly delayedNameRemoval: boolean;
  private readonly now: () => number;
  /** prepared: preprocessed trees by query text, for queries whose tree does not depend on the query's bounds. */
  private readonly prepared = new Map<string, Expr>();

  constructor(options: EngineOptions = {}) {
    this.lookbackDeltaMs = options.lookbackDeltaMs ?? 5 * 60_000;
    this.maxSamples = options.maxSamples ?? 50_000_000;
    this.timeoutMs = options.timeoutMs ?? 2 * 60_000;
    this.noStepSubqueryIntervalMs = options.noStepSubqueryIntervalMs ?? 60_000;
    this.delayedNameRemoval = options.delayedNameRemoval ?? true;
    this.now = options.now ?? (() => performance.now());
  }

  /** instantQuery evaluates `query` at time t (ms). */
  async instantQuery(queryable: Queryable, query: string, t: number): Promise<QueryResult> {
    const expr = this.prepare(query, t, t);
    const settings = this.settings(queryable, query, false, t, t, 0);
    const ev = new Evaluator(t, t, 1, settings);
    const v = ev.eval(expr);
    const result = (value: Value): QueryResult => ({ value, ...settings.annotations.result() });
    if (typeof v === 'string') return result({ type: 'string', string: { t, s: v } });
    switch (typeOf(expr)) {
      case 'vector': {
        const m = this.cleanup(v, true);
        return result({ type: 'vector', vector: m.map((s) => ({ metric: s.metric, t, v: s.vs[0]! })) });
      }
      case 'scalar':
        return result({ type: 'scalar', scalar: { t, v: v[0]?.vs[0] ?? NaN } });
      case 'matrix':
        return result({ type: 'matrix', matrix: sortMatrix(this.cleanup(v, false)) });
      case 'string':
        throw new PromQLError('execution', 'unexpected string value');
    }
  }

  /** rangeQuery evaluates `query` at every step from start to end (ms, inclusive). */
  async rangeQuery(queryable: Queryable, query: string, start: number, end: number, stepMs: number): Promise<QueryResult> {
    if (!(stepMs > 0)) throw new PromQLError('bad_data', 'zero or negative query resolution step widths are not accepted. Try a positive integer');
    if (end < start) throw new PromQLError('bad_data', 'end timestamp must not be before start time');
    const expr = this.prepare(query, start, end);
    const type = typeOf(expr);
    if (type !== 'vector' && type !== 'scalar') {
      throw new PromQLError('bad_data', `invalid expression type ${JSON.stringify(valueTypeName(type))} for range query, must be Scalar or instant Vector`);
    }
    const settings = this.settings(queryable, query, true, start, end, stepMs);
    const ev = new Evaluator(start, end, stepMs, settings);
    const v = ev.eval(expr);
    if (typeof v === 'string') throw new PromQLError('execution', 'unexpected string value');
    return { value: { type: 'matrix', matrix: sortMatrix(this.cleanup(v, false)) }, ...settings.annotations.result() };
  }

  /**
   * prepare parses and preprocesses a query for evaluation over [start, end]. The tree depends on
   * the bounds only through `@ start()` / `@ end()`; any other is kept and shared by later queries
   * of the same text (evaluation never changes a tree).
   */
  private prepare(query: string, start: number, end: number): Expr {
    const cached = this.prepared.get(query);
    if (cached !== undefined) return cached;
    const parsed = parseExpr(query);
    const reusable = !atStartOrEnd(parsed);
    const expr = preprocess(parsed, start, end);
    if (reusable) {
      if (this.prepared.size >= PREPARED_QUERIES) this.prepared.delete(this.prepared.keys().next().value!);
      this.prepared.set(query, expr);
    }
    return expr;
  }

  private settings(queryable: Queryable, query: string, rangeQuery: boolean, queryStart: number, queryEnd: number, queryStep: number) {
    const maxSamples = this.maxSamples;
    let held = 0;
    return {
      queryable,
      annotations: new Annotations(query),
      rangeQuery,
      queryStart,
      queryEnd,
      queryStep,
      lookbackDeltaMs: this.lookbackDeltaMs,
      noStepSubqueryIntervalMs: this.noStepSubqueryIntervalMs,
      now: this.now,
      budget: {
        deadline: this.now() + this.timeoutMs,
        add(n: number) {
          held += n;
          if (held > maxSamples) throw new PromQLError('execution', ERR_TOO_MANY_SAMPLES);
        },
      },
    };
  }

  /**
   * cleanup drops the names marked for removal (delayed name removal). Series that then share a
   * label set are an error in an instant vector, and are merged in a matrix unless they overlap.
   */
  private cleanup(m: Matrix, instant: boolean): Matrix {
    let dropped = false;
    for (const s of m) {
      if (s.dropName === true) {
        if (s.metric.has(METRIC_NAME)) {
          s.metric = s.metric.without(METRIC_NAME);
          dropped = true;
        }
        delete s.dropName;
      }
    }
    if (!dropped && !this.delayedNameRemoval) return m;
    const byKey = new Map<string, Series>();
    const out: Matrix = [];
    for (const s of m) {
      const prev = byKey.get(s.metric.key);
      if (prev === undefined) {
        byKey.set(s.metric.key, s);
        out.push(s);
        continue;
      }
      if (instant) throw new PromQLError('execution', 'vector cannot contain metrics with the same labelset');
      mergeInto(prev, s);
    }
    return out;
  }
}

/** atStartOrEnd says whether a tree has an `@ start()` or `@ end()` modifier. */
function atStartOrEnd(e: Expr): boolean {
  if ((e.kind === 'VectorSelector' || e.kind === 'SubqueryExpr') && e.at !== undefined && 'atStartEnd' in e.at) return true;
  return children(e).some(atStartOrEnd);
}

/** mergeInto adds `s`'s points to `into`, which must not have a point at the same time. */
function mergeInto(into: Series, s: Series): void {
  const points: [number, number][] = [];
  for (let i = 0; i < into.ts.length; i++) points.push([into.ts[i]!, into.vs[i]!]);
  for (let i = 0; i < s.ts.length; i++) points.push([s.ts[i]!, s.vs[i]!]);
  points.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < points.length; i++) {
    if (points[i]![0] === points[i - 1]![0]) throw new PromQLError('execution', 'vector cannot contain metrics with the same labelset');
  }
  into.ts = points.map((p) => p[0]);
  into.vs = points.map((p) => p[1]);
}

function sortMatrix(m: Matrix): Matrix {
  return m.sort((a, b) => a.metric.compare(b.metric));
}
