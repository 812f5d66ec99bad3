import { describe, expect, it } from 'vitest';
import { DecodedChunkCache, OpenChunkDecodes } from '../../../tsdb/chunkenc/decoded.js';
import { XorChunk } from '../../../tsdb/chunkenc/xor.js';
import { StaleNaN, isStaleNaN } from '../../../model/value.js';

/** slabOf encodes chunks of `n` samples each and lays them out back to back in one slab. */
function slabOf(chunks: { t0: number; n: number }[]): { slab: Uint8Array; offs: number[]; lens: number[] } {
  const bytes = chunks.map(({ t0, n }) => {
    const c = new XorChunk();
    for (let i = 0; i < n; i++) c.append(t0 + i * 1000, i === n - 1 ? StaleNaN : i * 0.5);
    return c.bytes().slice();
  });
  const slab = new Uint8Array(bytes.reduce((s, b) => s + b.length, 0) + 7);
  const offs: number[] = [];
  let off = 7;
  for (const b of bytes) {
    slab.set(b, off);
    offs.push(off);
    off += b.length;
  }
  return { slab, offs, lens: bytes.map((b) => b.length) };
}

describe('DecodedChunkCache', () => {
  it('decodes a chunk as its iterator does, staleness markers included, and shares it on the next read', () => {
    const { slab, offs, lens } = slabOf([{ t0: 1_000_000, n: 5 }]);
    const cache = new DecodedChunkCache();
    const d = cache.get(slab, offs[0]!, lens[0]!);
    expect(d.n).toBe(5);
    expect(Array.from(d.ts.subarray(0, d.n))).toEqual([1_000_000, 1_001_000, 1_002_000, 1_003_000, 1_004_000]);
    expect(Array.from(d.vs.subarray(0, 4))).toEqual([0, 0.5, 1, 1.5]);
    expect(isStaleNaN(d.vs[4]!)).toBe(true);
    expect(cache.get(slab, offs[0]!, lens[0]!)).toBe(d);
    expect(cache.samples).toBe(5);
  });

  it('holds at most maxSamples, evicting the least recently read chunk', () => {
    const { slab, offs, lens } = slabOf([
      { t0: 0, n: 4 },
      { t0: 10_000, n: 4 },
      { t0: 20_000, n: 4 },
    ]);
    const cache = new DecodedChunkCache(8);
    const a = cache.get(slab, offs[0]!, lens[0]!);
    const b = cache.get(slab, offs[1]!, lens[1]!);
    expect(cache.get(slab, offs[0]!, lens[0]!)).toBe(a); // a is now the most recent
    cache.get(slab, offs[2]!, lens[2]!); // evicts b
    expect(cache.samples).toBe(8);
    expect(cache.get(slab, offs[0]!, lens[0]!)).toBe(a);
    const b2 = cache.get(slab, offs[1]!, lens[1]!);
    expect(b2).not.toBe(b);
    expect(Array.from(b2.ts)).toEqual(Array.from(b.ts));
  });

  it('keeps apart chunks at the same offset of different slabs', () => {
    const one = slabOf([{ t0: 0, n: 3 }]);
    const two = slabOf([{ t0: 50_000, n: 3 }]);
    const cache = new DecodedChunkCache();
    expect(cache.get(one.slab, one.offs[0]!, one.lens[0]!).ts[0]).toBe(0);
    expect(cache.get(two.slab, two.offs[0]!, two.lens[0]!).ts[0]).toBe(50_000);
  });

  it('returns a damaged chunk up to the damage and does not keep it', () => {
    const { slab, offs, lens } = slabOf([{ t0: 0, n: 50 }]);
    const cut = lens[0]! - 20;
    const cache = new DecodedChunkCache();
    const d = cache.get(slab, offs[0]!, cut);
    expect(d.n).toBeGreaterThan(0);
    expect(d.n).toBeLessThan(50);
    expect(cache.samples).toBe(0);
  });
});

describe('OpenChunkDecodes', () => {
  it('decodes an open chunk again only when its series, mint or committed length changed', () => {
    const c = new XorChunk();
    for (let i = 0; i < 10; i++) c.append(i * 1000, i);
    const bytes = c.bytes().slice();
    const decodes = new OpenChunkDecodes();
    const first = decodes.get(3, 7, 0, 500, bytes, 0, bytes.length);
    expect(first.n).toBe(10);
    expect(decodes.get(3, 7, 0, 500, bytes, 0, bytes.length)).toBe(first);
    c.append(10_000, 10);
    const grown = c.bytes().slice();
    const second = decodes.get(3, 7, 0, 520, grown, 0, grown.length);
    expect(second).not.toBe(first);
    expect(second.n).toBe(11);
    // The same slot, mint and length, but another series in the slot (a new ref): decoded afresh.
    expect(decodes.get(3, 7 + 2 ** 28, 0, 520, grown, 0, grown.length)).not.toBe(second);
  });
});

describe('OpenChunkDecodes bounds', () => {
  it('holds at most maxSamples, dropping the decode made least recently first', () => {
    const c = new XorChunk();
    for (let i = 0; i < 4; i++) c.append(i * 1000, i);
    const bytes = c.bytes().slice();
    const decodes = new OpenChunkDecodes(8);
    const a = decodes.get(1, 1, 0, 100, bytes, 0, bytes.length);
    const b = decodes.get(2, 2, 0, 100, bytes, 0, bytes.length);
    expect(decodes.samples).toBe(8);
    decodes.get(3, 3, 0, 100, bytes, 0, bytes.length); // drops slot 1's
    expect(decodes.samples).toBe(8);
    expect(decodes.get(2, 2, 0, 100, bytes, 0, bytes.length)).toBe(b);
    expect(decodes.get(1, 1, 0, 100, bytes, 0, bytes.length)).not.toBe(a);
  });
});
