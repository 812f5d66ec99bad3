import { describe, expect, it } from 'vitest';
import { XorChunk, XorEncoder, XorIterator } from '../../../tsdb/chunkenc/xor.js';
import { MAX_SAMPLES_PER_CHUNK, chunkSampleCount, maxChunkBytes } from '../../../tsdb/chunkenc/chunk.js';
import { StaleNaN, isStaleNaN } from '../../../model/value.js';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
function bitsOf(v: number): string {
  f64[0] = v;
  return u32[1]!.toString(16).padStart(8, '0') + u32[0]!.toString(16).padStart(8, '0');
}
function nanWithPayload(lo: number): number {
  u32[1] = 0x7ff80000;
  u32[0] = lo;
  return f64[0]!;
}

// Values travel in Float64Arrays: a plain JS array of doubles would canonicalise NaN payloads.
function roundTrip(ts: number[], vs: Float64Array): { ts: number[]; bits: string[]; chunk: XorChunk } {
  const c = new XorChunk(8);
  for (let i = 0; i < ts.length; i++) c.append(ts[i]!, vs[i]!);
  const it = c.iterator();
  const outT: number[] = [];
  const outBits: string[] = [];
  while (it.next()) {
    outT.push(it.t);
    outBits.push(bitsOf(it.v));
  }
  expect(it.corrupt).toBe(false);
  return { ts: outT, bits: outBits, chunk: c };
}

function expectRoundTrip(ts: number[], values: number[] | Float64Array): XorChunk {
  const vs = values instanceof Float64Array ? values : Float64Array.from(values);
  const r = roundTrip(ts, vs);
  expect(r.ts).toEqual(ts);
  expect(r.bits).toEqual(Array.from(vs, bitsOf));
  return r.chunk;
}

describe('XOR chunk', () => {
  it('round-trips a single sample', () => {
    const c = expectRoundTrip([1_700_000_000_000], [42.5]);
    expect(c.numSamples).toBe(1);
    expect(chunkSampleCount(c.bytes(), 0)).toBe(1);
  });

  it('round-trips a full 120-sample chunk of regular scrapes', () => {
    const ts: number[] = [];
    const vs: number[] = [];
    for (let i = 0; i < MAX_SAMPLES_PER_CHUNK; i++) {
      ts.push(1_700_000_000_000 + i * 15_000);
      vs.push(1000 + (i % 7));
    }
    const c = expectRoundTrip(ts, vs);
    expect(chunkSampleCount(c.bytes(), 0)).toBe(120);
    expect(c.bytes().length).toBeLessThanOrEqual(maxChunkBytes(120));
  });

  it('keeps NaN payloads, ±Inf, -0 and the staleness marker bit for bit', () => {
    const vs = new Float64Array(12);
    [1, NaN, 0, Infinity, -Infinity, -0, 0, 0, 0, 5e-324, Number.MAX_VALUE, -1.5].forEach((v, i) => (vs[i] = v));
    vs[2] = StaleNaN;
    vs[7] = nanWithPayload(12345);
    vs[8] = StaleNaN;
    const ts = Array.from(vs, (_, i) => 1000 + i * 1000);
    expect(bitsOf(vs[7]!)).toBe('7ff8000000003039');
    expectRoundTrip(ts, vs);
    const c = new XorChunk();
    for (let i = 0; i < vs.length; i++) c.append(ts[i]!, vs[i]!);
    const it = c.iterator();
    const stale: boolean[] = [];
    while (it.next()) stale.push(isStaleNaN(it.v));
    expect(stale).toEqual([false, false, true, false, false, false, false, false, true, false, false, false]);
  });

  it('handles huge, negative and irregular timestamps in every delta-of-delta bucket', () => {
    const ts = [
      -8_640_000_000_000_000, -1, 0, 1, 2, 8_194, 16_390, 16_391 + 65_536, 200_000, 200_000 + 524_288, 10_000_000,
      10_000_001, 2 ** 52, 8_640_000_000_000_000, 8_640_000_000_000_000, 8_640_000_000_000_001,
    ];
    const vs = ts.map((_, i) => i * 1.25);
    expectRoundTrip(ts, vs);
  });

  it('round-trips the bucket edges of delta-of-delta exactly', () => {
    const dods = [0, 1, -1, 8192, -8191, 8193, -8192, 65536, -65535, 65537, -65536, 524288, -524287, 524289, -524288, 2 ** 40, -(2 ** 40)];
    const ts = [0, 1_000_000_000_000];
    let delta = 1_000_000_000_000;
    for (const d of dods) {
      delta += d;
      ts.push(ts[ts.length - 1]! + delta);
    }
    expectRoundTrip(ts, ts.map(() => 1));
  });

  it('round-trips values that force every leading/trailing window case', () => {
    const vs = [0, 1, 2, 3, 1e300, -1e-300, 0.1, 0.2, 0.30000000000000004, 123456789.123, 123456789.125, 2 ** 63, 1, 1, 1, 7];
    const ts = vs.map((_, i) => i * 15_000);
    expectRoundTrip(ts, vs);
  });

  it('round-trips random data', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 50; round++) {
      const n = 1 + Math.floor(rnd() * 120);
      const ts: number[] = [];
      const vs: number[] = [];
      let t = Math.floor(rnd() * 2 ** 45);
      for (let i = 0; i < n; i++) {
        t += Math.floor(rnd() * (round % 2 === 0 ? 100 : 1e9));
        ts.push(t);
        const kind = Math.floor(rnd() * 4);
        vs.push(kind === 0 ? rnd() : kind === 1 ? Math.floor(rnd() * 100) : kind === 2 ? -rnd() * 1e10 : vs[vs.length - 1] ?? 0);
      }
      expectRoundTrip(ts, vs);
    }
  });

  it('uses about one bit per sample for a constant series at a fixed interval', () => {
    const c = new XorChunk();
    for (let i = 0; i < 120; i++) c.append(i * 15_000, 1);
    // header 2 + first sample 16 + second 3 bytes-ish + 118 * 2 bits.
    expect(c.bytes().length).toBeLessThan(2 + 16 + 4 + 30 + 2);
  });

  it('ends iteration on a truncated chunk instead of throwing', () => {
    const c = new XorChunk();
    for (let i = 0; i < 50; i++) c.append(i * 15_000 + (i % 3), i * 0.37);
    const full = c.bytes();
    const it = new XorIterator();
    it.reset(full, 0, full.length - 10);
    let n = 0;
    while (it.next()) n++;
    expect(n).toBeLessThan(50);
    expect(it.corrupt).toBe(true);
  });

  it('encodes into a caller-owned region at an offset without touching the bytes around it', () => {
    const buf = new Uint8Array(256).fill(0);
    buf[9] = 0xaa;
    const enc = new XorEncoder();
    enc.reset(buf, 10);
    for (let i = 0; i < 5; i++) {
      expect(enc.bytesNeeded()).toBeLessThanOrEqual(100);
      enc.append(i * 1000, i * 2);
    }
    expect(buf[9]).toBe(0xaa);
    const end = 10 + enc.byteLength();
    expect(buf.subarray(end).every((b) => b === 0)).toBe(true);
    const it = new XorIterator();
    it.reset(buf, 10, enc.byteLength());
    const got: number[] = [];
    while (it.next()) got.push(it.t, it.v);
    expect(got).toEqual([0, 0, 1000, 2, 2000, 4, 3000, 6, 4000, 8]);
  });
});
