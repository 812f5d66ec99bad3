import { XorIterator } from './xor.js';

/**
 * DecodedChunk is a completed chunk's samples: `ts[i]`, `vs[i]` for i < n, in time order. Values
 * sit in a Float64Array so that staleness markers keep their NaN payload. Readers MUST NOT
 * modify the arrays: the cache shares them between queries.
 */
export interface DecodedChunk {
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  readonly n: number;
}

interface Entry extends DecodedChunk {
  /** slab: the map of the slab the chunk lives in, to drop the entry from it on eviction. */
  readonly slab: Map<number, Entry>;
  readonly off: number;
}

/** DEFAULT_DECODED_CACHE_SAMPLES: 4 Mi samples, 64 MiB of decoded timestamps and values. */
export const DEFAULT_DECODED_CACHE_SAMPLES = 4 << 20;

/**
 * DecodedChunkCache keeps recently read completed chunks decoded, so that queries that read the
 * same long range again and again (a rule's `avg_over_time(x[3d])`, evaluated every minute) decode
 * each chunk once instead of at every evaluation. Chunks are named by their slab and offset:
 * this is only valid for bytes that never change once written, as ChunkArena promises for
 * completed chunks (its slabs are never reused). An open chunk MUST NOT be cached.
 *
 * The cache holds at most `maxSamples` samples (16 bytes each) and evicts the least recently
 * read chunk first. A slab the store releases is collected with its entries' index; the entries
 * themselves go as they age out.
 */
export class DecodedChunkCache {
  private readonly bySlab = new WeakMap<Uint8Array, Map<number, Entry>>();
  /** lru: every entry, least recently read first (a Set keeps insertion order). */
  private readonly lru = new Set<Entry>();
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
      this.lru.delete(hit);
      this.lru.add(hit);
      return hit;
    }
    const it = this.it;
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
    if (n < total || it.corrupt) return { ts, vs, n };
    if (slab === undefined) {
      slab = new Map();
      this.bySlab.set(buf, slab);
    }
    const entry: Entry = { ts, vs, n, slab, off };
    slab.set(off, entry);
    this.lru.add(entry);
    this.held += n;
    this.evict();
    return entry;
  }

  private evict(): void {
    while (this.held > this.maxSamples) {
      const oldest: Entry = this.lru.values().next().value!;
      this.lru.delete(oldest);
      oldest.slab.delete(oldest.off);
      this.held -= oldest.n;
    }
  }
}
