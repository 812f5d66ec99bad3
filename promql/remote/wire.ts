import type { Labels } from '../../model/labels.js';
import { isStaleNaN, STALE_NAN_HI, STALE_NAN_LO } from '../../model/value.js';

/** WriteSeries is one series of a remote-write request: its labels and samples (ms, ascending). */
export interface WriteSeries {
  readonly labels: Labels;
  readonly samples: readonly { readonly t: number; readonly v: number }[];
}

/**
 * encodeWriteRequest encodes Prometheus's remote-write 1.0 `prometheus.WriteRequest` protobuf
 * (prompb/remote.proto, types.proto): field 1 repeated TimeSeries {1 repeated Label {1 name,
 * 2 value}, 2 repeated Sample {1 double value, 2 int64 timestamp}}. Hand-written: five message
 * fields do not need a protobuf runtime. Staleness markers keep their NaN payload bit for bit.
 */
export function encodeWriteRequest(series: readonly WriteSeries[]): Uint8Array {
  const w = new Writer();
  for (const s of series) {
    const ts = new Writer();
    s.labels.forEach((name, value) => {
      const l = new Writer();
      l.string(1, name);
      l.string(2, value);
      ts.message(1, l);
    });
    for (const p of s.samples) {
      const sm = new Writer();
      sm.double(1, p.v);
      sm.tag(2, 0);
      sm.varint(p.t);
      ts.message(2, sm);
    }
    w.message(1, ts);
  }
  return w.finish();
}

class Writer {
  private chunks: Uint8Array[] = [];
  private length = 0;

  private push(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** varint writes a non-negative integer up to 2^53 as a base-128 varint. */
  varint(n: number): void {
    if (!(Number.isSafeInteger(n) && n >= 0)) throw new RangeError(`cannot encode ${n} as a varint`);
    const out: number[] = [];
    while (n >= 0x80) {
      out.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    out.push(n);
    this.push(Uint8Array.from(out));
  }

  string(field: number, s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.tag(field, 2);
    this.varint(b.length);
    this.push(b);
  }

  double(field: number, v: number): void {
    this.tag(field, 1);
    const b = new Uint8Array(8);
    const view = new DataView(b.buffer);
    if (isStaleNaN(v)) {
      view.setUint32(0, STALE_NAN_LO, true);
      view.setUint32(4, STALE_NAN_HI, true);
    } else view.setFloat64(0, v, true);
    this.push(b);
  }

  message(field: number, m: Writer): void {
    const b = m.finish();
    this.tag(field, 2);
    this.varint(b.length);
    this.push(b);
  }

  finish(): Uint8Array {
    return Buffer.concat(this.chunks, this.length);
  }
}

/**
 * snappyBlock frames `data` in Snappy's block format (what remote write's `Content-Encoding:
 * snappy` means) using literal elements only: a valid stream every decoder reads, uncompressed.
 * Rule output is small and sent over a short hop; compression is not worth a native dependency.
 */
export function snappyBlock(data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  const pre: number[] = [];
  let n = data.length;
  while (n >= 0x80) {
    pre.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  pre.push(n);
  parts.push(Uint8Array.from(pre));
  for (let off = 0; off < data.length; off += 65536) {
    const len = Math.min(65536, data.length - off);
    // Tag 61<<2: a literal whose length - 1 follows in two little-endian bytes.
    parts.push(Uint8Array.from([61 << 2, (len - 1) & 0xff, (len - 1) >>> 8]));
    parts.push(data.subarray(off, off + len));
  }
  return Buffer.concat(parts);
}
