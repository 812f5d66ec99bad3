import * as zlib from 'node:zlib';

/**
 * crc32 is the IEEE CRC-32 (the one zlib and gzip use) of
 * buf[start, end). Node >= 20.15 has a native one; older runtimes use the table below.
 */
export function crc32(buf: Uint8Array, start = 0, end = buf.length): number {
  const view = start === 0 && end === buf.length ? buf : buf.subarray(start, end);
  return nativeCrc32 !== undefined ? nativeCrc32(view) >>> 0 : tableCrc32(view);
}

type Crc32Fn = (data: Uint8Array, value?: number) => number;
const nativeCrc32: Crc32Fn | undefined = (zlib as unknown as { crc32?: Crc32Fn }).crc32;

let table: Uint32Array | undefined;

/** tableCrc32 is the portable fallback, one table lookup per byte. Exported for tests. */
export function tableCrc32(buf: Uint8Array): number {
  if (table === undefined) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < buf.length; i++) crc = table[(crc ^ buf[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
