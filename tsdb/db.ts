import * as fs from 'node:fs';
import { join } from 'node:path';
import { metrics, type Meter } from '@opentelemetry/api';
import type { Appendable, Appender, Querier, Queryable } from '../model/storage.js';
import { type Clock, systemClock, type TimerHandle } from '../util/clock.js';
import { type Logger, nopLogger } from '../util/log.js';
import { deleteCovered, writeCheckpoint } from './checkpoint.js';
import { HeadChunkWriter } from './chunks/head_chunks.js';
import { TSDBError } from './errors.js';
import { DirLock } from './lock.js';
import { Head } from './head.js';
import { replayInto, type ReplayResult } from './replay.js';
import { headStats, type TSDBStats } from './stats.js';
import { type CorruptionKind, TSDBTelemetry } from './telemetry.js';
import { WAL } from './wal/wal.js';
import { removeTempCheckpoints } from './wal/segments.js';

const MiB = 1024 * 1024;

/**
 * TSDBOptions configure openTSDB. Durations are milliseconds on the injected clock.
 */
export interface TSDBOptions {
  /** dir is the data directory; created when missing. Holds `wal/` and `chunks_head/`. */
  dir: string;
  /** retentionMs: samples older than now - retentionMs are refused and dropped. Default 15 days. */
  retentionMs?: number;
  /** walFsyncIntervalMs: how often the WAL is fsynced; 0 fsyncs before every commit returns. Default 1000. */
  walFsyncIntervalMs?: number;
  /** walSegmentSizeBytes: size at which a WAL segment is closed. Default 128 MiB. */
  walSegmentSizeBytes?: number;
  /** checkpointIntervalMs: how often a checkpoint truncates the WAL. Default 30 minutes. */
  checkpointIntervalMs?: number;
  /**
   * checkpointAfterSegments: also checkpoint as soon as this many WAL segments follow the last
   * checkpoint, so restart time and disk use stay bounded whatever the interval. Default 3.
   */
  checkpointAfterSegments?: number;
  /** retentionIntervalMs: how often expired chunks and series are dropped. Default 1 minute. */
  retentionIntervalMs?: number;
  /** chunksHeadFileSizeBytes: size at which a chunks_head file is closed. Default 128 MiB. */
  chunksHeadFileSizeBytes?: number;
  clock?: Clock;
  logger?: Logger;
  /** meter receives the store's telemetry. Default metrics.getMeter('vigil-tsdb'). */
  meter?: Meter;
}

/** RetentionResult says what one retention pass dropped. */
export interface RetentionResult {
  chunksRemoved: number;
  samplesRemoved: number;
  seriesRemoved: number;
  chunkFilesDeleted: number;
}

/**
 * TSDB is the embedded store: a head in memory, a write-ahead log and chunk files on disk.
 *
 * - appender(): transactions; commit() writes the WAL (fsynced per walFsyncIntervalMs) and makes
 *   the samples visible.
 * - querier(mint, maxt): reads, bounds inclusive, in ms.
 * - flushWAL(): resolves when every committed sample is on disk.
 * - checkpoint(): truncates the WAL now (it also runs on its interval).
 * - applyRetention(): drops expired data now (it also runs on its interval).
 * - close(): stops timers, waits for a running checkpoint, flushes and fsyncs everything, closes
 *   files. Appends and queries then throw TSDBError 'closed'.
 */
export interface TSDB extends Appendable, Queryable {
  readonly dir: string;
  /** stats describes the store; limit bounds each top list (default 10). */
  stats(limit?: number): TSDBStats;
  flushWAL(): Promise<void>;
  checkpoint(): Promise<void>;
  applyRetention(): RetentionResult;
  close(): Promise<void>;
}

/**
 * openTSDB opens (or creates) a data directory: it replays the newest checkpoint, the chunk files
 * and the WAL, repairing torn or corrupt tails (logged and counted, never thrown), and starts the
 * fsync, checkpoint and retention timers on the clock.
 */
export async function openTSDB(options: TSDBOptions): Promise<TSDB> {
  const cfg = resolveOptions(options);
  const walDir = join(cfg.dir, 'wal');
  const chunksDir = join(cfg.dir, 'chunks_head');
  try {
    fs.mkdirSync(walDir, { recursive: true });
    fs.mkdirSync(chunksDir, { recursive: true });
  } catch (err) {
    throw new TSDBError('bad_dir', `cannot use data directory ${cfg.dir}: ${(err as Error).message}`, { cause: err });
  }
  const lock = DirLock.acquire(cfg.dir);
  try {
    return new DB(cfg, walDir, chunksDir, lock);
  } catch (err) {
    lock.release();
    throw err;
  }
}

type ResolvedOptions = Required<Omit<TSDBOptions, 'meter'>> & { meter: Meter };

