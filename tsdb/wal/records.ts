import type { Decbuf, Encbuf } from './encoding.js';
import { beginFrame, endFrame } from './record_file.js';

/**
 * Record types of the WAL, checkpoints and chunks_head files, and their bodies:
 *
 * - SERIES:     count uvarint, then per series: ref uvarint, pairs uvarint, (name, value) strings.
 * - SAMPLES:    count uint32, base ref f64, base t f64, then per sample: ref - base varint,
 *               t - base varint, v as raw 8 bytes (so staleness markers survive).
 * - OPEN_CHUNK: (checkpoints) count uvarint, then per chunk: ref uvarint, len uvarint, XOR chunk bytes.
 * - CHUNK:      (chunks_head) ref uvarint, mint f64, maxt f64, encoding byte, len uvarint, chunk bytes.
 *
 * Strings are UTF-8 with a uvarint byte length. Refs are series refs (see head_series.ts).
 */
export const RECORD_SERIES = 1;
export const RECORD_SAMPLES = 2;
export const RECORD_OPEN_CHUNK = 3;
export const RECORD_CHUNK = 4;

export const WAL_RECORD_TYPES: ReadonlySet<number> = new Set([RECORD_SERIES, RECORD_SAMPLES]);
export const CHECKPOINT_RECORD_TYPES: ReadonlySet<number> = new Set([RECORD_SERIES, RECORD_OPEN_CHUNK]);
export const CHUNK_FILE_RECORD_TYPES: ReadonlySet<number> = new Set([RECORD_CHUNK]);

/** MAX_SAMPLES_PER_RECORD keeps a large transaction's records (and a reader's work per record) bounded. */
export const MAX_SAMPLES_PER_RECORD = 10_000;
/** MAX_SERIES_PER_RECORD likewise for series records. */
export const MAX_SERIES_PER_RECORD = 1_000;

/** encodeSeries frames one series record for refs[from, to). */
export function encodeSeries(enc: Encbuf, refs: readonly number[], labels: readonly (readonly string[])[], from: number, to: number): void {
  beginFrame(enc, RECORD_SERIES);
  enc.putUvarint(to - from);
  for (let i = from; i < to; i++) {
    const flat = labels[i]!;
    enc.putUvarint(refs[i]!);
    enc.putUvarint(flat.length >>> 1);
    for (let j = 0; j < flat.length; j++) enc.putString(flat[j]!);
  }
  endFrame(enc);
}

/** decodeSeries calls fn per series of a SERIES body; false when the body is malformed. */
export function decodeSeries(d: Decbuf, fn: (ref: number, flat: string[]) => void): boolean {
  const count = d.uvarint();
  for (let i = 0; i < count && !d.err; i++) {
    const ref = d.uvarint();
    const pairs = d.uvarint();
    if (pairs * 2 > d.remaining) return false;
    const flat = new Array<string>(pairs * 2);
    for (let j = 0; j < pairs * 2; j++) flat[j] = d.string();
    if (d.err) return false;
    fn(ref, flat);
  }
  return !d.err && d.remaining === 0;
}

/**
 * SampleEncoder frames SAMPLES records from parallel arrays, skipping entries whose ref is 0, at
 * most MAX_SAMPLES_PER_RECORD per record; emit(enc) is called with each finished frame.
 */
export function encodeSamples(
  enc: Encbuf,
  refs: Float64Array,
  ts: Float64Array,
  vs: Float64Array,
  n: number,
  emit: (enc: Encbuf) => void,
): void {
  let i = 0;
  while (i < n) {
    while (i < n && refs[i] === 0) i++;
    if (i >= n) return;
    beginFrame(enc, RECORD_SAMPLES);
    const countAt = enc.len;
    enc.putU32(0);
    const baseRef = refs[i]!;
    const baseT = ts[i]!;
    enc.putF64(baseRef);
    enc.putF64(baseT);
    let count = 0;
    for (; i < n && count < MAX_SAMPLES_PER_RECORD; i++) {
      const ref = refs[i]!;
      if (ref === 0) continue;
      enc.putSampleEntry(ref - baseRef, ts[i]! - baseT, vs[i]!);
      count++;
    }
    enc.setU32(countAt, count);
    endFrame(enc);
    emit(enc);
  }
}

/** decodeSamples calls fn per sample of a SAMPLES body; false when the body is malformed. */
export function decodeSamples(d: Decbuf, fn: (ref: number, t: number, v: number) => void): boolean {
  const count = d.u32();
  const baseRef = d.f64();
  const baseT = d.f64();
  if (d.err || !Number.isSafeInteger(baseRef) || !Number.isSafeInteger(baseT)) return false;
  for (let i = 0; i < count; i++) {
    const ref = baseRef + d.varint();
    const t = baseT + d.varint();
    const v = d.f64();
    if (d.err) return false;
    fn(ref, t, v);
  }
  return d.remaining === 0;
}

/** encodeOpenChunks frames one OPEN_CHUNK record; chunks[i] is buf[offs[i], offs[i] + lens[i]). */
export function encodeOpenChunks(
  enc: Encbuf,
  refs: readonly number[],
  bufs: readonly Uint8Array[],
  offs: readonly number[],
  lens: readonly number[],
): void {
  beginFrame(enc, RECORD_OPEN_CHUNK);
  enc.putUvarint(refs.length);
  for (let i = 0; i < refs.length; i++) {
    enc.putUvarint(refs[i]!);
    enc.putUvarint(lens[i]!);
    enc.putBytes(bufs[i]!, offs[i]!, lens[i]!);
  }
  endFrame(enc);
}

/** decodeOpenChunks calls fn per chunk of an OPEN_CHUNK body (bytes valid during the call only). */
export function decodeOpenChunks(d: Decbuf, fn: (ref: number, bytes: Uint8Array) => void): boolean {
  const count = d.uvarint();
  for (let i = 0; i < count && !d.err; i++) {
    const ref = d.uvarint();
    const len = d.uvarint();
    const bytes = d.bytes(len);
    if (d.err) return false;
    fn(ref, bytes);
  }
  return !d.err && d.remaining === 0;
}

/** encodeChunk frames one CHUNK record. */
export function encodeChunk(enc: Encbuf, ref: number, mint: number, maxt: number, encoding: number, buf: Uint8Array, off: number, len: number): void {
  beginFrame(enc, RECORD_CHUNK);
  enc.putUvarint(ref);
  enc.putF64(mint);
  enc.putF64(maxt);
  enc.putByte(encoding);
  enc.putUvarint(len);
  enc.putBytes(buf, off, len);
  endFrame(enc);
}

/** ChunkRecord is a decoded CHUNK record; `bytes` is a view valid while the file buffer is. */
export interface ChunkRecord {
  ref: number;
  mint: number;
  maxt: number;
  encoding: number;
  bytes: Uint8Array;
}

export function decodeChunk(d: Decbuf): ChunkRecord | undefined {
  const ref = d.uvarint();
  const mint = d.f64();
  const maxt = d.f64();
  const encoding = d.byte();
  const len = d.uvarint();
  const bytes = d.bytes(len);
  if (d.err || d.remaining !== 0) return undefined;
  return { ref, mint, maxt, encoding, bytes };
}
