import * as fs from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../util/log.js';
import { ENCODING_XOR } from '../chunkenc/chunk.js';
import type { ChunkSink } from '../head.js';
import { BufferedFile } from '../wal/buffered_file.js';
import { Encbuf } from '../wal/encoding.js';
import type { Corruption } from '../wal/reader.js';
import { scanFrames } from '../wal/record_file.js';
import { CHUNK_FILE_RECORD_TYPES, type ChunkRecord, decodeChunk, encodeChunk } from '../wal/records.js';

/**
 * chunks_head/NNNNNN files: an append-only log of completed head chunks (CHUNK records: series
 * ref, mint, maxt, encoding, bytes, each framed with a length and a CRC). They let a checkpoint
 * leave completed chunks out, so the WAL can be truncated without rewriting every sample, and let
 * replay load chunks instead of re-encoding samples. A file is deleted when retention has
 * expired every chunk in it.
 */

export function chunkFileName(index: number): string {
  return String(index).padStart(6, '0');
}

/** listChunkFiles returns the chunk files of dir by index. */
export function listChunkFiles(dir: string): { index: number; path: string }[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .filter((n) => /^\d{6,}$/.test(n))
    .map((n) => ({ index: Number(n), path: join(dir, n) }))
    .sort((a, b) => a.index - b.index);
}

/** ChunkFilesReplay is what readChunkFiles found. */
export interface ChunkFilesReplay {
  /** lastIndex is the highest file index on disk (0 when none). */
  lastIndex: number;
  /** maxTimes maps each file index to the newest maxt of its chunks (retention deletes by it). */
  maxTimes: Map<number, number>;
  chunks: number;
  corruptions: Corruption[];
}

/**
 * readChunkFiles calls onChunk for every good record of every chunk file. Damage (usually a torn
 * last write) is cut off at the last good record, and, as Prometheus does for its head chunks,
 * later files are deleted: after a crash their chunks may not follow on from what survived, while
 * the WAL still holds every sample not yet covered by an fsynced checkpoint.
 */
export function readChunkFiles(dir: string, onChunk: (c: ChunkRecord) => void, logger: Logger): ChunkFilesReplay {
  const out: ChunkFilesReplay = { lastIndex: 0, maxTimes: new Map(), chunks: 0, corruptions: [] };
  const files = listChunkFiles(dir);
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    out.lastIndex = f.index;
    const buf = fs.readFileSync(f.path);
    let maxT = -Infinity;
    const scan = scanFrames(buf, CHUNK_FILE_RECORD_TYPES, (_type, body) => {
      const c = decodeChunk(body);
      if (c === undefined) return false;
      if (c.maxt > maxT) maxT = c.maxt;
      onChunk(c);
      return true;
    });
    out.chunks += scan.records;
    out.maxTimes.set(f.index, maxT);
    if (scan.error !== undefined) {
      fs.truncateSync(f.path, scan.end);
      const later = files.slice(i + 1);
      for (const l of later) fs.rmSync(l.path, { force: true });
      const c: Corruption = { file: f.path, offset: scan.end, reason: scan.error, droppedSegments: later.length };
      out.corruptions.push(c);
      logger.warn('chunks_head corruption repaired: torn or corrupt chunk record cut off, later files dropped', { ...c });
      break;
    }
  }
  return out;
}

/** HeadChunkWriterOptions configure the chunks_head writer. */
export interface HeadChunkWriterOptions {
  dir: string;
  /** firstIndex is the file to write first; it MUST not exist yet. */
  firstIndex: number;
  maxFileBytes: number;
  /** maxTimes of the files already on disk (from readChunkFiles), for retention. */
  existing: Map<number, number>;
  logger: Logger;
}

/**
 * HeadChunkWriter appends completed chunks to chunks_head files (it is the head's ChunkSink).
 * Writes are buffered; sync() makes them durable, and a checkpoint calls it before it lets the WAL
 * go. Until then the WAL still holds every sample of these chunks.
 *
 * A failed write (disk full) must not break the commit that completed the chunk, so writeChunk
 * never throws: the failure is logged and sticks, and every later sync() rejects with it. No
 * checkpoint can then succeed, so the WAL keeps every sample, and the next open rebuilds the
 * missing chunks from it.
 */
export class HeadChunkWriter implements ChunkSink {
  private file: BufferedFile;
  private index: number;
  private readonly enc = new Encbuf(4096);
  private readonly maxTimes: Map<number, number>;
  private closing: Promise<void>[] = [];
  private backgroundError: Error | undefined;
  private failure: Error | undefined;

  constructor(private readonly opts: HeadChunkWriterOptions) {
    fs.mkdirSync(opts.dir, { recursive: true });
    this.index = opts.firstIndex;
    this.maxTimes = new Map(opts.existing);
    this.file = new BufferedFile(join(opts.dir, chunkFileName(this.index)));
  }

  writeChunk(ref: number, mint: number, maxt: number, buf: Uint8Array, off: number, len: number): void {
    try {
      encodeChunk(this.enc, ref, mint, maxt, ENCODING_XOR, buf, off, len);
      if (this.file.size > 0 && this.file.size + this.enc.len > this.opts.maxFileBytes) this.rotate();
      this.file.write(this.enc.buf, 0, this.enc.len);
      const prev = this.maxTimes.get(this.index);
      if (prev === undefined || maxt > prev) this.maxTimes.set(this.index, maxt);
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private fail(err: Error): void {
    if (this.failure !== undefined) return;
    this.failure = err;
    this.opts.logger.error('writing chunks_head failed; checkpoints stop and the WAL is kept until restart', { err });
  }

  private rotate(): void {
    const old = this.file;
    this.closing.push(
      old.close(true).catch((err: Error) => {
        this.opts.logger.error('fsync of a chunks_head file failed', { file: old.path, err });
        this.backgroundError = err;
      }),
    );
    this.index++;
    this.file = new BufferedFile(join(this.opts.dir, chunkFileName(this.index)));
  }

  flush(): void {
    try {
      this.file.flush();
    } catch (err) {
      this.fail(err as Error);
    }
  }

  /** sync resolves when every chunk written so far is on disk; it rejects after any failed write. */
  async sync(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    const closing = this.closing;
    this.closing = [];
    await Promise.all([...closing, this.file.fsync()]);
    const err = this.backgroundError;
    this.backgroundError = undefined;
    if (err !== undefined) throw err;
  }

  /** fileCount is the number of chunk files on disk or being written. */
  get fileCount(): number {
    return this.maxTimes.size;
  }

  /**
   * deleteExpired deletes the files (except the one being written) whose chunks all end before
   * cutoff (ms), and returns how many it deleted.
   */
  deleteExpired(cutoff: number): number {
    let n = 0;
    for (const [index, maxT] of this.maxTimes) {
      if (index === this.index || maxT >= cutoff) continue;
      fs.rmSync(join(this.opts.dir, chunkFileName(index)), { force: true });
      this.maxTimes.delete(index);
      n++;
    }
    return n;
  }

  async close(): Promise<void> {
    await Promise.all([...this.closing, this.file.close(true).catch((err: Error) => this.fail(err))]);
    this.closing = [];
  }
}
