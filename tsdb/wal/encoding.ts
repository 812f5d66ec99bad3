import { floatFromBits, floatHi, floatLoOfLast } from '../chunkenc/float_bits.js';

/**
 * Encbuf builds binary records in a growable Buffer. Integers are big-endian or varints; floats
 * are their raw 64 bits (never through arithmetic, so NaN payloads survive).
 */
export class Encbuf {
  buf: Buffer;
  len = 0;

  constructor(initialBytes = 4096) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  reset(): void {
    this.len = 0;
  }

  /** ensure makes room for n more bytes. */
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  putByte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  putU32(x: number): void {
    this.ensure(4);
    const b = this.buf;
    const i = this.len;
    b[i] = x >>> 24;
    b[i + 1] = x >>> 16;
    b[i + 2] = x >>> 8;
    b[i + 3] = x;
    this.len = i + 4;
  }

  /** setU32 overwrites 4 bytes at `at` (a length or count patched in after the fact). */
  setU32(at: number, x: number): void {
    const b = this.buf;
    b[at] = x >>> 24;
    b[at + 1] = x >>> 16;
    b[at + 2] = x >>> 8;
    b[at + 3] = x;
  }

  /** putF64 writes the raw bit pattern of v, high word first. */
  putF64(v: number): void {
    const hi = floatHi(v);
    const lo = floatLoOfLast();
    this.putU32(hi);
    this.putU32(lo);
  }

  /** putUvarint writes a non-negative safe integer, 7 bits per byte. */
  putUvarint(x: number): void {
    this.ensure(8);
    const b = this.buf;
    let i = this.len;
    while (x >= 0x80) {
      b[i++] = (x & 0x7f) | 0x80;
      x = x < 0x80000000 ? x >>> 7 : Math.floor(x / 128);
    }
    b[i++] = x;
    this.len = i;
  }

  /** putVarint writes a signed integer with |x| < 2^52 (zigzag: the sign in the low bit). */
  putVarint(x: number): void {
    this.putUvarint(x >= 0 ? x * 2 : -x * 2 - 1);
  }

  /**
   * putSampleEntry writes one sample of a SAMPLES record (two zigzag varints and raw value bits)
   * with a single bounds check: it is the WAL's per-sample hot path.
   */
  putSampleEntry(dRef: number, dT: number, v: number): void {
    this.ensure(32);
    const b = this.buf;
    let i = this.len;
    let x = dRef >= 0 ? dRef * 2 : -dRef * 2 - 1;
    while (x >= 0x80) {
      b[i++] = (x & 0x7f) | 0x80;
      x = x < 0x80000000 ? x >>> 7 : Math.floor(x / 128);
    }
    b[i++] = x;
    x = dT >= 0 ? dT * 2 : -dT * 2 - 1;
    while (x >= 0x80) {
      b[i++] = (x & 0x7f) | 0x80;
      x = x < 0x80000000 ? x >>> 7 : Math.floor(x / 128);
    }
    b[i++] = x;
    const hi = floatHi(v);
    const lo = floatLoOfLast();
    b[i] = hi >>> 24;
    b[i + 1] = hi >>> 16;
    b[i + 2] = hi >>> 8;
    b[i + 3] = hi;
    b[i + 4] = lo >>> 24;
    b[i + 5] = lo >>> 16;
    b[i + 6] = lo >>> 8;
    b[i + 7] = lo;
    this.len = i + 8;
  }

  putString(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.putUvarint(n);
    this.ensure(n);
    this.len += this.buf.write(s, this.len, n, 'utf8');
  }

  putBytes(src: Uint8Array, off: number, len: number): void {
    this.ensure(len);
    this.buf.set(src.subarray(off, off + len), this.len);
    this.len += len;
  }
}

/**
 * Decbuf reads what Encbuf wrote. Reading past the end or a malformed varint sets `err` and
 * returns zeros, so decoders check once at the end instead of after every field.
 */
export class Decbuf {
  err = false;

  constructor(
    readonly buf: Buffer,
    public pos: number,
    readonly end: number,
  ) {}

  get remaining(): number {
    return this.end - this.pos;
  }

  byte(): number {
    if (this.pos >= this.end) return this.fail();
    return this.buf[this.pos++]!;
  }

  u32(): number {
    const i = this.pos;
    if (i + 4 > this.end) return this.fail();
    const b = this.buf;
    this.pos = i + 4;
    return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
  }

  f64(): number {
    const hi = this.u32();
    const lo = this.u32();
    return floatFromBits(hi, lo);
  }

  uvarint(): number {
    const b = this.buf;
    let x = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) return this.fail();
      const c = b[this.pos++]!;
      x += (c & 0x7f) * mul;
      if (c < 0x80) return x;
      mul *= 128;
    }
    return this.fail(); // longer than any safe integer
  }

  varint(): number {
    const z = this.uvarint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  string(): string {
    const n = this.uvarint();
    if (this.pos + n > this.end) {
      this.fail();
      return '';
    }
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** bytes returns a view of the next n bytes (valid while the underlying buffer is). */
  bytes(n: number): Buffer {
    if (this.pos + n > this.end) {
      this.fail();
      return this.buf.subarray(0, 0);
    }
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private fail(): 0 {
    this.err = true;
    this.pos = this.end;
    return 0;
  }
}
