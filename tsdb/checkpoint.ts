import * as fs from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { CHUNK_HEADER_BYTES } from './chunkenc/chunk.js';
import type { Head } from './head.js';
import { FLAG_LOGGED } from './head_series.js';
import { NO_SLOT_CLASS } from './memory/slot_arena.js';
import { BufferedFile } from './wal/buffered_file.js';
import { Encbuf } from './wal/encoding.js';
import type { Decbuf } from './wal/encoding.js';
import type { Corruption } from './wal/reader.js';
import { scanFrames } from './wal/record_file.js';
import { CHECKPOINT_RECORD_TYPES, encodeOpenChunks, encodeSeries, MAX_SERIES_PER_RECORD } from './wal/records.js';
import { checkpointName, fsyncDir, listCheckpoints, listSegments, segmentName } from './wal/segments.js';

/**
 * A checkpoint `wal/checkpoint.N/` replaces WAL segments 0..N. It holds, for every series logged so
 * far, a SERIES record and the bytes of its open chunk (OPEN_CHUNK); completed chunks are in the
 * chunks_head files, which are fsynced before the checkpoint is committed.
 *
 * It is written from memory, not by rereading the WAL: at the cut, the head holds exactly what
 * segments 0..N say (plus retention). The snapshot is taken in batches so a large head does not
 * stall the event loop; a series snapshotted after later commits carries samples that segment N+1
 * repeats, and replay skips those as already present.
 *
 * Crash safety: the checkpoint is written to `checkpoint.N.tmp/`, fsynced, renamed, and the
 * directory fsynced; only then are segments 0..N and older checkpoints deleted. A crash before the
 * rename leaves the old checkpoint and segments; after it, the new checkpoint supersedes them and
 * leftovers are deleted on the next open.
 */

export interface CheckpointStats {
  index: number;
  series: number;
  openChunks: number;
  bytes: number;
  segmentsDeleted: number;
}

/** SERIES_PER_TURN is how many series are snapshotted before yielding to the event loop. */
const SERIES_PER_TURN = 5_000;

export async function writeCheckpoint(
  walDir: string,
  index: number,
  head: Head,
  /** syncChunks MUST resolve once every completed chunk is durable in chunks_head. */
  syncChunks: () => Promise<void>,
): Promise<CheckpointStats> {
  const finalDir = join(walDir, checkpointName(index));
  const tmpDir = `${finalDir}.tmp`;
  fs.rmSync(tmpDir, { recursive: true, force: true });
  fs.mkdirSync(tmpDir);
  const file = new BufferedFile(join(tmpDir, segmentName(0)), 256 * 1024);
  const stats: CheckpointStats = { index, series: 0, openChunks: 0, bytes: 0, segmentsDeleted: 0 };
  try {
    const enc = new Encbuf(64 * 1024);
    const refs: number[] = [];
    const labels: (readonly string[])[] = [];
    const ocRefs: number[] = [];
    const ocBufs: Uint8Array[] = [];
    const ocOffs: number[] = [];
    const ocLens: number[] = [];
    let sinceYield = 0;
    for (let slot = 1; slot < head.series.count; ) {
      const s = head.series;
      const end = Math.min(s.count, slot + MAX_SERIES_PER_RECORD);
      for (; slot < end; slot++) {
        const ref = s.refOf[slot]!;
        if (ref === 0 || (s.flags[slot]! & FLAG_LOGGED) === 0) continue;
        refs.push(ref);
        labels.push(head.labelsOf[slot]!);
        const cls = s.openClass[slot]!;
        if (cls !== NO_SLOT_CLASS) {
          const idx = s.openIdx[slot]!;
          ocRefs.push(ref);
          ocBufs.push(head.slots.slab(cls, idx));
          ocOffs.push(head.slots.offset(cls, idx));
          ocLens.push(CHUNK_HEADER_BYTES + ((s.openBits[slot]! + 7) >>> 3));
        }
      }
      // Series first: the open chunks of this batch refer to them.
      if (refs.length > 0) {
        encodeSeries(enc, refs, labels, 0, refs.length);
        file.write(enc.buf, 0, enc.len);
        stats.series += refs.length;
      }
      if (ocRefs.length > 0) {
        encodeOpenChunks(enc, ocRefs, ocBufs, ocOffs, ocLens);
        file.write(enc.buf, 0, enc.len);
        stats.openChunks += ocRefs.length;
      }
      refs.length = labels.length = 0;
      ocRefs.length = ocBufs.length = ocOffs.length = ocLens.length = 0;
      sinceYield += MAX_SERIES_PER_RECORD;
      if (sinceYield >= SERIES_PER_TURN) {
        sinceYield = 0;
        await yieldToLoop();
      }
    }
    stats.bytes = file.size;
    await file.close(true);
    await syncChunks();
    fsyncDir(tmpDir);
    fs.renameSync(tmpDir, finalDir);
    fsyncDir(walDir);
  } catch (err) {
    await file.close(false).catch(() => undefined);
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw err;
  }
  stats.segmentsDeleted = deleteCovered(walDir, index);
  return stats;
}

/** deleteCovered removes segments <= index and checkpoints older than index; returns segments removed. */
export function deleteCovered(walDir: string, index: number): number {
  let n = 0;
  for (const seg of listSegments(walDir)) {
    if (seg.index > index) break;
    fs.rmSync(seg.path, { force: true });
    n++;
  }
  for (const cp of listCheckpoints(walDir)) if (cp.index < index) fs.rmSync(cp.path, { recursive: true, force: true });
  return n;
}

/** CheckpointRead says what readCheckpoint found. */
export interface CheckpointRead {
  records: number;
  corruption: Corruption | undefined;
}

/**
 * readCheckpoint calls onRecord for each record of a checkpoint directory. Damage ends the read
 * (a checkpoint is never appended to, so nothing is truncated): what came before is kept.
 */
export function readCheckpoint(dir: string, onRecord: (type: number, body: Decbuf) => boolean): CheckpointRead {
  const out: CheckpointRead = { records: 0, corruption: undefined };
  for (const seg of listSegments(dir)) {
    const scan = scanFrames(fs.readFileSync(seg.path), CHECKPOINT_RECORD_TYPES, onRecord);
    out.records += scan.records;
    if (scan.error !== undefined) {
      out.corruption = { file: seg.path, offset: scan.end, reason: scan.error, droppedSegments: 0 };
      break;
    }
  }
  return out;
}
