import { grown, U32Stack } from './typed.js';

/**
 * ChunkArena holds completed chunks: their bytes copied into exact-size ranges of large shared
 * slabs (bump allocation), and their metadata in a struct-of-arrays table indexed by chunk id.
 * A series links its chunks oldest-first through `next`, so it needs no array of its own.
 *
 * Chunks complete roughly in time order and retention drops them by time, so a slab empties as a
 * whole: it is released (left to the garbage collector) when its last chunk is freed. Slabs are
 * never reused, so a query that still holds a slab keeps reading valid bytes after retention.
 */
export class ChunkArena {
  /** slabOf, offOf, lenOf: where a chunk's bytes are. mint/maxt: its inclusive time range (ms). */
  slabOf = new Uint32Array(1024);
  offOf = new Uint32Array(1024);
  lenOf = new Uint16Array(1024);
  mint = new Float64Array(1024);
  maxt = new Float64Array(1024);
  /** next is the next (newer) chunk id of the same series, or -1. */
  next = new Int32Array(1024).fill(-1);

  private readonly slabs: (Uint8Array | undefined)[] = [];
  private readonly slabLive: number[] = [];
  private current = -1;
  private bump = 0;
  private ids = 0;
  private readonly freeIds = new U32Stack();
  private liveChunks = 0;
  private liveBytes = 0;

  constructor(private readonly slabBytes = 1 << 20) {}

  /** add copies src[srcOff, srcOff + len) in and returns the new chunk's id (next = -1). */
  add(src: Uint8Array, srcOff: number, len: number, mint: number, maxt: number): number {
    if (len > 0xffff) throw new RangeError(`chunk of ${len} bytes is too large`);
    if (this.current < 0 || this.bump + len > this.slabBytes) {
      if (this.current >= 0 && this.slabLive[this.current] === 0) this.slabs[this.current] = undefined;
      this.current = this.slabs.length;
      this.slabs.push(new Uint8Array(Math.max(this.slabBytes, len)));
      this.slabLive.push(0);
      this.bump = 0;
    }
    const slab = this.slabs[this.current]!;
    slab.set(src.subarray(srcOff, srcOff + len), this.bump);
    let id = this.freeIds.pop();
    if (id < 0) {
      id = this.ids++;
      if (id === this.slabOf.length) this.growTable(id * 2);
    }
    this.slabOf[id] = this.current;
    this.offOf[id] = this.bump;
    this.lenOf[id] = len;
    this.mint[id] = mint;
    this.maxt[id] = maxt;
    this.next[id] = -1;
    this.bump += len;
    this.slabLive[this.current]! += len;
    this.liveChunks++;
    this.liveBytes += len;
    return id;
  }

  /** free releases chunk `id`; its slab goes when nothing in it is live. */
  free(id: number): void {
    const s = this.slabOf[id]!;
    const len = this.lenOf[id]!;
    const live = (this.slabLive[s]! -= len);
    if (live === 0 && s !== this.current) this.slabs[s] = undefined;
    this.next[id] = -1;
    this.lenOf[id] = 0;
    this.freeIds.push(id);
    this.liveChunks--;
    this.liveBytes -= len;
  }

  /** buffer returns the slab holding chunk `id`; its bytes start at offOf[id]. */
  buffer(id: number): Uint8Array {
    return this.slabs[this.slabOf[id]!]!;
  }

  get chunkCount(): number {
    return this.liveChunks;
  }

  /** bytes is the encoded size of every live chunk. */
  get bytes(): number {
    return this.liveBytes;
  }

  /** reservedBytes is the size of the slabs still held. */
  reservedBytes(): number {
    let n = 0;
    for (const s of this.slabs) if (s !== undefined) n += s.length;
    return n;
  }

  private growTable(capacity: number): void {
    this.slabOf = grown(this.slabOf, capacity);
    this.offOf = grown(this.offOf, capacity);
    this.lenOf = grown(this.lenOf, capacity);
    this.mint = grown(this.mint, capacity);
    this.maxt = grown(this.maxt, capacity);
    this.next = grown(this.next, capacity, -1);
  }
}
