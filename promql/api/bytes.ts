/**
 * ByteWriter builds a large response body in Buffers. Writing bytes into preallocated chunks is
 * about four times faster than concatenating JavaScript strings for a matrix of millions of points
 * (the rope of small strings costs more to build and flatten than the formatting itself).
 */
export class ByteWriter {
  private readonly chunks: Buffer[] = [];
  private buf: Buffer;
  private at = 0;

  constructor(private readonly chunkSize = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(chunkSize);
  }

  /** ascii writes a string known to be ASCII (numbers, JSON punctuation, fixed keys). */
  ascii(s: string): void {
    if (this.buf.length - this.at < s.length) this.next(s.length);
    this.at += this.buf.write(s, this.at, 'latin1');
  }

  /** text writes any string as UTF-8. */
  text(s: string): void {
    const max = s.length * 3; // a UTF-16 code unit never takes more than 3 UTF-8 bytes
    if (this.buf.length - this.at < max) this.next(max);
    this.at += this.buf.write(s, this.at, 'utf8');
  }

  /** bytes returns everything written, as one Buffer. */
  bytes(): Buffer {
    if (this.chunks.length === 0) return this.buf.subarray(0, this.at);
    return Buffer.concat([...this.chunks, this.buf.subarray(0, this.at)]);
  }

  private next(need: number): void {
    this.chunks.push(this.buf.subarray(0, this.at));
    this.buf = Buffer.allocUnsafe(Math.max(this.chunkSize, need));
    this.at = 0;
  }
}
