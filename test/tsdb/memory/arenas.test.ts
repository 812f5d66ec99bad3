import { describe, expect, it } from 'vitest';
import { ChunkArena } from '../../../tsdb/memory/chunk_arena.js';
import { SLOT_SIZES, SlotArena } from '../../../tsdb/memory/slot_arena.js';

describe('SlotArena', () => {
  it('hands out zeroed, non-overlapping slots and reuses freed ones', () => {
    const a = new SlotArena();
    const c = a.classFor(40);
    expect(a.size(c)).toBe(48);
    const x = a.alloc(c);
    const y = a.alloc(c);
    const bx = a.slab(c, x);
    const ox = a.offset(c, x);
    bx.fill(0xff, ox, ox + 48);
    expect(a.slab(c, y).subarray(a.offset(c, y), a.offset(c, y) + 48).every((b) => b === 0)).toBe(true);
    a.free(c, x);
    const z = a.alloc(c);
    expect(z).toBe(x);
    expect(a.slab(c, z).subarray(a.offset(c, z), a.offset(c, z) + 48).every((b) => b === 0)).toBe(true);
    expect(a.liveBytes()).toBe(96);
  });

  it('refuses a chunk larger than the largest class', () => {
    const a = new SlotArena();
    const largest = SLOT_SIZES[SLOT_SIZES.length - 1]!;
    expect(a.classFor(largest)).toBe(SLOT_SIZES.length - 1);
    expect(() => a.classFor(largest + 1)).toThrow(RangeError);
  });
});

describe('ChunkArena', () => {
  it('copies chunks into shared slabs and releases a slab when its chunks are freed', () => {
    const a = new ChunkArena(100);
    const src = Uint8Array.from({ length: 100 }, (_, i) => i);
    const c1 = a.add(src, 0, 60, 1, 2);
    const c2 = a.add(src, 10, 60, 3, 4); // does not fit: second slab
    const c3 = a.add(src, 20, 30, 5, 6); // fits after c2
    expect(a.buffer(c1)).not.toBe(a.buffer(c2));
    expect(Array.from(a.buffer(c2).subarray(a.offOf[c2]!, a.offOf[c2]! + 3))).toEqual([10, 11, 12]);
    expect(a.buffer(c3)).toBe(a.buffer(c2));
    expect([a.mint[c3], a.maxt[c3], a.lenOf[c3], a.offOf[c3]]).toEqual([5, 6, 30, 60]);
    expect(a.reservedBytes()).toBe(200);
    const held = a.buffer(c1);
    a.free(c1);
    expect(a.reservedBytes()).toBe(100);
    // A reader that still holds the slab keeps valid bytes.
    expect(held[5]).toBe(5);
    expect(a.chunkCount).toBe(2);
    expect(a.bytes).toBe(90);
    const c4 = a.add(src, 0, 10, 7, 8);
    expect(c4).toBe(c1); // ids are reused
  });
});
