import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { nopLogger } from '../../../util/log.js';
import { replaySegments } from '../../../tsdb/wal/reader.js';
import { RECORD_SAMPLES, RECORD_SERIES, WAL_RECORD_TYPES, decodeSamples, decodeSeries } from '../../../tsdb/wal/records.js';
import { listSegments } from '../../../tsdb/wal/segments.js';
import { WAL } from '../../../tsdb/wal/wal.js';
import { tempDirs } from '../helpers.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function commit(wal: WAL, refs: number[], t: number, series: [number, string[]][] = []): void {
  wal.logCommit(
    series.map((s) => s[0]),
    series.map((s) => s[1]),
    Float64Array.from(refs),
    Float64Array.from(refs.map(() => t)),
    Float64Array.from(refs.map((r) => r * 10)),
    refs.length,
  );
}

function readBack(dir: string): { series: number[]; samples: [number, number, number][] } {
  const out = { series: [] as number[], samples: [] as [number, number, number][] };
  replaySegments(
    dir,
    0,
    WAL_RECORD_TYPES,
    (type, body) =>
      type === RECORD_SERIES
        ? decodeSeries(body, (ref) => out.series.push(ref))
        : type === RECORD_SAMPLES
          ? decodeSamples(body, (ref, t, v) => out.samples.push([ref, t, v]))
          : false,
    nopLogger,
  );
  return out;
}

describe('WAL writer', () => {
  it('buffers records until flushed and creates no file for an unused segment', async () => {
    const dir = dirs.make();
    const wal = new WAL({ dir, firstSegment: 3, segmentSizeBytes: 1 << 20, syncEveryCommit: false, logger: nopLogger });
    expect(listSegments(dir)).toEqual([]);
    commit(wal, [1, 2], 1000, [
      [1, ['__name__', 'a']],
      [2, ['__name__', 'b']],
    ]);
    expect(listSegments(dir)).toEqual([]); // still in the buffer
    expect(wal.needsSync).toBe(true);
    await wal.sync();
    expect(wal.needsSync).toBe(false);
    expect(listSegments(dir).map((s) => s.index)).toEqual([3]);
    expect(readBack(dir)).toEqual({ series: [1, 2], samples: [[1, 1000, 10], [2, 1000, 20]] });
    await wal.close();
  });

  it('writes to disk at every commit when syncing every commit', () => {
    const dir = dirs.make();
    const synced: number[] = [];
    const wal = new WAL({ dir, firstSegment: 0, segmentSizeBytes: 1 << 20, syncEveryCommit: true, logger: nopLogger, onFsync: (s) => synced.push(s) });
    commit(wal, [7], 5, [[7, ['__name__', 'x']]]);
    expect(readBack(dir).samples).toEqual([[7, 5, 70]]);
    expect(synced).toHaveLength(1);
    expect(synced[0]).toBeGreaterThanOrEqual(0);
  });

  it('rotates segments at the size limit without splitting a record', async () => {
    const dir = dirs.make();
    const closed: number[] = [];
    const wal = new WAL({ dir, firstSegment: 0, segmentSizeBytes: 300, syncEveryCommit: false, logger: nopLogger, onSegmentClosed: (i) => closed.push(i) });
    for (let i = 0; i < 40; i++) commit(wal, [1, 2, 3], 1000 + i);
    await wal.sync();
    const segs = listSegments(dir);
    expect(segs.length).toBeGreaterThan(3);
    expect(closed).toEqual(segs.slice(0, -1).map((s) => s.index));
    for (const s of segs) expect(readFileSync(s.path).length).toBeLessThanOrEqual(300);
    expect(readBack(dir).samples).toHaveLength(120);
    expect(wal.cut()).toBe(segs[segs.length - 1]!.index);
    expect(wal.cut()).toBe(segs[segs.length - 1]!.index); // nothing written since: same
    await wal.close();
  });

  it('refuses records after close', async () => {
    const dir = dirs.make();
    const wal = new WAL({ dir, firstSegment: 0, segmentSizeBytes: 1 << 20, syncEveryCommit: false, logger: nopLogger });
    await wal.close();
    expect(() => commit(wal, [1], 1)).toThrow(/closed/);
  });
});
