import { describe, expect, it } from 'vitest';
import { BitReader, writeBit, writeBits } from '../../../tsdb/chunkenc/bstream.js';

describe('bit stream', () => {
  it('writes and reads back fields of every width at every alignment', () => {
    const buf = new Uint8Array(4096);
    const fields: [number, number][] = [];
    let pos = 3;
    for (let n = 0; n <= 32; n++) {
      for (const raw of [0, 1, 0xffffffff, 0x12345678, 0xdeadbeef]) {
        const v = n === 32 ? raw >>> 0 : (raw & (2 ** n - 1)) >>> 0;
        fields.push([v, n]);
        pos = writeBits(buf, pos, raw, n);
      }
      pos = writeBit(buf, pos, n & 1);
      fields.push([n & 1, 1]);
    }
    const r = new BitReader();
    r.reset(buf, 3, pos);
    for (const [v, n] of fields) expect(r.readBits(n)).toBe(v);
    expect(r.overrun).toBe(false);
    expect(r.readBit()).toBe(0);
    expect(r.overrun).toBe(true);
  });

  it('reports an overrun instead of reading past the end', () => {
    const r = new BitReader();
    r.reset(new Uint8Array([0xff, 0xff]), 0, 12);
    expect(r.readBits(8)).toBe(0xff);
    expect(r.readBits(8)).toBe(0);
    expect(r.overrun).toBe(true);
  });
});
