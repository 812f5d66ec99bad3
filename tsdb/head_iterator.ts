import type { Labels } from '../model/labels.js';
import type { SampleIterator, Series } from '../model/storage.js';
import type { DecodedChunk, DecodedChunkCache } from './chunkenc/decoded.js';
import { XorIterator } from './chunkenc/xor.js';

/**
 * ChunkRefs is what a query keeps of one series: where each chunk overlapping the range is and its
 * maxt (to skip chunks on seek). Completed chunks are read in place (their slabs are never
 * rewritten) and through the head's cache of decoded chunks; the open chunk, when it overlaps the
 * range, is the last entry and a private copy, since the head rewrites and moves it as it grows:
 * `completed` counts the entries before it.
 */
export interface ChunkRefs {
  readonly bufs: Uint8Array[];
  readonly offs: number[];
  readonly lens: number[];
  readonly maxts: number[];
  completed: number;
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

/** HeadSeriesIterator walks a series' chunks, yielding samples with mint <= t <= maxt. */
export class HeadSeriesIterator implements SampleIterator {
  t = 0;
  v = 0;
  private readonly it = new XorIterator();
  private chunk = -1;
  /** dec is the current chunk when it is a completed one (read decoded), with i its next index. */
  private dec: DecodedChunk | undefined = undefined;
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
      if (d !== undefined) {
        if (this.i < d.n) {
          const t = d.ts[this.i]!;
          if (t > this.maxt) return this.end();
          this.t = t;
          this.v = d.vs[this.i]!;
          this.i++;
          this.started = true;
          return true;
        }
      } else if (this.chunk >= 0 && this.it.next()) {
        const t = this.it.t;
        if (t < this.mint) continue;
        if (t > this.maxt) return this.end();
        this.t = t;
        this.v = this.it.v;
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
   * BatchSampleIterator): completed chunks are copied from their decoded form a run at a time.
   */
  readInto(ts: Float64Array, vs: Float64Array, from: number): number {
    let n = from;
    const cap = ts.length;
    while (n < cap && !this.exhausted) {
      const d = this.dec;
      if (d === undefined || this.i >= d.n) {
        if (d === undefined && this.chunk >= 0) {
          // The open chunk: sample by sample.
          while (n < cap && this.next()) {
            ts[n] = this.t;
            vs[n] = this.v;
            n++;
          }
          return n;
        }
        if (!this.openChunk(this.chunk + 1)) {
          this.end();
          break;
        }
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
      if (end === hi && hi < d.n) {
        this.end();
        break;
      }
    }
    return n;
  }

  private openChunk(i: number): boolean {
    const c = this.chunks;
    if (i >= c.bufs.length) return false;
    this.chunk = i;
    if (i < c.completed) {
      const d = c.decoded.get(c.bufs[i]!, c.offs[i]!, c.lens[i]!);
      this.dec = d;
      this.i = lowerBound(d.ts, d.n, this.mint);
    } else {
      this.dec = undefined;
      this.it.reset(c.bufs[i]!, c.offs[i]!, c.lens[i]!);
    }
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
