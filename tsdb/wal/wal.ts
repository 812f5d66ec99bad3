import { join } from 'node:path';
import type { Logger } from '../../util/log.js';
import { TSDBError } from '../errors.js';
import { BufferedFile } from './buffered_file.js';
import { Encbuf } from './encoding.js';
import { encodeSamples, encodeSeries, MAX_SERIES_PER_RECORD } from './records.js';
import { segmentName } from './segments.js';

/** WALOptions configure the write-ahead log writer. */
export interface WALOptions {
  dir: string;
  /** firstSegment is the index of the segment to write first; it MUST not exist yet. */
  firstSegment: number;
  /** segmentSizeBytes: a segment is closed when the next record would take it past this. */
  segmentSizeBytes: number;
  /** syncEveryCommit: fsync before a commit returns (walFsyncIntervalMs = 0). */
  syncEveryCommit: boolean;
  logger: Logger;
  /** onFsync receives the duration of every fsync, in seconds. */
  onFsync?: (seconds: number) => void;
  /** onSegmentClosed is told the index of each segment the log moves past. */
  onSegmentClosed?: (index: number) => void;
  bufferBytes?: number;
}

/**
 * WAL writes transactions to numbered segment files. Records are buffered in memory and reach
 * the OS when the buffer fills or on flush, and the disk on sync() (or at every commit with
 * syncEveryCommit). A record never spans two segments.
 */
export class WAL {
  private segment: BufferedFile;
  private index: number;
  private readonly enc = new Encbuf(64 * 1024);
  /** fsyncs and closes of segments the log moved past, still in flight. */
  private closing: Promise<void>[] = [];
  private dirty = false;
  private closed = false;
  /** failure of a background segment fsync, reported by the next sync(). */
  private backgroundError: Error | undefined;
  private readonly emit = (enc: Encbuf): void => this.append(enc);

  constructor(private readonly opts: WALOptions) {
    this.index = opts.firstSegment;
    this.segment = this.newSegment();
  }

  /** currentSegment is the index of the segment being written. */
  get currentSegment(): number {
    return this.index;
  }

  /** logCommit implements the head's CommitLog. */
  logCommit(
    seriesRefs: readonly number[],
    seriesLabels: readonly (readonly string[])[],
    refs: Float64Array,
    ts: Float64Array,
    vs: Float64Array,
    n: number,
  ): void {
    if (this.closed) throw new TSDBError('closed', 'the store is closed: its write-ahead log takes no more records');
    for (let i = 0; i < seriesRefs.length; i += MAX_SERIES_PER_RECORD) {
      encodeSeries(this.enc, seriesRefs, seriesLabels, i, Math.min(seriesRefs.length, i + MAX_SERIES_PER_RECORD));
      this.append(this.enc);
    }
    encodeSamples(this.enc, refs, ts, vs, n, this.emit);
    if (this.opts.syncEveryCommit) this.syncNow();
  }

  private append(enc: Encbuf): void {
    const seg = this.segment;
    if (seg.size > 0 && seg.size + enc.len > this.opts.segmentSizeBytes) this.nextSegment();
    this.segment.write(enc.buf, 0, enc.len);
    this.dirty = true;
  }

  /** flush hands buffered records to the OS. */
  flush(): void {
    this.segment.flush();
  }

  /** syncNow flushes and fsyncs, blocking (every-commit mode, and close). */
  syncNow(): void {
    const start = performance.now();
    this.segment.fsyncSync();
    this.dirty = false;
    this.opts.onFsync?.((performance.now() - start) / 1000);
  }

  /** sync flushes, then resolves when every record written so far is on disk. */
  async sync(): Promise<void> {
    const closing = this.closing;
    this.closing = [];
    const wasDirty = this.dirty;
    this.dirty = false;
    const start = performance.now();
    await Promise.all([...closing, this.segment.fsync()]);
    if (wasDirty) this.opts.onFsync?.((performance.now() - start) / 1000);
    const err = this.backgroundError;
    this.backgroundError = undefined;
    if (err !== undefined) throw err;
  }

  /** needsSync says whether records were written since the last sync. */
  get needsSync(): boolean {
    return this.dirty || this.closing.length > 0;
  }

  /**
   * cut ends the current segment when it holds records and returns the index of the last segment
   * with records written before the call (a checkpoint taken now covers it); later records go to
   * later segments.
   */
  cut(): number {
    if (this.segment.size === 0) return this.index - 1;
    const last = this.index;
    this.nextSegment();
    return last;
  }

  private nextSegment(): void {
    const old = this.segment;
    const oldIndex = this.index;
    if (this.opts.syncEveryCommit) old.closeSync(true);
    else {
      // Caught here so a failure cannot become an unhandled rejection before the next sync().
      this.closing.push(
        old.close(true).catch((err: Error) => {
          this.opts.logger.error('fsync of a closed WAL segment failed', { segment: oldIndex, err });
          this.backgroundError = err;
        }),
      );
    }
    this.index++;
    this.segment = this.newSegment();
    this.opts.onSegmentClosed?.(oldIndex);
  }

  private newSegment(): BufferedFile {
    return new BufferedFile(join(this.opts.dir, segmentName(this.index)), this.opts.bufferBytes);
  }

  /** close syncs everything and closes the current segment. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const start = performance.now();
    await Promise.all([...this.closing, this.segment.close(true)]);
    this.closing = [];
    if (this.dirty) this.opts.onFsync?.((performance.now() - start) / 1000);
    this.dirty = false;
  }
}
