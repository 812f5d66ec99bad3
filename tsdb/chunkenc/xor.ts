import { BitReader, writeBit, writeBits } from './bstream.js';
import { CHUNK_HEADER_BYTES, XOR_FIRST_SAMPLE_BITS, XOR_MAX_SAMPLE_BITS, chunkSampleCount } from './chunk.js';
import { floatFromBits, floatHi, floatLoOfLast } from './float_bits.js';

/**
 * The XOR chunk encoding of Gorilla as Prometheus adapted it to millisecond timestamps:
 *
 * - first sample: t as a raw 64-bit two's complement integer, v as its raw 64 bits;
 * - every later sample: the delta of the timestamp delta in a bucket ('0' for zero, then '10' +
 *   14 bits, '110' + 17 bits, '1110' + 20 bits, '1111' + 64 bits), the second sample using the
 *   plain delta; then the value XORed with the previous one: '0' when equal, '10' + the
 *   meaningful bits inside the previous leading/trailing-zero window when they fit it, else
 *   '11' + 5 bits of leading zeros + 6 bits of length + the meaningful bits.
 *
 * Values are handled as two 32-bit halves of their bit pattern, never as numbers, so NaN payloads
 * (the staleness marker) survive. Timestamps must be safe integers.
 */

const TWO32 = 4294967296;

/**
 * XorEncoder appends samples to one chunk. Its fields are the whole encoder state, public so that
 * the head can load a series' state from its struct-of-arrays, append, and store it back: one
 * encoder serves every series. The bytes [base, base + capacity) of `buf` belong to the chunk and
 * must be zero past the written bits; the caller MUST make sure XOR_MAX_SAMPLE_BITS more bits fit
 * (see bytesNeeded) before append.
 */
export class XorEncoder {
  buf: Uint8Array = new Uint8Array(0);
  /** base is the byte offset of the chunk header in buf. */
  base = 0;
  /** bits is the number of bits written after the header. */
  bits = 0;
  count = 0;
  t = 0;
  tDelta = 0;
  vHi = 0;
  vLo = 0;
  /** leading is 0xff until the first value window is written. */
  leading = 0xff;
  trailing = 0;

  /** reset points the encoder at an empty chunk at buf[base]; the header bytes must be zero. */
  reset(buf: Uint8Array, base: number): void {
    this.buf = buf;
    this.base = base;
    this.bits = 0;
    this.count = 0;
    this.t = 0;
    this.tDelta = 0;
    this.vHi = 0;
    this.vLo = 0;
    this.leading = 0xff;
    this.trailing = 0;
  }

  /** bytesNeeded is the chunk size (header included) that is safe for one more append. */
  bytesNeeded(): number {
    const extra = this.count === 0 ? XOR_FIRST_SAMPLE_BITS : XOR_MAX_SAMPLE_BITS;
    return CHUNK_HEADER_BYTES + ((this.bits + extra + 7) >>> 3);
  }

  /** byteLength is the encoded size of the chunk so far, header included. */
  byteLength(): number {
    return CHUNK_HEADER_BYTES + ((this.bits + 7) >>> 3);
  }

  /** append encodes one sample; t must not be below the previous sample's t. */
  append(t: number, v: number): void {
    const buf = this.buf;
    const start = (this.base + CHUNK_HEADER_BYTES) * 8;
    let pos = start + this.bits;
    const hi = floatHi(v);
    const lo = floatLoOfLast();
    if (this.count === 0) {
      const thi = Math.floor(t / TWO32);
      pos = writeBits(buf, pos, thi >>> 0, 32);
      pos = writeBits(buf, pos, t - thi * TWO32, 32);
      pos = writeBits(buf, pos, hi, 32);
      pos = writeBits(buf, pos, lo, 32);
      this.tDelta = 0;
      this.leading = 0xff;
    } else {
      const delta = t - this.t;
      pos = writeDod(buf, pos, delta - this.tDelta);
      this.tDelta = delta;
      pos = this.writeValue(buf, pos, hi, lo);
    }
    this.t = t;
    this.vHi = hi;
    this.vLo = lo;
    this.bits = pos - start;
    const count = ++this.count;
    buf[this.base] = count >>> 8;
    buf[this.base + 1] = count & 0xff;
  }

