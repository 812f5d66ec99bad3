import type { Labels } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import type { BatchSampleIterator, Queryable, SampleIterator } from '../model/storage.js';
import { isStaleNaN } from '../model/value.js';

/**
 * RawSeries is one stored series as a selector loaded it: timestamps and values, in time order.
 * Values sit in a Float64Array so that staleness markers keep their NaN payload (a plain JS array
 * of doubles would canonicalise it).
 */
export interface RawSeries {
  readonly metric: Labels;
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  readonly n: number;
}

/**
 * SampleBudget counts samples a query holds, failing the query past maxSamples, as Prometheus's
 * engine does (its error message is Prometheus's).
 */
export interface SampleBudget {
  add(n: number): void;
}

function isBatch(it: SampleIterator): it is BatchSampleIterator {
  return typeof (it as Partial<BatchSampleIterator>).readInto === 'function';
}

/** Scratch buffers shared by loadSeries calls: each series is decoded into them, then copied out at its exact size. */
let scratchTs = new Float64Array(1024);
let scratchVs = new Float64Array(1024);

/** loadSeries selects the series matching `matchers` with their samples in [mint, maxt] (ms, inclusive). */
export function loadSeries(queryable: Queryable, matchers: readonly Matcher[], mint: number, maxt: number, budget: SampleBudget): RawSeries[] {
  if (mint > maxt) return [];
  const out: RawSeries[] = [];
  for (const s of queryable.querier(mint, maxt).select(matchers)) {
    const it = s.samples();
    let n = 0;
    if (isBatch(it)) {
      for (;;) {
        n = it.readInto(scratchTs, scratchVs, n);
        if (n < scratchTs.length) break;
        growScratch();
      }
    } else {
      while (it.next()) {
        if (n === scratchTs.length) growScratch();
        scratchTs[n] = it.t;
        scratchVs[n] = it.v;
        n++;
      }
    }
    if (n === 0) continue;
    budget.add(n);
    out.push({ metric: s.labels, ts: scratchTs.slice(0, n), vs: scratchVs.slice(0, n), n });
  }
  return out;
}

function growScratch(): void {
  const n = scratchTs.length;
  const ts = new Float64Array(n * 2);
  ts.set(scratchTs);
  scratchTs = ts;
  const vs = new Float64Array(n * 2);
  vs.set(scratchVs);
  scratchVs = vs;
}

/**
 * lookbackIndex returns the index of the sample an instant selector sees at `ref`: the last one
 * with ref - lookback < t <= ref, or -1 when there is none or it is a staleness marker. `from` is
 * a hint (an index not after the answer) for scans over increasing `ref`.
 */
export function lookbackIndex(s: RawSeries, ref: number, lookbackMs: number, from: number): number {
  let i = from;
  if (i < 0) i = 0;
  const ts = s.ts;
  const n = s.n;
  if (i < n && ts[i]! > ref) {
    // The hint is past ref: search from the start (rare: only for non-monotonic refs).
    i = 0;
  }
  while (i < n && ts[i]! <= ref) i++;
  const last = i - 1;
  if (last < 0 || ts[last]! <= ref - lookbackMs) return -1;
  if (isStaleNaN(s.vs[last]!)) return -1;
  return last;
}

/**
 * Window is a series' samples for range functions, staleness markers removed, as Prometheus drops
 * them from range vectors.
 */
export interface Window {
  readonly metric: Labels;
  readonly ts: ArrayLike<number>;
  readonly vs: ArrayLike<number>;
  readonly dropName: boolean;
}

/** withoutStaleness turns loaded series into range-function input, copying only series that hold markers. */
export function withoutStaleness(series: readonly RawSeries[]): Window[] {
  return series.map((s) => {
    let stale = 0;
    for (let i = 0; i < s.n; i++) if (isStaleNaN(s.vs[i]!)) stale++;
    if (stale === 0) return { metric: s.metric, ts: s.ts, vs: s.vs, dropName: false };
    const ts = new Float64Array(s.n - stale);
    const vs = new Float64Array(s.n - stale);
    let j = 0;
    for (let i = 0; i < s.n; i++) {
      const v = s.vs[i]!;
      if (isStaleNaN(v)) continue;
      ts[j] = s.ts[i]!;
      vs[j] = v;
      j++;
    }
    return { metric: s.metric, ts, vs, dropName: false };
  });
}
