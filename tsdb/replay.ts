import { Labels } from '../model/labels.js';
import type { Logger } from '../util/log.js';
import { ENCODING_XOR, MAX_SAMPLES_PER_CHUNK, chunkSampleCount } from './chunkenc/chunk.js';
import { XorIterator } from './chunkenc/xor.js';
import { readCheckpoint } from './checkpoint.js';
import { type ChunkFilesReplay, readChunkFiles } from './chunks/head_chunks.js';
import type { ChunkSink, Head } from './head.js';
import { genOf, SLOT_MASK, slotOf } from './head_series.js';
import type { Corruption } from './wal/reader.js';
import { replaySegments } from './wal/reader.js';
import { decodeOpenChunks, decodeSamples, decodeSeries, RECORD_OPEN_CHUNK, RECORD_SAMPLES, RECORD_SERIES, WAL_RECORD_TYPES } from './wal/records.js';
import { listCheckpoints } from './wal/segments.js';

/** ReplayResult is what opening a data directory read and repaired. */
export interface ReplayResult {
  checkpointIndex: number;
  /** the highest WAL segment index left on disk (checkpointIndex when none follow it). */
  lastSegment: number;
  walSegments: number;
  chunkFiles: ChunkFilesReplay;
  series: number;
  samples: number;
  /** samples skipped: already in a loaded chunk, or older than the retention window. */
  samplesSkipped: number;
  /** samples whose series record was lost (with damaged data). */
  unknownRefs: number;
  corruptions: Corruption[];
}

/**
 * replayInto loads a data directory into an empty head: completed chunks from chunks_head, then
 * the newest checkpoint, then the WAL segments after it. Chunks wait, by ref, for their series
 * record; samples that a loaded chunk already holds are skipped. Damage is cut off and reported
 * (never thrown): the head ends up with everything before it.
 */
export function replayInto(
  head: Head,
  walDir: string,
  chunksDir: string,
  logger: Logger,
  /** makeSink returns where chunks completed during replay go, once the existing files are read. */
  makeSink: (files: ChunkFilesReplay) => ChunkSink,
): ReplayResult {
  const minValid = head.minValidTime();
  const corruptions: Corruption[] = [];
  let samples = 0;
  let samplesSkipped = 0;
  let unknownRefs = 0;

  // 1. Completed chunks, held by ref until their series appears. Expired ones are not even loaded.
  const pending = new Map<number, { first: number; last: number; maxt: number }>();
  const arena = head.chunks;
  const chunkFiles = readChunkFiles(
    chunksDir,
    (c) => {
      head.noteRef(c.ref);
      if (c.maxt < minValid || c.encoding !== ENCODING_XOR || c.bytes.length < 2) return;
      const n = chunkSampleCount(c.bytes, 0);
      if (n === 0 || n > MAX_SAMPLES_PER_CHUNK || c.mint > c.maxt) return;
      const p = pending.get(c.ref);
      // Chunks of a series are written oldest first; anything overlapping is a duplicate.
      if (p !== undefined && c.mint <= p.maxt) return;
      const id = arena.add(c.bytes, 0, c.bytes.length, c.mint, c.maxt);
      if (p === undefined) pending.set(c.ref, { first: id, last: id, maxt: c.maxt });
      else {
        arena.next[p.last] = id;
        p.last = id;
        p.maxt = c.maxt;
      }
    },
    logger,
  );
  corruptions.push(...chunkFiles.corruptions);
  head.chunkSink = makeSink(chunkFiles);

  const onSeries = (ref: number, flat: string[]): void => {
    if (ref <= 0 || !Number.isSafeInteger(ref) || slotOf(ref) === 0 || flat.length === 0) return;
    head.noteRef(ref);
    const slot = slotOf(ref);
    const s = head.series;
    const occupant = s.refOf[slot] ?? 0;
    if (occupant === ref) return; // logged twice (checkpoint and WAL): nothing new
    if (occupant !== 0) {
      // A slot is reused only after its series was dropped: the higher generation is the newer.
      if (genOf(occupant) > genOf(ref)) return;
      head.forget(slot);
    }
    const labels = Labels.fromSorted(flat);
    const other = head.lookup(labels);
    // The same labels under another ref: the series was dropped and recreated; the later record wins.
    if (other >= 0) head.forget(other);
    head.createSeries(flat, labels.key, ref);
    const p = pending.get(ref);
    if (p !== undefined) {
      pending.delete(ref);
      head.attachChunks(slot, p.first);
    }
  };

  const onSample = (ref: number, t: number, v: number): void => {
    const slot = ref & SLOT_MASK;
    if (head.series.refOf[slot] !== ref) {
      unknownRefs++;
      return;
    }
    if (t < minValid || head.appendCommitted(slot, t, v) !== 0) samplesSkipped++;
    else samples++;
  };

  // 2. The newest checkpoint.
  const checkpoints = listCheckpoints(walDir);
  const cp = checkpoints[checkpoints.length - 1];
  const checkpointIndex = cp?.index ?? -1;
  if (cp !== undefined) {
    const it = new XorIterator();
    const read = readCheckpoint(cp.path, (type, body) => {
      if (type === RECORD_SERIES) return decodeSeries(body, onSeries);
      if (type === RECORD_OPEN_CHUNK) {
        return decodeOpenChunks(body, (ref, bytes) => {
          it.reset(bytes, 0, bytes.length);
          while (it.next()) onSample(ref, it.t, it.v);
        });
      }
      return false;
    });
    if (read.corruption !== undefined) {
      corruptions.push(read.corruption);
      logger.warn('checkpoint corruption: records after the damage are lost', { ...read.corruption });
    }
  }

  // 3. WAL segments after the checkpoint.
  const wal = replaySegments(
    walDir,
    checkpointIndex + 1,
    WAL_RECORD_TYPES,
    (type, body) => (type === RECORD_SERIES ? decodeSeries(body, onSeries) : type === RECORD_SAMPLES ? decodeSamples(body, onSample) : false),
    logger,
  );
  if (wal.corruption !== undefined) corruptions.push(wal.corruption);

  // Chunks whose series never appeared belong to series dropped before the checkpoint.
  for (const p of pending.values()) {
    for (let id = p.first; id >= 0; ) {
      const next = arena.next[id]!;
      arena.free(id);
      id = next;
    }
  }
  head.finishReplay();
  if (unknownRefs > 0) logger.warn('WAL samples of unknown series skipped', { samples: unknownRefs });
  return {
    checkpointIndex,
    lastSegment: Math.max(wal.lastIndex, checkpointIndex),
    walSegments: wal.segments,
    chunkFiles,
    series: head.numSeries,
    samples,
    samplesSkipped,
    unknownRefs,
    corruptions,
  };
}