  private writeValue(buf: Uint8Array, pos: number, hi: number, lo: number): number {
    const xhi = (hi ^ this.vHi) >>> 0;
    const xlo = (lo ^ this.vLo) >>> 0;
    if (xhi === 0 && xlo === 0) return pos + 1; // a '0' bit: the bytes are already zero
    let leading = xhi !== 0 ? Math.clz32(xhi) : 32 + Math.clz32(xlo);
    const trailing = xlo !== 0 ? ctz32(xlo) : 32 + ctz32(xhi);
    if (leading >= 32) leading = 31; // 5 bits hold at most 31
    let l = this.leading;
    let tr = this.trailing;
    if (l !== 0xff && leading >= l && trailing >= tr) {
      pos = writeBits(buf, pos, 0b10, 2);
    } else {
      l = leading;
      tr = trailing;
      this.leading = l;
      this.trailing = tr;
      // 64 significant bits are written as 0 in 6 bits; 0 bits never occur (that is xor == 0).
      pos = writeBits(buf, pos, (0b11 << 11) | (l << 6) | ((64 - l - tr) & 63), 13);
    }
    const sig = 64 - l - tr;
    // The window of meaningful bits: (x >>> tr), sig bits wide.
    let shi: number;
    let slo: number;
    if (tr === 0) {
      shi = xhi;
      slo = xlo;
    } else if (tr < 32) {
      shi = xhi >>> tr;
      slo = ((xlo >>> tr) | (xhi << (32 - tr))) >>> 0;
    } else {
      shi = 0;
      slo = xhi >>> (tr - 32);
    }
    if (sig > 32) {
      pos = writeBits(buf, pos, shi, sig - 32);
      return writeBits(buf, pos, slo, 32);
    }
    return writeBits(buf, pos, slo, sig);
  }
}

