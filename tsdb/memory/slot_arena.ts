import { U32Stack } from './typed.js';

/**
 * SlotArena holds the head's open (still growing) chunks: fixed-size slots carved from shared
 * slabs, one free list per size class. A chunk starts in the smallest slot and moves to the next
 * class when it outgrows it, so 100k open chunks cost a handful of ArrayBuffers instead of 100k
 * (each ArrayBuffer carries ~100-200 bytes of V8 overhead). Size classes step by ~1.5x to keep the
 * unused tail of a slot small.
 *
 * A slot is named by (class, index); its bytes are slab(cls, idx)[offset(cls, idx) ...+size(cls)].
 * Slots are zeroed when allocated: the bit writer only ORs bits in.
 */
export const SLOT_SIZES = [32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 3072] as const;

/** NO_SLOT_CLASS marks a series without an open chunk. */
export const NO_SLOT_CLASS = 0xff;

const SLAB_TARGET_BYTES = 256 * 1024;

interface SizeClass {
  readonly size: number;
  /** log2 of slots per slab. */
  readonly shift: number;
  readonly mask: number;
  readonly slabs: Uint8Array[];
  next: number;
  readonly free: U32Stack;
  live: number;
}

export class SlotArena {
  private readonly classes: SizeClass[];

  constructor() {
    this.classes = SLOT_SIZES.map((size) => {
      const shift = Math.floor(Math.log2(SLAB_TARGET_BYTES / size));
      return { size, shift, mask: (1 << shift) - 1, slabs: [], next: 0, free: new U32Stack(), live: 0 };
    });
  }

  /** classFor returns the smallest size class holding `bytes`; it throws past the largest. */
  classFor(bytes: number): number {
    for (let c = 0; c < SLOT_SIZES.length; c++) if (SLOT_SIZES[c]! >= bytes) return c;
    throw new RangeError(`open chunk of ${bytes} bytes exceeds the largest slot (${SLOT_SIZES[SLOT_SIZES.length - 1]})`);
  }

  size(cls: number): number {
    return this.classes[cls]!.size;
  }

  /** alloc returns the index of a zeroed slot of class `cls`. */
  alloc(cls: number): number {
    const c = this.classes[cls]!;
    c.live++;
    let idx = c.free.pop();
    if (idx >= 0) {
      const off = (idx & c.mask) * c.size;
      c.slabs[idx >>> c.shift]!.fill(0, off, off + c.size);
      return idx;
    }
    idx = c.next++;
    const slab = idx >>> c.shift;
    if (slab === c.slabs.length) c.slabs.push(new Uint8Array(c.size << c.shift));
    return idx;
  }

  free(cls: number, idx: number): void {
    const c = this.classes[cls]!;
    c.live--;
    c.free.push(idx);
  }

  slab(cls: number, idx: number): Uint8Array {
    const c = this.classes[cls]!;
    return c.slabs[idx >>> c.shift]!;
  }

  offset(cls: number, idx: number): number {
    const c = this.classes[cls]!;
    return (idx & c.mask) * c.size;
  }

  /** reservedBytes is the size of every slab allocated so far. */
  reservedBytes(): number {
    let n = 0;
    for (const c of this.classes) n += c.slabs.length * (c.size << c.shift);
    return n;
  }

  /** liveBytes is the capacity of the slots in use. */
  liveBytes(): number {
    let n = 0;
    for (const c of this.classes) n += c.live * c.size;
    return n;
  }
}
