import * as fs from 'node:fs';
import { dirname } from 'node:path';
import { fsyncDir } from './segments.js';

/**
 * BufferedFile appends to one file through an in-memory buffer: bytes reach the OS with
 * fs.writeSync when the buffer fills or on flush(), and the disk on fsync(). The file is created
 * on the first flush that has bytes, so a log that is opened and closed without writes leaves no
 * empty file behind. Writes are synchronous because they are small and must keep their order;
 * fsync is asynchronous where it can overlap other work.
 */
export class BufferedFile {
  /** size counts every byte accepted, buffered or not. */
  size = 0;
  private fd = -1;
  private readonly out: Buffer;
  private outLen = 0;
  /** written counts the bytes the OS accepted. */
  private written = 0;
  private closed = false;
  /** dirPending: the file was created and its directory entry is not fsynced yet. */
  private dirPending = false;

  constructor(
    readonly path: string,
    bufferBytes = 32 * 1024,
  ) {
    this.out = Buffer.allocUnsafe(bufferBytes);
  }

  /**
   * write appends bytes. If the OS refuses them (disk full), it throws, the file is cut back to
   * its last whole write and the bytes buffered before stay buffered: a failed write never leaves
   * half a record in the middle of a file, where replay would have to drop everything after it.
   */
  write(src: Uint8Array, off: number, len: number): void {
    if (this.closed) throw new Error(`write to closed file ${this.path}`);
    if (this.outLen + len > this.out.length) this.flush();
    if (len >= this.out.length) this.writeAll(src, off, len);
    else {
      this.out.set(src.subarray(off, off + len), this.outLen);
      this.outLen += len;
    }
    this.size += len;
  }

  /** flush hands buffered bytes to the OS (no fsync). */
  flush(): void {
    if (this.outLen === 0) return;
    this.writeAll(this.out, 0, this.outLen);
    this.outLen = 0;
  }

  /** hasFile says whether the file exists (something was flushed). */
  get hasFile(): boolean {
    return this.fd >= 0;
  }

  /** fsyncSync flushes and waits for the disk. */
  fsyncSync(): void {
    this.flush();
    if (this.fd >= 0) fs.fsyncSync(this.fd);
    this.syncDirEntry();
  }

  /** fsync flushes, then resolves when the disk has every byte flushed so far. */
  fsync(): Promise<void> {
    this.flush();
    const fd = this.fd;
    if (fd < 0) return Promise.resolve();
    return new Promise((resolve, reject) =>
      fs.fsync(fd, (err) => {
        if (err) return reject(err);
        try {
          this.syncDirEntry();
        } catch (e) {
          return reject(e as Error);
        }
        resolve();
      }),
    );
  }

  /** syncDirEntry makes a newly created file's name durable, once: fsyncing data alone does not. */
  private syncDirEntry(): void {
    if (!this.dirPending) return;
    this.dirPending = false;
    fsyncDir(dirname(this.path));
  }

  /** close flushes, fsyncs when asked, and closes. */
  async close(sync: boolean): Promise<void> {
    if (this.closed) return;
    if (sync) await this.fsync();
    else this.flush();
    this.closed = true;
    if (this.fd >= 0) {
      const fd = this.fd;
      this.fd = -1;
      await new Promise<void>((resolve) => fs.close(fd, () => resolve()));
    }
  }

  /** closeSync flushes, fsyncs when asked, and closes, blocking. */
  closeSync(sync: boolean): void {
    if (this.closed) return;
    if (sync) this.fsyncSync();
    else this.flush();
    this.closed = true;
    if (this.fd >= 0) {
      fs.closeSync(this.fd);
      this.fd = -1;
    }
  }

  private writeAll(src: Uint8Array, off: number, len: number): void {
    if (this.fd < 0) {
      this.fd = fs.openSync(this.path, 'a');
      this.dirPending = true;
    }
    const before = this.written;
    try {
      while (len > 0) {
        const n = fs.writeSync(this.fd, src, off, len);
        off += n;
        len -= n;
        this.written += n;
      }
    } catch (err) {
      try {
        fs.ftruncateSync(this.fd, before);
        this.written = before;
      } catch {
        // The file keeps a torn tail; replay cuts it.
      }
      throw err;
    }
  }
}