function writeDod(buf: Uint8Array, pos: number, dod: number): number {
  if (dod === 0) return writeBit(buf, pos, 0);
  if (dod >= -8191 && dod <= 8192) return writeBits(buf, pos, (0b10 << 14) | (dod & 0x3fff), 16);
  if (dod >= -65535 && dod <= 65536) return writeBits(buf, pos, (0b110 << 17) | (dod & 0x1ffff), 20);
  if (dod >= -524287 && dod <= 524288) return writeBits(buf, pos, (0b1110 << 20) | (dod & 0xfffff), 24);
  pos = writeBits(buf, pos, 0b1111, 4);
  const hi = Math.floor(dod / TWO32);
  pos = writeBits(buf, pos, hi >>> 0, 32);
  return writeBits(buf, pos, dod - hi * TWO32, 32);
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/**
 * XorIterator decodes one chunk with no allocation per sample. After next() returns true, `t` and
 * `v` hold the current sample. A chunk that ends early or holds an impossible value window sets
 * `corrupt` and ends the iteration.
 */
export class XorIterator {
  t = 0;
  v = 0;
  corrupt = false;
  private readonly br = new BitReader();
  private total = 0;
  private read = 0;
  private tDelta = 0;
  private vHi = 0;
  private vLo = 0;
  private leading = 0;
  private trailing = 0;

  /** reset starts decoding the chunk stored at buf[off, off + len); the bytes are only read. */
  reset(buf: Uint8Array, off: number, len: number): void {
    if (len < CHUNK_HEADER_BYTES) {
      this.total = 0;
      this.corrupt = len !== 0;
    } else {
      this.total = chunkSampleCount(buf, off);
      this.corrupt = false;
    }
    this.br.reset(buf, (off + CHUNK_HEADER_BYTES) * 8, (off + len) * 8);
    this.read = 0;
    this.t = 0;
    this.v = 0;
    this.tDelta = 0;
    this.vHi = 0;
    this.vLo = 0;
    this.leading = 0;
    this.trailing = 0;
  }

  /** remaining is the number of samples not yet decoded. */
  get remaining(): number {
    return this.total - this.read;
  }

  next(): boolean {
    if (this.read >= this.total || this.corrupt) return false;
    const br = this.br;
    if (this.read === 0) {
      const thi = br.readBits(32) | 0;
      const tlo = br.readBits(32);
      this.t = thi * TWO32 + tlo;
      this.vHi = br.readBits(32);
      this.vLo = br.readBits(32);
    } else {
      let dod = 0;
      if (br.readBit() !== 0) {
        let size: number;
        if (br.readBit() === 0) size = 14;
        else if (br.readBit() === 0) size = 17;
        else if (br.readBit() === 0) size = 20;
        else size = 64;
        if (size === 64) {
          const hi = br.readBits(32) | 0;
          dod = hi * TWO32 + br.readBits(32);
        } else {
          dod = br.readBits(size);
          if (dod > 1 << (size - 1)) dod -= 1 << size;
        }
      }
      this.tDelta += dod;
      this.t += this.tDelta;
      if (!this.readValue()) return this.fail();
    }
    if (br.overrun) return this.fail();
    this.read++;
    this.v = floatFromBits(this.vHi, this.vLo);
    return true;
  }

  private readValue(): boolean {
    const br = this.br;
    if (br.readBit() === 0) return true;
    if (br.readBit() !== 0) {
      const l = br.readBits(5);
      let sig = br.readBits(6);
      if (sig === 0) sig = 64;
      const tr = 64 - l - sig;
      if (tr < 0) return false;
      this.leading = l;
      this.trailing = tr;
    }
    const tr = this.trailing;
    const sig = 64 - this.leading - tr;
    let shi = 0;
    let slo: number;
    if (sig > 32) {
      shi = br.readBits(sig - 32);
      slo = br.readBits(32);
    } else {
      slo = br.readBits(sig);
    }
    let xhi: number;
    let xlo: number;
    if (tr === 0) {
      xhi = shi;
      xlo = slo;
    } else if (tr < 32) {
      xhi = ((shi << tr) | (slo >>> (32 - tr))) >>> 0;
      xlo = (slo << tr) >>> 0;
    } else {
      xhi = (slo << (tr - 32)) >>> 0;
      xlo = 0;
    }
    this.vHi = (this.vHi ^ xhi) >>> 0;
    this.vLo = (this.vLo ^ xlo) >>> 0;
    return true;
  }

  private fail(): boolean {
    this.corrupt = true;
    this.read = this.total;
    return false;
  }
}

/**
 * XorChunk is a standalone, growable XOR chunk that owns its bytes: for tests, tools and replay.
 * The head does not use it (it keeps chunk bytes in shared slabs).
 */
export class XorChunk {
  private readonly enc = new XorEncoder();

  constructor(initialBytes = 64) {
    this.enc.reset(new Uint8Array(Math.max(initialBytes, CHUNK_HEADER_BYTES)), 0);
  }

  get numSamples(): number {
    return this.enc.count;
  }

  append(t: number, v: number): void {
    const need = this.enc.bytesNeeded();
    if (need > this.enc.buf.length) {
      const grown = new Uint8Array(Math.max(need, this.enc.buf.length * 2));
      grown.set(this.enc.buf);
      this.enc.buf = grown;
    }
    this.enc.append(t, v);
  }

  /** bytes returns the encoded chunk; it is a view valid until the next append. */
  bytes(): Uint8Array {
    return this.enc.buf.subarray(0, this.enc.byteLength());
  }

  iterator(): XorIterator {
    const it = new XorIterator();
    const b = this.bytes();
    it.reset(b, 0, b.length);
    return it;
  }
}
