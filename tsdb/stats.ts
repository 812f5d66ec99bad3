import { METRIC_NAME } from '../model/labels.js';
import type { AppendErrorCode } from '../model/storage.js';
import { CHUNK_HEADER_BYTES } from './chunkenc/chunk.js';
import type { Head } from './head.js';
import { NO_SLOT_CLASS } from './memory/slot_arena.js';

/**
 * TSDBStats describes what the store holds, like `promtool tsdb analyze`. Times are ms since the
 * epoch; bytes are encoded chunk bytes (headers included), not memory.
 */
export interface TSDBStats {
  series: number;
  samples: number;
  /** chunks, completed and open. */
  chunks: number;
  chunkBytes: number;
  /** bytesPerSample is chunkBytes / samples (0 when empty). */
  bytesPerSample: number;
  /** minTime, maxTime: the oldest and newest sample, undefined when empty. */
  minTime: number | undefined;
  maxTime: number | undefined;
  /** topMetricNames: metric names with the most series, most first. */
  topMetricNames: { name: string; series: number }[];
  /** topLabelNames: label names with the most distinct values, most first. */
  topLabelNames: { name: string; values: number }[];
  /** topLabelPairs: name=value pairs held by the most series, most first. */
  topLabelPairs: { name: string; value: string; series: number }[];
  /** samplesAppended since open (replay excluded); samplesRejected by reason since open. */
  samplesAppended: number;
  samplesRejected: Record<AppendErrorCode, number>;
  /** walCorruptionsRepaired: damaged files cut at open. */
  walCorruptionsRepaired: number;
  checkpoints: number;
  /** memory: bytes reserved for chunk data (slabs), completed and open. */
  memory: { completedChunkSlabs: number; openChunkSlabs: number; internedStrings: number };
}

/** StoreCounters are the DB-level counts that stats() reports next to the head's. */
export interface StoreCounters {
  walCorruptionsRepaired: number;
  checkpoints: number;
}

/** headStats computes TSDBStats; O(series + distinct label pairs). */
export function headStats(head: Head, counters: StoreCounters, limit: number): TSDBStats {
  const s = head.series;
  let openChunks = 0;
  let openBytes = 0;
  let minTime = Infinity;
  let maxTime = -Infinity;
  for (let slot = 1; slot < s.count; slot++) {
    if (s.refOf[slot] === 0) continue;
    if (s.openClass[slot] !== NO_SLOT_CLASS) {
      openChunks++;
      openBytes += CHUNK_HEADER_BYTES + ((s.openBits[slot]! + 7) >>> 3);
    }
    const lo = head.seriesMinTime(slot);
    if (lo === Infinity) continue;
    if (lo < minTime) minTime = lo;
    const hi = s.lastT[slot]!;
    if (hi > maxTime) maxTime = hi;
  }
  const chunkBytes = head.chunks.bytes + openBytes;
  const samples = head.numSamples;
  const postings = head.postings;
  const topMetricNames = postings
    .values(METRIC_NAME)
    .map((name) => ({ name, series: postings.seriesCount(METRIC_NAME, name) }))
    .sort((a, b) => b.series - a.series || (a.name < b.name ? -1 : 1))
    .slice(0, limit);
  const names = postings.names();
  const topLabelNames = names
    .map((name) => ({ name, values: postings.valueCount(name) }))
    .sort((a, b) => b.values - a.values || (a.name < b.name ? -1 : 1))
    .slice(0, limit);
  const pairs: { name: string; value: string; series: number }[] = [];
  for (const name of names) {
    for (const value of postings.values(name)) pairs.push({ name, value, series: postings.seriesCount(name, value) });
  }
  pairs.sort((a, b) => b.series - a.series || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.value < b.value ? -1 : 1));
  return {
    series: head.numSeries,
    samples,
    chunks: head.chunks.chunkCount + openChunks,
    chunkBytes,
    bytesPerSample: samples === 0 ? 0 : chunkBytes / samples,
    minTime: minTime === Infinity ? undefined : minTime,
    maxTime: maxTime === -Infinity ? undefined : maxTime,
    topMetricNames,
    topLabelNames,
    topLabelPairs: pairs.slice(0, limit),
    samplesAppended: head.samplesAppended,
    samplesRejected: { ...head.rejected },
    walCorruptionsRepaired: counters.walCorruptionsRepaired,
    checkpoints: counters.checkpoints,
    memory: {
      completedChunkSlabs: head.chunks.reservedBytes(),
      openChunkSlabs: head.slots.reservedBytes(),
      internedStrings: head.internedStrings,
    },
  };
}
