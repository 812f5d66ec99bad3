import * as fs from 'node:fs';
import type { Logger } from '../../util/log.js';
import type { Decbuf } from './encoding.js';
import { scanFrames } from './record_file.js';
import { type IndexedPath, listSegments, segmentName } from './segments.js';

/** Corruption describes damage found (and cut off) while reading. */
export interface Corruption {
  readonly file: string;
  readonly offset: number;
  readonly reason: string;
  /** droppedSegments: later segments deleted because records after the damage cannot be trusted. */
  readonly droppedSegments: number;
}

/** SegmentsReplay is what replaySegments read. */
export interface SegmentsReplay {
  /** lastIndex is the highest segment index left on disk, or from - 1 when none. */
  lastIndex: number;
  segments: number;
  records: number;
  bytes: number;
  corruption: Corruption | undefined;
}

/**
 * replaySegments reads the WAL segments of dir with index >= from, in order, calling onRecord per
 * record. At the first damage (a torn or corrupt record, a segment missing from the sequence) it
 * keeps every record before it: it truncates that segment to its last good record, deletes every
 * later segment (their records would apply on top of a gap), logs, and reports the corruption.
 * Replay then goes on as if the log ended there: the store opens normally.
 */
export function replaySegments(
  dir: string,
  from: number,
  knownTypes: ReadonlySet<number>,
  onRecord: (type: number, body: Decbuf) => boolean,
  logger: Logger,
): SegmentsReplay {
  const segments = listSegments(dir).filter((s) => s.index >= from);
  const result: SegmentsReplay = { lastIndex: from - 1, segments: 0, records: 0, bytes: 0, corruption: undefined };
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const expected = i === 0 ? seg.index : segments[i - 1]!.index + 1;
    if (seg.index !== expected) {
      // A hole in the sequence: what follows it cannot be applied.
      result.corruption = dropFrom(segments, i, { file: segmentName(expected), offset: 0, reason: `segment ${segmentName(expected)} is missing` }, logger);
      return result;
    }
    const buf = fs.readFileSync(seg.path);
    const scan = scanFrames(buf, knownTypes, onRecord);
    result.segments++;
    result.records += scan.records;
    result.bytes += scan.end;
    result.lastIndex = seg.index;
    if (scan.error !== undefined) {
      fs.truncateSync(seg.path, scan.end);
      result.corruption = dropFrom(segments, i + 1, { file: seg.path, offset: scan.end, reason: scan.error }, logger);
      return result;
    }
  }
  return result;
}

function dropFrom(segments: readonly IndexedPath[], from: number, where: Omit<Corruption, 'droppedSegments'>, logger: Logger): Corruption {
  const dropped = segments.slice(from);
  for (const s of dropped) fs.rmSync(s.path, { force: true });
  const corruption: Corruption = { ...where, droppedSegments: dropped.length };
  logger.warn('WAL corruption repaired: torn or corrupt record cut off, later records dropped', { ...corruption });
  return corruption;
}
