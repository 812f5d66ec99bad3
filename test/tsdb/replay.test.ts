import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { XorChunk } from '../../tsdb/chunkenc/xor.js';
import { HeadChunkWriter } from '../../tsdb/chunks/head_chunks.js';
import { Head } from '../../tsdb/head.js';
import { GEN_UNIT } from '../../tsdb/head_series.js';
import { replayInto } from '../../tsdb/replay.js';
import { WAL } from '../../tsdb/wal/wal.js';
import { RecordingLogger, T0, VirtualClock, dump, lbl, tempDirs } from './helpers.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

interface Layout {
  dir: string;
  walDir: string;
  chunksDir: string;
}

function layout(): Layout {
  const dir = dirs.make();
  const l = { dir, walDir: join(dir, 'wal'), chunksDir: join(dir, 'chunks_head') };
  mkdirSync(l.walDir);
  mkdirSync(l.chunksDir);
  return l;
}

/** log writes WAL records: series then samples, in the order given. */
async function log(l: Layout, entries: ({ series: [number, string[]] } | { sample: [number, number, number] })[]): Promise<void> {
  const wal = new WAL({ dir: l.walDir, firstSegment: 0, segmentSizeBytes: 1 << 20, syncEveryCommit: false, logger: new RecordingLogger() });
  for (const e of entries) {
    if ('series' in e) wal.logCommit([e.series[0]], [e.series[1]], new Float64Array(0), new Float64Array(0), new Float64Array(0), 0);
    else wal.logCommit([], [], Float64Array.of(e.sample[0]), Float64Array.of(e.sample[1]), Float64Array.of(e.sample[2]), 1);
  }
  await wal.close();
}

async function chunks(l: Layout, list: [ref: number, t0: number, n: number][]): Promise<void> {
  const w = new HeadChunkWriter({ dir: l.chunksDir, firstIndex: 1, maxFileBytes: 1 << 20, existing: new Map(), logger: new RecordingLogger() });
  for (const [ref, t0, n] of list) {
    const c = new XorChunk();
    for (let i = 0; i < n; i++) c.append(t0 + i * 1000, i);
    const b = c.bytes();
    w.writeChunk(ref, t0, t0 + (n - 1) * 1000, b, 0, b.length);
  }
  await w.close();
}

function replay(l: Layout, clock = new VirtualClock(T0 + 1000_000)) {
  const head = new Head({ retentionMs: 24 * 3600_000, clock });
  const sinkChunks: number[] = [];
  const result = replayInto(head, l.walDir, l.chunksDir, new RecordingLogger(), () => ({ writeChunk: (ref) => sinkChunks.push(ref) }));
  return { head, result, sinkChunks };
}

describe('replay', () => {
  it('attaches chunk-file chunks to series logged later and skips the samples they hold', async () => {
    const l = layout();
    await chunks(l, [
      [3, T0, 120],
      [3, T0 + 120_000, 120],
    ]);
    await log(l, [
      { series: [3, ['__name__', 'm']] },
      { sample: [3, T0 + 5_000, 5] }, // inside the first chunk: already there
      { sample: [3, T0 + 239_000, 119] }, // the last sample of the second chunk
      { sample: [3, T0 + 240_000, 240] }, // new
    ]);
    const { head, result } = replay(l);
    const samples = dump(head)['{__name__="m"}']!;
    expect(samples).toHaveLength(241);
    expect(samples.at(-1)).toEqual([T0 + 240_000, 240]);
    expect(result.samples).toBe(1);
    expect(result.samplesSkipped).toBe(2);
    expect(head.chunks.chunkCount).toBe(2);
  });

  it('drops chunks whose series never appears, and never hands out their refs again', async () => {
    const l = layout();
    await chunks(l, [[2, T0, 10]]);
    await log(l, [{ series: [3, ['__name__', 'kept']] }, { sample: [3, T0, 1] }]);
    const { head } = replay(l);
    expect(head.chunks.chunkCount).toBe(0);
    expect(Object.keys(dump(head))).toEqual(['{__name__="kept"}']);
    const refs = new Set<number>();
    const app = head.appender();
    for (let i = 0; i < 5; i++) refs.add(app.append(lbl(`new_${i}`), T0, i));
    app.commit();
    expect(refs.has(2)).toBe(false);
    expect(refs.has(3)).toBe(false);
    expect(refs.has(2 + GEN_UNIT)).toBe(true); // slot 2 again, next generation
  });

  it('lets a newer generation in the same slot replace the older series', async () => {
    const l = layout();
    const newer = 5 + GEN_UNIT;
    await log(l, [
      { series: [5, ['__name__', 'old']] },
      { sample: [5, T0, 1] },
      { series: [newer, ['__name__', 'new']] },
      { sample: [newer, T0 + 1, 2] },
      { sample: [5, T0 + 2, 3] }, // the old ref names nothing any more
    ]);
    const { head, result } = replay(l);
    expect(dump(head)).toEqual({ '{__name__="new"}': [[T0 + 1, 2]] });
    expect(result.unknownRefs).toBe(1);
  });

  it('ignores a record of an older generation for an occupied slot', async () => {
    const l = layout();
    await log(l, [
      { series: [7 + 2 * GEN_UNIT, ['__name__', 'current']] },
      { series: [7 + GEN_UNIT, ['__name__', 'stale']] },
      { sample: [7 + 2 * GEN_UNIT, T0, 1] },
    ]);
    const { head } = replay(l);
    expect(dump(head)).toEqual({ '{__name__="current"}': [[T0, 1]] });
  });

  it('keeps the later of two refs logged for the same labels', async () => {
    const l = layout();
    await log(l, [
      { series: [4, ['__name__', 'same']] },
      { sample: [4, T0, 1] },
      { series: [9, ['__name__', 'same']] },
      { sample: [9, T0 + 10, 2] },
    ]);
    const { head } = replay(l);
    expect(dump(head)).toEqual({ '{__name__="same"}': [[T0 + 10, 2]] });
    expect(head.numSeries).toBe(1);
  });

  it('writes chunks completed during replay to the chunk sink', async () => {
    const l = layout();
    const entries: Parameters<typeof log>[1] = [{ series: [1, ['__name__', 'm']] }];
    for (let i = 0; i < 130; i++) entries.push({ sample: [1, T0 + i * 1000, i] });
    await log(l, entries);
    const { sinkChunks, head } = replay(l);
    expect(sinkChunks).toEqual([1]);
    expect(head.numSamples).toBe(130);
  });

  it('skips samples older than the retention window', async () => {
    const l = layout();
    await log(l, [{ series: [1, ['__name__', 'm']] }, { sample: [1, T0, 1] }, { sample: [1, T0 + 30 * 3600_000, 2] }]);
    const { head, result } = replay(l, new VirtualClock(T0 + 30 * 3600_000));
    expect(dump(head)).toEqual({ '{__name__="m"}': [[T0 + 30 * 3600_000, 2]] });
    expect(result.samplesSkipped).toBe(1);
  });
});
