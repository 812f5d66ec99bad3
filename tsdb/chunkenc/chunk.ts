/**
 * Chunk layout shared by the head, the chunks_head files and checkpoints:
 *
 *   [sample count: uint16 big-endian][bit stream ...]
 *
 * as in Prometheus, so a chunk's bytes say how many samples they hold without decoding.
 */

/** ENCODING_XOR identifies the Gorilla/Prometheus XOR float encoding in files. */
export const ENCODING_XOR = 1;

/** CHUNK_HEADER_BYTES is the size of the sample-count header that precedes the bit stream. */
export const CHUNK_HEADER_BYTES = 2;

/** MAX_SAMPLES_PER_CHUNK is when the head cuts a new chunk (Prometheus's default, 120). */
export const MAX_SAMPLES_PER_CHUNK = 120;

/** XOR_FIRST_SAMPLE_BITS is the size of a chunk's first sample: raw 64-bit t and raw 64-bit v. */
export const XOR_FIRST_SAMPLE_BITS = 128;

/**
 * XOR_MAX_SAMPLE_BITS bounds any later sample: a 4-bit prefix and 64-bit delta-of-delta, then a
 * 2-bit control, 5-bit leading-zero count, 6-bit length and 64 significant bits.
 */
export const XOR_MAX_SAMPLE_BITS = 4 + 64 + 2 + 5 + 6 + 64;

/** chunkSampleCount reads the sample count of the chunk whose bytes start at `off`. */
export function chunkSampleCount(buf: Uint8Array, off: number): number {
  return (buf[off]! << 8) | buf[off + 1]!;
}

/** maxChunkBytes is the worst-case encoded size of an XOR chunk of `n` samples. */
export function maxChunkBytes(n: number): number {
  if (n <= 0) return CHUNK_HEADER_BYTES;
  return CHUNK_HEADER_BYTES + Math.ceil((XOR_FIRST_SAMPLE_BITS + (n - 1) * XOR_MAX_SAMPLE_BITS) / 8);
}