function resolveOptions(o: TSDBOptions): ResolvedOptions {
  const cfg: ResolvedOptions = {
    dir: o.dir,
    retentionMs: o.retentionMs ?? 15 * 24 * 3600_000,
    walFsyncIntervalMs: o.walFsyncIntervalMs ?? 1000,
    walSegmentSizeBytes: o.walSegmentSizeBytes ?? 128 * MiB,
    checkpointIntervalMs: o.checkpointIntervalMs ?? 30 * 60_000,
    checkpointAfterSegments: o.checkpointAfterSegments ?? 3,
    retentionIntervalMs: o.retentionIntervalMs ?? 60_000,
    chunksHeadFileSizeBytes: o.chunksHeadFileSizeBytes ?? 128 * MiB,
    clock: o.clock ?? systemClock,
    logger: o.logger ?? nopLogger,
    meter: o.meter ?? metrics.getMeter('vigil-tsdb'),
  };
  const positive: (keyof ResolvedOptions)[] = ['retentionMs', 'walSegmentSizeBytes', 'checkpointIntervalMs', 'retentionIntervalMs', 'chunksHeadFileSizeBytes', 'checkpointAfterSegments'];
  for (const k of positive) {
    const v = cfg[k] as number;
    if (!(v > 0) || !Number.isFinite(v)) throw new TSDBError('invalid_option', `${k} must be a positive number, got ${v}`);
  }
  if (!(cfg.walFsyncIntervalMs >= 0) || !Number.isFinite(cfg.walFsyncIntervalMs)) {
    throw new TSDBError('invalid_option', `walFsyncIntervalMs must be >= 0, got ${cfg.walFsyncIntervalMs}`);
  }
  if (typeof cfg.dir !== 'string' || cfg.dir === '') throw new TSDBError('invalid_option', 'dir is required');
  return cfg;
}

class DB implements TSDB {
  readonly dir: string;
  private readonly head: Head;
  private readonly wal: WAL;
  private readonly chunkWriter: HeadChunkWriter;
  private readonly telemetry: TSDBTelemetry;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly timers: { fsync?: TimerHandle; checkpoint?: TimerHandle; retention?: TimerHandle } = {};
  private lastCheckpoint: number;
  private checkpointRunning: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private corruptionsRepaired = 0;
  private checkpointsWritten = 0;

  constructor(
    private readonly cfg: ResolvedOptions,
    private readonly walDir: string,
    chunksDir: string,
    private readonly lock: DirLock,
  ) {
    this.dir = cfg.dir;
    this.logger = cfg.logger;
    this.clock = cfg.clock;
    const head = new Head({ retentionMs: cfg.retentionMs, clock: cfg.clock, logger: cfg.logger });
    this.head = head;
    this.telemetry = new TSDBTelemetry(cfg.meter, {
      series: () => head.numSeries,
      chunks: () => head.chunks.chunkCount,
      samples: () => head.numSamples,
    });
    const started = performance.now();
    const tmp = removeTempCheckpoints(walDir);
    if (tmp > 0) this.logger.info('removed checkpoints left half-written by a crash', { count: tmp });

    let writer: HeadChunkWriter | undefined;
    let replay: ReplayResult;
    try {
      replay = replayInto(head, walDir, chunksDir, this.logger, (files) => {
        writer = new HeadChunkWriter({
          dir: chunksDir,
          firstIndex: files.lastIndex + 1,
          maxFileBytes: cfg.chunksHeadFileSizeBytes,
          existing: files.maxTimes,
          logger: this.logger,
        });
        return writer;
      });
    } catch (err) {
      // Damage is repaired, not thrown: this is the directory itself failing (permissions, I/O).
      this.telemetry.shutdown();
      throw new TSDBError('bad_dir', `cannot read data directory ${cfg.dir}: ${(err as Error).message}`, { cause: err });
    }
    this.chunkWriter = writer!;
    for (const c of replay.corruptions) this.countCorruption(c.file.includes('chunks_head') ? 'chunks_head' : c.file.includes('checkpoint.') ? 'checkpoint' : 'wal');
    if (replay.checkpointIndex >= 0) deleteCovered(walDir, replay.checkpointIndex);
    this.lastCheckpoint = replay.checkpointIndex;
    this.wal = new WAL({
      dir: walDir,
      firstSegment: replay.lastSegment + 1,
      segmentSizeBytes: cfg.walSegmentSizeBytes,
      syncEveryCommit: cfg.walFsyncIntervalMs === 0,
      logger: this.logger,
      onFsync: (s) => this.telemetry.walFsync(s),
      onSegmentClosed: (index) => {
        if (index - this.lastCheckpoint >= cfg.checkpointAfterSegments) this.checkpointInBackground();
      },
    });
    head.commitLog = this.wal;
    head.metrics = this.telemetry;
    this.logger.info('tsdb opened', {
      dir: cfg.dir,
      series: replay.series,
      samples: head.numSamples,
      checkpoint: replay.checkpointIndex,
      walSegments: replay.walSegments,
      chunkFiles: replay.chunkFiles.maxTimes.size,
      corruptions: replay.corruptions.length,
      durationMs: Math.round(performance.now() - started),
    });
    this.applyRetention();
    if (replay.walSegments >= cfg.checkpointAfterSegments) this.checkpointInBackground();
    this.armFsync();
    this.armCheckpoint();
    this.armRetention();
  }

