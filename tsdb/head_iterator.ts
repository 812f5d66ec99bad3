import type { Labels } from '../model/labels.js';
import type { SampleIterator, Series } from '../model/storage.js';
import { XorIterator } from './chunkenc/xor.js';

/**
 * ChunkRefs is what a query keeps of one series: where each chunk overlapping the range is and its
 * maxt (to skip chunks on seek). Completed chunks are read in place (their slabs are never
 * rewritten); the open chunk is a private copy, since the head rewrites and moves it as it grows.
 */
export interface ChunkRefs {
  readonly bufs: Uint8Array[];
  readonly offs: number[];
  readonly lens: number[];
  readonly maxts: number[];
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
      if (this.chunk >= 0 && this.it.next()) {
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

  private openChunk(i: number): boolean {
    const c = this.chunks;
    if (i >= c.bufs.length) return false;
    this.chunk = i;
    this.it.reset(c.bufs[i]!, c.offs[i]!, c.lens[i]!);
    return true;
  }

  private end(): false {
    this.exhausted = true;
    return false;
  }
}
