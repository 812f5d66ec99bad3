import { expect } from 'vitest';
import { Labels } from '../../../model/labels.js';
import { StaleNaN } from '../../../model/value.js';
import { RANGE_FUNCTIONS } from '../../../promql/functions/range.js';
import { INSTANT_FUNCTIONS } from '../../../promql/functions/instant.js';
import type { FunctionAnnotation } from '../../../promql/functions/annotations.js';
import type { FunctionArg } from '../../../promql/functions/types.js';
import type { Sample, Vector } from '../../../promql/value.js';

/** Loaded is one series as promqltest's `load` builds it: sample times (ms) and values. */
export interface Loaded {
  ts: number[];
  vs: number[];
  /** stale holds the indices of staleness markers (a NaN payload does not survive a number[]). */
  stale: Set<number>;
}

const MIN = 60_000;

/** dur parses a promqltest duration such as "5m", "10s53ms", "1h" into ms. */
export function dur(s: string): number {
  let ms = 0;
  for (const m of s.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) {
    const n = Number(m[1]);
    const unit = { ms: 1, s: 1000, m: MIN, h: 60 * MIN, d: 24 * 60 * MIN, w: 7 * 24 * 60 * MIN, y: 365 * 24 * 60 * MIN }[m[2]!]!;
    ms += n * unit;
  }
  return ms;
}

function num(s: string): number {
  if (/^[+]?inf$/i.test(s)) return Infinity;
  if (/^-inf$/i.test(s)) return -Infinity;
  if (/^nan$/i.test(s)) return NaN;
  return Number(s);
}

/** load expands promqltest series notation ("0+10x4 0+10x5 _ stale NaN") at `step` ("5m"). */
export function load(step: string, notation: string): Loaded {
  const stepMs = dur(step);
  const ts: number[] = [];
  const vs: number[] = [];
  const stale = new Set<number>();
  let slot = 0;
  for (const item of notation.trim().split(/\s+/)) {
    let m: RegExpExecArray | null;
    if (item === '_') {
      slot++;
    } else if ((m = /^_x(\d+)$/.exec(item))) {
      slot += Number(m[1]);
    } else if (item === 'stale') {
      stale.add(ts.length);
      ts.push(slot++ * stepMs);
      vs.push(StaleNaN);
    } else if ((m = /^([^x+]+?)([+-][^x]+)?x(\d+)$/.exec(item))) {
      const start = num(m[1]!);
      const inc = m[2] === undefined ? 0 : num(m[2]);
      for (let i = 0; i <= Number(m[3]); i++) {
        ts.push(slot++ * stepMs);
        vs.push(start + i * inc);
      }
    } else {
      ts.push(slot++ * stepMs);
      vs.push(num(item));
    }
  }
  return { ts, vs, stale };
}

/**
 * window selects the samples of (t - range, t] without staleness markers, as the engine hands them
 * to a range function; undefined when the window is empty (the engine does not call then).
 */
export function window(series: Loaded, t: number, range: number): { ts: number[]; vs: number[] } | undefined {
  const ts: number[] = [];
  const vs: number[] = [];
  for (let i = 0; i < series.ts.length; i++) {
    const st = series.ts[i]!;
    if (st > t - range && st <= t && !series.stale.has(i)) {
      ts.push(st);
      vs.push(series.vs[i]!);
    }
  }
  return ts.length === 0 ? undefined : { ts, vs };
}

/**
 * call evaluates range function `name` over `series` at time `at` with range `range` (promqltest
 * durations), scalar `args` as at the call, `offset` applied to the window (evaluation time stays `at`).
 */
export function call(
  name: string,
  series: Loaded,
  at: string | number,
  range: string | number,
  args: number[] = [],
  offset: string | number = 0,
): number | undefined {
  const def = RANGE_FUNCTIONS.get(name);
  if (def === undefined) throw new Error(`no range function ${name}`);
  const evalT = typeof at === 'number' ? at : dur(at);
  const off = typeof offset === 'number' ? offset : dur(offset);
  const rangeMs = typeof range === 'number' ? range : dur(range);
  const t = evalT - off;
  const w = window(series, t, rangeMs);
  if (w === undefined) return undefined;
  // Pad the arrays on both sides so that from/to are exercised as offsets, not as 0 and length.
  const ts = [-1, ...w.ts, Number.MAX_SAFE_INTEGER];
  const vs = [12345, ...w.vs, 54321];
  return def.fn(ts, vs, 1, ts.length - 1, t, rangeMs, args, evalT);
}

/** expectClose compares as promqltest does: relative 1e-6, NaN equals NaN, exact when either is 0. */
export function expectClose(actual: number | undefined, expected: number): void {
  expect(actual, `expected ${expected}, got ${actual}`).not.toBeUndefined();
  const a = actual!;
  if (Number.isNaN(expected)) {
    expect(a).toBeNaN();
    return;
  }
  if (a === expected) return;
  const absSum = Math.abs(a) + Math.abs(expected);
  const diff = Math.abs(a - expected);
  const ok = a === 0 || expected === 0 ? diff < 1e-6 * 2.2250738585072014e-308 : diff / Math.min(absSum, Number.MAX_VALUE) < 1e-6;
  expect(ok, `expected ${expected}, got ${a}`).toBe(true);
}

/** sample builds a Sample from a label record (use __name__ for the name). */
export function sample(labels: Record<string, string>, v: number, extra: Partial<Sample> = {}): Sample {
  return { metric: Labels.from(labels), t: 0, v, ...extra };
}

/** collecting returns a call context with an annotation sink. */
export function collecting(t = 0): { t: number; annotations: FunctionAnnotation[] } {
  return { t, annotations: [] };
}

/** inst calls instant function `name` with the evaluated args. */
export function inst(name: string, args: FunctionArg[], ctx: { t: number; annotations?: FunctionAnnotation[] } = { t: 0 }): Vector {
  const def = INSTANT_FUNCTIONS.get(name);
  if (def === undefined) throw new Error(`no instant function ${name}`);
  return def.fn(args, ctx);
}

/** byLabels renders a vector as { "{labels}": value } for order-insensitive comparison. */
export function byLabels(vec: Vector): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of vec) out[s.metric.toString()] = s.v;
  return out;
}

/** expectVector checks a result against expected `labels -> value` pairs (any order). */
export function expectVector(vec: Vector, expected: [Record<string, string>, number][]): void {
  expect(vec.length, `result ${JSON.stringify(byLabels(vec))}`).toBe(expected.length);
  const got = new Map(vec.map((s) => [s.metric.key, s.v]));
  for (const [labels, v] of expected) {
    const key = Labels.from(labels).key;
    expect(got.has(key), `missing ${Labels.from(labels).toString()} in ${JSON.stringify(byLabels(vec))}`).toBe(true);
    expectClose(got.get(key), v);
  }
}
