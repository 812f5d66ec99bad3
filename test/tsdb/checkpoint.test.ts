import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteCovered, readCheckpoint, writeCheckpoint } from '../../tsdb/checkpoint.js';
import { Head } from '../../tsdb/head.js';
import { decodeOpenChunks, decodeSeries, RECORD_OPEN_CHUNK, RECORD_SERIES } from '../../tsdb/wal/records.js';
import { checkpointName, segmentName } from '../../tsdb/wal/segments.js';
import { T0, VirtualClock, lbl, tempDirs } from './helpers.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function headWith(series: number, samples: number): Head {
  const head = new Head({
    retentionMs: 24 * 3600_000,
    clock: new VirtualClock(T0),
    // A commit log that accepts everything: series count as logged, as in a store.
    commitLog: { logCommit: () => undefined },
  });
  for (let k = 0; k < samples; k++) {
    const app = head.appender();
    for (let i = 0; i < series; i++) app.append(lbl('m', { i: String(i) }), T0 + k * 1000, k);
    app.commit();
  }
  return head;
}

describe('checkpoints', () => {
  it('hold a series record per logged series and the open chunk of each, and replace older files', async () => {
    const walDir = dirs.make();
    for (const i of [0, 1, 2, 3]) writeFileSync(join(walDir, segmentName(i)), 'x');
    mkdirSync(join(walDir, checkpointName(0)));
    const head = headWith(6_000, 130); // more series than one turn of the event loop handles
    const unlogged = head.appender();
    unlogged.append(lbl('never_committed'), T0, 1);
    let synced = 0;
    const stats = await writeCheckpoint(walDir, 2, head, async () => {
      synced++;
    });
    unlogged.rollback();
    expect(synced).toBe(1);
    expect(stats).toMatchObject({ index: 2, series: 6_000, openChunks: 6_000, segmentsDeleted: 3 });
    expect(readdirSync(walDir).sort()).toEqual([segmentName(3), checkpointName(2)]);

    const refs = new Set<number>();
    const chunkSamples: number[] = [];
    const read = readCheckpoint(join(walDir, checkpointName(2)), (type, body) => {
      if (type === RECORD_SERIES) return decodeSeries(body, (ref) => refs.add(ref));
      if (type === RECORD_OPEN_CHUNK) return decodeOpenChunks(body, (ref, bytes) => chunkSamples.push((bytes[0]! << 8) | bytes[1]!));
      return false;
    });
    expect(read.corruption).toBeUndefined();
    expect(refs.size).toBe(6_000);
    expect(chunkSamples).toHaveLength(6_000);
    expect(new Set(chunkSamples)).toEqual(new Set([10])); // 130 samples: 120 in a completed chunk, 10 open
  });

  it('leaves nothing behind and keeps the old files when the chunk sync fails', async () => {
    const walDir = dirs.make();
    writeFileSync(join(walDir, segmentName(0)), 'x');
    const head = headWith(3, 5);
    await expect(
      writeCheckpoint(walDir, 0, head, async () => {
        throw new Error('EIO');
      }),
    ).rejects.toThrow('EIO');
    expect(readdirSync(walDir)).toEqual([segmentName(0)]);
  });

  it('deleteCovered removes covered segments and older checkpoints only', () => {
    const walDir = dirs.make();
    for (const i of [4, 5, 6]) writeFileSync(join(walDir, segmentName(i)), 'x');
    for (const i of [1, 5]) mkdirSync(join(walDir, checkpointName(i)));
    expect(deleteCovered(walDir, 5)).toBe(2);
    expect(readdirSync(walDir).sort()).toEqual([segmentName(6), checkpointName(5)]);
    expect(existsSync(join(walDir, checkpointName(1)))).toBe(false);
  });
});
