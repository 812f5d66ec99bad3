import type { Buffer } from 'node:buffer';
import { crc32 } from './crc32.js';
import { Decbuf, type Encbuf } from './encoding.js';

/**
 * Every file the store writes (WAL segments, checkpoints, chunks_head files) is a sequence of
 * framed records:
 *
 *   [payload length: uint32 BE][CRC-32 of payload: uint32 BE][payload: type byte, body]
 *
 * A reader stops at the first frame that is short, has an impossible length, a wrong checksum or
 * an unknown type: that is a torn write or corruption, and everything before it is good.
 */
export const FRAME_HEADER_BYTES = 8;

/** MAX_RECORD_BYTES bounds a payload; a larger length can only be garbage. */
export const MAX_RECORD_BYTES = 1 << 30;

/** beginFrame starts a record of `type` in enc (from its start). */
export function beginFrame(enc: Encbuf, type: number): void {
  enc.reset();
  enc.ensure(FRAME_HEADER_BYTES + 1);
  enc.len = FRAME_HEADER_BYTES;
  enc.putByte(type);
}

/** endFrame fills in the header: the frame is then enc.buf[0, enc.len). */
export function endFrame(enc: Encbuf): void {
  const len = enc.len - FRAME_HEADER_BYTES;
  enc.setU32(0, len);
  enc.setU32(4, crc32(enc.buf, FRAME_HEADER_BYTES, enc.len));
}

/** ScanResult: `end` is the offset after the last good record; `error` says why scanning stopped early. */
export interface ScanResult {
  end: number;
  records: number;
  error?: string;
}

/**
 * scanFrames calls onRecord for each good record of buf, with a Decbuf over its body. onRecord
 * returns false when the body does not decode, which ends the scan like a bad checksum.
 */
export function scanFrames(buf: Buffer, knownTypes: ReadonlySet<number>, onRecord: (type: number, body: Decbuf) => boolean): ScanResult {
  let pos = 0;
  let records = 0;
  while (pos < buf.length) {
    if (pos + FRAME_HEADER_BYTES > buf.length) return { end: pos, records, error: `torn record header at offset ${pos}` };
    const len = buf.readUInt32BE(pos);
    const sum = buf.readUInt32BE(pos + 4);
    if (len === 0 || len > MAX_RECORD_BYTES) return { end: pos, records, error: `invalid record length ${len} at offset ${pos}` };
    const start = pos + FRAME_HEADER_BYTES;
    const end = start + len;
    if (end > buf.length) return { end: pos, records, error: `torn record at offset ${pos}: ${len} bytes announced, ${buf.length - start} present` };
    if (crc32(buf, start, end) !== sum) return { end: pos, records, error: `checksum mismatch in record at offset ${pos}` };
    const type = buf[start]!;
    if (!knownTypes.has(type)) return { end: pos, records, error: `unknown record type ${type} at offset ${pos}` };
    const body = new Decbuf(buf, start + 1, end);
    if (!onRecord(type, body) || body.err) return { end: pos, records, error: `malformed record of type ${type} at offset ${pos}` };
    records++;
    pos = end;
  }
  return { end: pos, records };
}
