import { XorIterator } from './xor.js';

/**
 * DecodedChunk is a chunk's samples: `ts[i]`, `vs[i]` for i < n, in time order. Values sit in a
 * Float64Array so that staleness markers keep their NaN payload. Readers MUST NOT modify the
 * arrays: the caches below share them between queries.
 */
export interface DecodedChunk {
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  readonly n: number;
}

/**
 * decodeChunk decodes the chunk at buf[off, off + len) with `it`. A chunk that does not decode
 * whole (corrupt bytes) gives its samples up to the damage, and `it.corrupt` or n < ts.length
 * says so (see isWhole).
 */
export function decodeChunk(it: XorIterator, buf: Uint8Array, off: number, len: number): DecodedChunk {
  it.reset(buf, off, len);
  const total = it.remaining;
  const ts = new Float64Array(total);
  const vs = new Float64Array(total);
  let n = 0;
  while (n < total && it.next()) {
    ts[n] = it.t;
    vs[n] = it.v;
    n++;
  }
  return { ts, vs, n };
}

/** isWhole says whether decodeChunk read every sample of its chunk (nothing is kept otherwise). */
function isWhole(it: XorIterator, d: DecodedChunk): boolean {
  return !it.corrupt && d.n === d.ts.length;
}

interface Entry extends DecodedChunk {
  /** slab: the map of the slab the chunk lives in, to drop the entry from it on eviction. */
  readonly slab: Map<number, Entry>;
  readonly off: number;
  /** referenced: read since the eviction hand last passed it (second chance). */
  referenced: boolean;
}

/** DEFAULT_DECODED_CACHE_SAMPLES: 4 Mi samples, 64 MiB of decoded timestamps and values. */
export const DEFAULT_DECODED_CACHE_SAMPLES = 4 << 20;

/**
 * DecodedChunkCache keeps recently read completed chunks decoded, so that queries that read the
 * same long range again and again (a rule's `avg_over_time(x[3d])`, evaluated every minute) decode
 * each chunk once instead of at every evaluation. Chunks are named by their slab and offset:
 * this is only valid for bytes that never change once written, as ChunkArena promises for
 * completed chunks (its slabs are never reused). An open chunk MUST NOT be cached here.
 *
 * The cache holds at most `maxSamples` samples (16 bytes each); past that it evicts in insertion
 * order, giving a chunk read since it was last considered a second chance (CLOCK, an
 * approximation of least recently used that costs nothing on a hit). A slab the store releases
 * is collected with its index; its entries go as they age out.
 */
export class DecodedChunkCache {
  private readonly bySlab = new WeakMap<Uint8Array, Map<number, Entry>>();
  /** ring: every entry, in the order the eviction hand visits them (a Set keeps insertion order). */
  private readonly ring = new Set<Entry>();
  private held = 0;
  private readonly it = new XorIterator();

  constructor(private readonly maxSamples = DEFAULT_DECODED_CACHE_SAMPLES) {}

  /** samples is the number of decoded samples held. */
  get samples(): number {
    return this.held;
  }

  /**
   * get returns the samples of the completed chunk at buf[off, off + len), decoding it on a miss.
   * A chunk that does not decode whole (corrupt bytes) is returned up to the damage and not kept.
   */
  get(buf: Uint8Array, off: number, len: number): DecodedChunk {
    let slab = this.bySlab.get(buf);
    const hit = slab?.get(off);
    if (hit !== undefined) {
      hit.referenced = true;
      return hit;
    }
    const d = decodeChunk(this.it, buf, off, len);
    if (!isWhole(this.it, d)) return d;
    if (slab === undefined) {
      slab = new Map();
      this.bySlab.set(buf, slab);
    }
    const entry: Entry = { ts: d.ts, vs: d.vs, n: d.n, slab, off, referenced: false };
    slab.set(off, entry);
    this.ring.add(entry);
    this.held += d.n;
    this.evict();
    return entry;
  }

  private evict(): void {
    while (this.held > this.maxSamples) {
      const e: Entry = this.ring.values().next().value!;
      this.ring.delete(e);
      if (e.referenced) {
        e.referenced = false;
        this.ring.add(e);
        continue;
      }
      e.slab.delete(e.off);
      this.held -= e.n;
    }
  }
}

/** DEFAULT_OPEN_DECODES_SAMPLES: 1 Mi samples, 16 MiB of decoded open chunks. */
export const DEFAULT_OPEN_DECODES_SAMPLES = 1 << 20;

/**
 * OpenChunkDecodes keeps the latest decode of each series' open chunk, which the head rewrites in
 * place as samples are committed: a decode is named by what fixes the bytes it read, the series'
 * ref (slot and generation), the chunk's mint and its committed length in bits, since an open
 * chunk only grows. A series read again before its next commit (all of a replayed history) is
 * decoded once per chunk. It holds at most `maxSamples` samples, dropping the decodes made least
 * recently first.
 */
export class OpenChunkDecodes {
  /** bySlot: one decode per slot, least recently made first (a Map keeps insertion order). */
  private readonly bySlot = new Map<number, { ref: number; mint: number; bits: number; chunk: DecodedChunk }>();
  private held = 0;
  private readonly it = new XorIterator();

  constructor(private readonly maxSamples = DEFAULT_OPEN_DECODES_SAMPLES) {}

  /** samples is the number of decoded samples held. */
  get samples(): number {
    return this.held;
  }

  /** get returns the samples of a slot's open chunk at buf[off, off + len), decoding it when it changed. */
  get(slot: number, ref: number, mint: number, bits: number, buf: Uint8Array, off: number, len: number): DecodedChunk {
    const e = this.bySlot.get(slot);
    if (e !== undefined && e.ref === ref && e.mint === mint && e.bits === bits) return e.chunk;
    const chunk = decodeChunk(this.it, buf, off, len);
    if (!isWhole(this.it, chunk)) return chunk;
    if (e !== undefined) {
      this.bySlot.delete(slot);
      this.held -= e.chunk.n;
    }
    this.bySlot.set(slot, { ref, mint, bits, chunk });
    this.held += chunk.n;
    for (const [s, old] of this.bySlot) {
      if (this.held <= this.maxSamples || s === slot) break;
      this.bySlot.delete(s);
      this.held -= old.chunk.n;
    }
    return chunk;
  }
}
