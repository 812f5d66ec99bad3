import { describe, expect, it } from 'vitest';
import { crc32, tableCrc32 } from '../../../tsdb/wal/crc32.js';

describe('crc32', () => {
  it('is the IEEE CRC-32 (check value of "123456789")', () => {
    const data = new TextEncoder().encode('123456789');
    expect(crc32(data)).toBe(0xcbf43926);
    expect(tableCrc32(data)).toBe(0xcbf43926);
  });

  it('agrees with the table fallback on ranges of random bytes', () => {
    const buf = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff);
    for (const [s, e] of [
      [0, 0],
      [0, 5000],
      [13, 4097],
      [4999, 5000],
    ] as const) {
      expect(crc32(buf, s, e)).toBe(tableCrc32(buf.subarray(s, e)));
    }
  });
});
