import type { Labels } from '../model/labels.js';
import type { BatchSampleIterator, SampleIterator, Series } from '../model/storage.js';
import type { DecodedChunk, DecodedChunkCache } from './chunkenc/decoded.js';

/**
 * ChunkRefs is what a query keeps of one series: where each completed chunk overlapping the range
 * is, read in place (their slabs are never rewritten) through the head's cache of decoded chunks,
 * and the open chunk's samples as of the select(), since the head rewrites it as it grows. maxts
 * holds each chunk's maxt (to skip chunks on seek), the open chunk's last.
 */
export interface ChunkRefs {
  readonly bufs: Uint8Array[];
  readonly offs: number[];
  readonly lens: number[];
  readonly maxts: number[];
  open: DecodedChunk | undefined;
  readonly decoded: DecodedChunkCache;
}

/** HeadSeries is one series of a query result: labels plus a snapshot of its chunks. */
export class HeadSeries implements Series {
  constructor(
    readonly labels: Labels,
    private readonly chunks: ChunkRefs,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  samples(): SampleIterator {
    return new HeadSeriesIterator(this.chunks, this.mint, this.maxt);
  }
}

const NO_SAMPLES: DecodedChunk = { ts: new Float64Array(0), vs: new Float64Array(0), n: 0 };

/**
 * HeadSeriesIterator walks a series' chunks, yielding samples with mint <= t <= maxt, one at a
 * time or a run at a time (readInto).
 */
export class HeadSeriesIterator implements BatchSampleIterator {
  t = 0;
  v = 0;
  private chunk = -1;
  /** dec is the current chunk's samples, i the index of the next one. */
  private dec: DecodedChunk = NO_SAMPLES;
  private i = 0;
  private started = false;
  private exhausted = false;

  constructor(
    private readonly chunks: ChunkRefs,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  next(): boolean {
    if (this.exhausted) return false;
    for (;;) {
      const d = this.dec;
      if (this.i < d.n) {
        const t = d.ts[this.i]!;
        if (t > this.maxt) return this.end();
        this.t = t;
        this.v = d.vs[this.i]!;
        this.i++;
        this.started = true;
        return true;
      }
      if (!this.openChunk(this.chunk + 1)) return this.end();
    }
  }

  seek(t: number): boolean {
    if (this.exhausted) return false;
    if (this.started && this.t >= t) return true;
    // Skip whole chunks that end before t.
    const c = this.chunks;
    let target = Math.max(this.chunk, 0);
    while (target < c.maxts.length && c.maxts[target]! < t) target++;
    if (target !== this.chunk && !this.openChunk(target)) return this.end();
    while (this.next()) if (this.t >= t) return true;
    return false;
  }

  /**
   * readInto copies the following samples to ts[from...] and vs[from...] until the arrays are full
   * or the samples end, and returns the index after the last one written (promql's
   * BatchSampleIterator): a run of a decoded chunk at a time.
   */
  readInto(ts: Float64Array, vs: Float64Array, from: number): number {
    let n = from;
    const cap = ts.length;
    while (n < cap && !this.exhausted) {
      const d = this.dec;
      if (this.i >= d.n) {
        if (!this.openChunk(this.chunk + 1)) this.end();
        continue;
      }
      // Samples from i on are at or after mint (those before were skipped on opening); hi ends
      // the ones at or before maxt.
      const hi = d.ts[d.n - 1]! > this.maxt ? firstAbove(d.ts, this.i, d.n, this.maxt) : d.n;
      const end = Math.min(hi, this.i + (cap - n));
      if (end > this.i) {
        ts.set(d.ts.subarray(this.i, end), n);
        vs.set(d.vs.subarray(this.i, end), n);
        n += end - this.i;
        this.i = end;
        this.t = ts[n - 1]!;
        this.v = vs[n - 1]!;
        this.started = true;
      }
      if (end === hi && hi < d.n) this.end();
    }
    return n;
  }

  /** openChunk moves to chunk i (the open chunk after the completed ones), at its first sample >= mint. */
  private openChunk(i: number): boolean {
    const c = this.chunks;
    let d: DecodedChunk;
    if (i < c.bufs.length) d = c.decoded.get(c.bufs[i]!, c.offs[i]!, c.lens[i]!);
    else if (i === c.bufs.length && c.open !== undefined) d = c.open;
    else return false;
    this.chunk = i;
    this.dec = d;
    this.i = lowerBound(d.ts, d.n, this.mint);
    return true;
  }

  private end(): false {
    this.exhausted = true;
    return false;
  }
}

/** firstAbove is the first index i in [from, to) with ts[i] > t, or `to`; ts is sorted. */
function firstAbove(ts: Float64Array, from: number, to: number, t: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** lowerBound is the first index i < n with ts[i] >= t, or n. */
function lowerBound(ts: Float64Array, n: number, t: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
