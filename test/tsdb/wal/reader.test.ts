import { readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { replaySegments } from '../../../tsdb/wal/reader.js';
import { RECORD_SAMPLES, WAL_RECORD_TYPES, decodeSamples } from '../../../tsdb/wal/records.js';
import { listSegments } from '../../../tsdb/wal/segments.js';
import { WAL } from '../../../tsdb/wal/wal.js';
import { RecordingLogger, tempDirs } from '../helpers.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

/** writeLog writes `commits` one-sample commits (ref 1, t = i) over segments of segmentBytes. */
async function writeLog(commits: number, segmentBytes: number): Promise<string> {
  const dir = dirs.make();
  const wal = new WAL({ dir, firstSegment: 0, segmentSizeBytes: segmentBytes, syncEveryCommit: false, logger: new RecordingLogger() });
  for (let i = 0; i < commits; i++) wal.logCommit([], [], Float64Array.of(1), Float64Array.of(i), Float64Array.of(i), 1);
  await wal.close();
  return dir;
}

function replay(dir: string) {
  const logger = new RecordingLogger();
  const ts: number[] = [];
  const r = replaySegments(dir, 0, WAL_RECORD_TYPES, (type, body) => type === RECORD_SAMPLES && decodeSamples(body, (_r, t) => ts.push(t)), logger);
  return { ts, r, logger };
}

// Each one-sample record is 8 (frame) + 1 (type) + 4 + 8 + 8 (count, bases) + 1 + 1 + 8 bytes.
const RECORD = 39;

describe('WAL replay and repair', () => {
  it('reads every record of every segment', async () => {
    const dir = await writeLog(50, RECORD * 10);
    expect(listSegments(dir)).toHaveLength(5);
    const { ts, r } = replay(dir);
    expect(ts).toEqual([...Array(50).keys()]);
    expect(r.corruption).toBeUndefined();
    expect(r.lastIndex).toBe(4);
  });

  it('cuts a torn last segment at its last whole record, at every byte offset', async () => {
    for (const cut of [1, 7, 8, 9, RECORD - 1, RECORD + 3, 2 * RECORD - 1]) {
      const dir = await writeLog(30, RECORD * 10);
      const last = listSegments(dir).at(-1)!;
      truncateSync(last.path, cut);
      const { ts, r, logger } = replay(dir);
      const whole = Math.floor(cut / RECORD);
      expect(ts, `cut at ${cut}`).toEqual([...Array(20 + whole).keys()]);
      expect(r.corruption?.offset).toBe(whole * RECORD);
      expect(statSync(last.path).size).toBe(whole * RECORD);
      expect(logger.warnings().join()).toMatch(/corruption repaired/);
      // Once repaired, the log reads cleanly.
      expect(replay(dir).r.corruption).toBeUndefined();
    }
  });

  it('keeps what precedes a flipped byte in the middle of an older segment and drops the rest', async () => {
    const dir = await writeLog(30, RECORD * 10);
    const segs = listSegments(dir);
    const buf = readFileSync(segs[1]!.path);
    buf[RECORD * 4 + 20]! ^= 0x40; // inside the 5th record of segment 1
    writeFileSync(segs[1]!.path, buf);
    const { ts, r } = replay(dir);
    expect(ts).toEqual([...Array(14).keys()]);
    expect(r.corruption?.reason).toMatch(/checksum/);
    expect(r.corruption?.droppedSegments).toBe(1);
    expect(listSegments(dir).map((s) => s.index)).toEqual([0, 1]);
    expect(statSync(segs[1]!.path).size).toBe(RECORD * 4);
  });

  it('stops at a missing segment', async () => {
    const dir = await writeLog(30, RECORD * 10);
    rmSync(listSegments(dir)[1]!.path);
    const { ts, r } = replay(dir);
    expect(ts).toEqual([...Array(10).keys()]);
    expect(r.corruption?.reason).toMatch(/missing/);
    expect(listSegments(dir).map((s) => s.index)).toEqual([0]);
    expect(r.lastIndex).toBe(0);
  });

  it('treats a zero-filled tail as the end of the log', async () => {
    const dir = await writeLog(5, 1 << 20);
    const seg = listSegments(dir)[0]!;
    writeFileSync(seg.path, Buffer.concat([readFileSync(seg.path), Buffer.alloc(4096)]));
    const { ts, r } = replay(dir);
    expect(ts).toEqual([0, 1, 2, 3, 4]);
    expect(r.corruption?.reason).toMatch(/length 0/);
  });
});
