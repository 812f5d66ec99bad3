/**
 * Bit-level reading and writing over a Uint8Array, most significant bit first, as Gorilla and
 * Prometheus's bstream do. Positions are absolute bit offsets into the array. Neither side owns
 * memory: the caller hands in the bytes and keeps the position, so the head can keep thousands of
 * open chunks inside a few shared slabs (see tsdb/memory/) instead of one object per chunk.
 */

/**
 * writeBits ORs the low `n` bits of `value` (0 <= n <= 32) into `buf` at bit position `pos` and
 * returns the new position. The bits being written MUST be zero beforehand: slots are zeroed when
 * allocated, which saves a read-modify-clear on every write.
 */
export function writeBits(buf: Uint8Array, pos: number, value: number, n: number): number {
  let rem = n;
  while (rem > 0) {
    const i = pos >>> 3;
    const free = 8 - (pos & 7);
    if (rem <= free) {
      // Mask first: `value` may carry bits above `rem` (callers pass raw words).
      buf[i]! |= (rem === 32 ? value : value & ((1 << rem) - 1)) << (free - rem);
      return pos + rem;
    }
    rem -= free;
    buf[i]! |= (value >>> rem) & ((1 << free) - 1);
    pos += free;
  }
  return pos;
}

/** writeBit writes one bit (0 or 1) and returns the new position. */
export function writeBit(buf: Uint8Array, pos: number, bit: number): number {
  if (bit !== 0) buf[pos >>> 3]! |= 0x80 >>> (pos & 7);
  return pos + 1;
}

/**
 * BitReader reads bits from `buf` starting at `pos`. Reading past `end` (a bit position) sets
 * `overrun` and yields zeros, so a corrupt chunk ends an iteration instead of throwing.
 */
export class BitReader {
  buf: Uint8Array = EMPTY;
  pos = 0;
  end = 0;
  overrun = false;

  reset(buf: Uint8Array, pos: number, end: number): void {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.overrun = false;
  }

  readBit(): number {
    const pos = this.pos;
    if (pos >= this.end) {
      this.overrun = true;
      return 0;
    }
    this.pos = pos + 1;
    return (this.buf[pos >>> 3]! >>> (7 - (pos & 7))) & 1;
  }

  /** readBits reads `n` bits (0 <= n <= 32) as an unsigned integer. */
  readBits(n: number): number {
    let pos = this.pos;
    if (pos + n > this.end) {
      this.overrun = true;
      this.pos = this.end;
      return 0;
    }
    const buf = this.buf;
    let result = 0;
    let rem = n;
    while (rem > 0) {
      const avail = 8 - (pos & 7);
      const byte = buf[pos >>> 3]! & ((1 << avail) - 1);
      if (rem <= avail) {
        result = ((result << rem) | (byte >>> (avail - rem))) >>> 0;
        pos += rem;
        break;
      }
      result = ((result << avail) | byte) >>> 0;
      rem -= avail;
      pos += avail;
    }
    this.pos = pos;
    return result;
  }
}

const EMPTY = new Uint8Array(0);