  appender(): Appender {
    this.ensureOpen();
    return this.head.appender();
  }

  querier(mint: number, maxt: number): Querier {
    this.ensureOpen();
    return this.head.querier(mint, maxt);
  }

  stats(limit = 10): TSDBStats {
    return headStats(this.head, { walCorruptionsRepaired: this.corruptionsRepaired, checkpoints: this.checkpointsWritten }, limit);
  }

  async flushWAL(): Promise<void> {
    this.ensureOpen();
    this.chunkWriter.flush();
    await this.wal.sync();
  }

  checkpoint(): Promise<void> {
    this.ensureOpen();
    return this.runCheckpoint('requested');
  }

  /** runCheckpoint starts a checkpoint, or returns the one running (which a caller then waits for). */
  private runCheckpoint(reason: 'requested' | 'interval' | 'segments'): Promise<void> {
    if (this.checkpointRunning !== undefined) return this.checkpointRunning;
    let index: number;
    try {
      index = this.wal.cut();
    } catch (err) {
      this.telemetry.checkpoint(false);
      this.logger.error('checkpoint failed: cannot cut the WAL', { reason, err });
      return Promise.reject(err as Error);
    }
    if (index <= this.lastCheckpoint) return Promise.resolve();
    const started = performance.now();
    this.chunkWriter.flush();
    const run = writeCheckpoint(this.walDir, index, this.head, () => this.chunkWriter.sync()).then(
      (stats) => {
        this.lastCheckpoint = index;
        this.checkpointsWritten++;
        this.telemetry.checkpoint(true);
        this.logger.info('checkpoint written', { reason, ...stats, durationMs: Math.round(performance.now() - started) });
      },
      (err: unknown) => {
        this.telemetry.checkpoint(false);
        this.logger.error('checkpoint failed; the WAL is kept', { reason, index, err });
        throw err;
      },
    );
    this.checkpointRunning = run.finally(() => (this.checkpointRunning = undefined));
    return this.checkpointRunning;
  }

  private checkpointInBackground(): void {
    if (this.closing !== undefined || this.checkpointRunning !== undefined) return;
    // Started on the next turn: this may be called from inside a commit (a segment was cut).
    setImmediate(() => {
      if (this.closing === undefined) this.runCheckpoint('segments').catch(() => undefined);
    });
  }

  applyRetention(): RetentionResult {
    this.ensureOpen();
    const cutoff = this.clock.now() - this.cfg.retentionMs;
    const r = this.head.truncate(cutoff);
    const chunkFilesDeleted = this.chunkWriter.deleteExpired(cutoff);
    this.telemetry.retention(r.seriesRemoved, r.chunksRemoved);
    if (r.chunksRemoved > 0 || r.seriesRemoved > 0 || chunkFilesDeleted > 0) {
      this.logger.debug('retention applied', { cutoff, ...r, chunkFilesDeleted });
    }
    return { ...r, chunkFilesDeleted };
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    for (const h of Object.values(this.timers)) if (h !== undefined) this.clock.clearTimeout(h);
    await this.checkpointRunning?.catch(() => undefined);
    // No checkpoint here: close stays fast, and the WAL segments plus chunk files are complete.
    this.chunkWriter.flush();
    try {
      await Promise.all([this.wal.close(), this.chunkWriter.close()]);
    } finally {
      this.telemetry.shutdown();
      this.lock.release();
      this.logger.info('tsdb closed', { dir: this.dir });
    }
  }

  private ensureOpen(): void {
    if (this.closing !== undefined) throw new TSDBError('closed', 'the store is closed');
  }

  private countCorruption(kind: CorruptionKind): void {
    this.corruptionsRepaired++;
    this.telemetry.corruptionRepaired(kind);
  }

  private armFsync(): void {
    const ms = this.cfg.walFsyncIntervalMs;
    if (ms === 0) return;
    this.timers.fsync = this.clock.setTimeout(() => {
      if (this.closing !== undefined) return;
      this.armFsync();
      if (!this.wal.needsSync) return;
      this.wal.sync().catch((err: unknown) => this.logger.error('WAL fsync failed', { err }));
    }, ms);
  }

  private armCheckpoint(): void {
    this.timers.checkpoint = this.clock.setTimeout(() => {
      if (this.closing !== undefined) return;
      this.armCheckpoint();
      this.runCheckpoint('interval').catch(() => undefined);
    }, this.cfg.checkpointIntervalMs);
  }

  private armRetention(): void {
    this.timers.retention = this.clock.setTimeout(() => {
      if (this.closing !== undefined) return;
      this.armRetention();
      try {
        this.applyRetention();
      } catch (err) {
        this.logger.error('retention failed', { err });
      }
    }, this.cfg.retentionIntervalMs);
  }
}
