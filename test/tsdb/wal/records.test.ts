import { describe, expect, it } from 'vitest';
import { StaleNaN, isStaleNaN } from '../../../model/value.js';
import { Encbuf } from '../../../tsdb/wal/encoding.js';
import { scanFrames } from '../../../tsdb/wal/record_file.js';
import {
  MAX_SAMPLES_PER_RECORD,
  RECORD_SAMPLES,
  RECORD_SERIES,
  WAL_RECORD_TYPES,
  decodeSamples,
  decodeSeries,
  encodeSamples,
  encodeSeries,
} from '../../../tsdb/wal/records.js';

function frames(fill: (enc: Encbuf, out: Buffer[]) => void): Buffer {
  const enc = new Encbuf(16);
  const out: Buffer[] = [];
  fill(enc, out);
  return Buffer.concat(out);
}

describe('WAL records', () => {
  it('round-trips series records with UTF-8 labels', () => {
    const buf = frames((enc, out) => {
      encodeSeries(enc, [1, 2 ** 40 + 5], [['__name__', 'up', 'job', 'api'], ['__name__', 'naïve', 'emoji', '😀']], 0, 2);
      out.push(Buffer.from(enc.buf.subarray(0, enc.len)));
    });
    const got: [number, string[]][] = [];
    const scan = scanFrames(buf, WAL_RECORD_TYPES, (type, body) => {
      expect(type).toBe(RECORD_SERIES);
      return decodeSeries(body, (ref, flat) => got.push([ref, flat]));
    });
    expect(scan.error).toBeUndefined();
    expect(got).toEqual([
      [1, ['__name__', 'up', 'job', 'api']],
      [2 ** 40 + 5, ['__name__', 'naïve', 'emoji', '😀']],
    ]);
  });

  it('round-trips samples with raw value bits, skips ref 0, and splits large batches', () => {
    const n = Math.ceil(MAX_SAMPLES_PER_RECORD * 1.25) + 50; // one in five is skipped
    const refs = new Float64Array(n);
    const ts = new Float64Array(n);
    const vs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      refs[i] = i % 5 === 4 ? 0 : 1 + (i % 13) * 1000;
      ts[i] = 1_700_000_000_000 + (i % 2 === 0 ? i : -i) * 15;
      vs[i] = i === 1 ? StaleNaN : i === 2 ? -0 : i === 3 ? Infinity : i * 0.5;
    }
    let records = 0;
    const buf = frames((enc, out) =>
      encodeSamples(enc, refs, ts, vs, n, (e) => {
        records++;
        out.push(Buffer.from(e.buf.subarray(0, e.len)));
      }),
    );
    expect(records).toBe(2);
    const gotRefs: number[] = [];
    const gotTs: number[] = [];
    const gotVs = new Float64Array(n);
    let k = 0;
    const scan = scanFrames(buf, WAL_RECORD_TYPES, (type, body) => {
      expect(type).toBe(RECORD_SAMPLES);
      return decodeSamples(body, (ref, t, v) => {
        gotRefs.push(ref);
        gotTs.push(t);
        gotVs[k++] = v;
      });
    });
    expect(scan.error).toBeUndefined();
    const keep = [...Array(n).keys()].filter((i) => refs[i] !== 0);
    expect(gotRefs).toEqual(keep.map((i) => refs[i]));
    expect(gotTs).toEqual(keep.map((i) => ts[i]));
    expect(isStaleNaN(gotVs[1]!)).toBe(true);
    expect(Object.is(gotVs[2], -0)).toBe(true);
    expect(gotVs[3]).toBe(Infinity);
    expect(gotVs[k - 1]).toBe(vs[keep[keep.length - 1]!]);
  });

  it('rejects a record whose body does not decode', () => {
    const enc = new Encbuf(16);
    encodeSeries(enc, [1], [['a', 'b']], 0, 1);
    const buf = Buffer.from(enc.buf.subarray(0, enc.len));
    const scan = scanFrames(buf, WAL_RECORD_TYPES, (_t, body) => decodeSamples(body, () => undefined));
    expect(scan.error).toMatch(/malformed/);
    expect(scan.end).toBe(0);
  });
});
