import { existsSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { XorChunk } from '../../../tsdb/chunkenc/xor.js';
import { HeadChunkWriter, listChunkFiles, readChunkFiles } from '../../../tsdb/chunks/head_chunks.js';
import { RecordingLogger, tempDirs } from '../helpers.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function chunk(t0: number, n: number): Uint8Array {
  const c = new XorChunk();
  for (let i = 0; i < n; i++) c.append(t0 + i * 1000, i);
  return c.bytes().slice();
}

describe('chunks_head files', () => {
  it('writes completed chunks and reads them back, across files', async () => {
    const dir = join(dirs.make(), 'chunks_head');
    const w = new HeadChunkWriter({ dir, firstIndex: 1, maxFileBytes: 200, existing: new Map(), logger: new RecordingLogger() });
    const written: [number, number, number][] = [];
    for (let i = 0; i < 10; i++) {
      const b = chunk(i * 100_000, 20);
      w.writeChunk(i + 1, i * 100_000, i * 100_000 + 19_000, b, 0, b.length);
      written.push([i + 1, i * 100_000, i * 100_000 + 19_000]);
    }
    await w.close();
    expect(listChunkFiles(dir).length).toBeGreaterThan(1);
    const read: [number, number, number][] = [];
    const r = readChunkFiles(dir, (c) => read.push([c.ref, c.mint, c.maxt]), new RecordingLogger());
    expect(read).toEqual(written);
    expect(r.corruptions).toEqual([]);
    expect(r.lastIndex).toBe(listChunkFiles(dir).at(-1)!.index);
  });

  it('cuts a torn tail and keeps the chunks before it', async () => {
    const dir = join(dirs.make(), 'chunks_head');
    const w = new HeadChunkWriter({ dir, firstIndex: 1, maxFileBytes: 1 << 20, existing: new Map(), logger: new RecordingLogger() });
    for (let i = 0; i < 3; i++) {
      const b = chunk(i * 100_000, 50);
      w.writeChunk(7, i * 100_000, i * 100_000 + 49_000, b, 0, b.length);
    }
    await w.close();
    const file = listChunkFiles(dir)[0]!.path;
    truncateSync(file, statSync(file).size - 5);
    const logger = new RecordingLogger();
    const refs: number[] = [];
    const r = readChunkFiles(dir, (c) => refs.push(c.mint), logger);
    expect(refs).toEqual([0, 100_000]);
    expect(r.corruptions).toHaveLength(1);
    expect(logger.warnings().join()).toMatch(/chunks_head corruption repaired/);
  });

  it('deletes files whose chunks have all expired, never the one being written', async () => {
    const dir = join(dirs.make(), 'chunks_head');
    const w = new HeadChunkWriter({ dir, firstIndex: 1, maxFileBytes: 100, existing: new Map(), logger: new RecordingLogger() });
    for (let i = 0; i < 4; i++) {
      const b = chunk(i * 1000, 10);
      w.writeChunk(1, i * 1000, i * 1000 + 500, b, 0, b.length);
    }
    await w.sync();
    const before = listChunkFiles(dir).map((f) => f.index);
    expect(before).toEqual([1, 2, 3, 4]);
    expect(w.deleteExpired(2000)).toBe(2); // files 1 and 2 end at 500 and 1500
    expect(listChunkFiles(dir).map((f) => f.index)).toEqual([3, 4]);
    expect(w.deleteExpired(1e9)).toBe(1); // file 4 is being written
    expect(existsSync(join(dir, '000004'))).toBe(true);
    await w.close();
  });
});

describe('chunks_head write failures', () => {
  it('never throw into the commit, and make every later sync fail', async () => {
    const root = dirs.make();
    const dir = join(root, 'chunks_head');
    const logger = new RecordingLogger();
    const w = new HeadChunkWriter({ dir, firstIndex: 1, maxFileBytes: 1 << 20, existing: new Map(), logger });
    rmSync(dir, { recursive: true }); // the next file cannot be created
    const b = chunk(0, 10);
    expect(() => w.writeChunk(1, 0, 9000, b, 0, b.length)).not.toThrow();
    w.flush();
    await expect(w.sync()).rejects.toThrow(/ENOENT/);
    expect(logger.warnings().join()).toMatch(/writing chunks_head failed/);
    await expect(w.sync()).rejects.toThrow(/ENOENT/);
    await w.close();
  });
});

describe('chunks_head damage in an older file', () => {
  it('cuts the damaged file and drops the files after it', async () => {
    const dir = join(dirs.make(), 'chunks_head');
    const w = new HeadChunkWriter({ dir, firstIndex: 1, maxFileBytes: 150, existing: new Map(), logger: new RecordingLogger() });
    for (let i = 0; i < 4; i++) {
      const b = chunk(i * 100_000, 30);
      w.writeChunk(1, i * 100_000, i * 100_000 + 29_000, b, 0, b.length);
    }
    await w.close();
    const files = listChunkFiles(dir);
    expect(files).toHaveLength(4);
    truncateSync(files[1]!.path, statSync(files[1]!.path).size - 1);
    const mints: number[] = [];
    const r = readChunkFiles(dir, (c) => mints.push(c.mint), new RecordingLogger());
    expect(mints).toEqual([0]);
    expect(r.corruptions[0]?.droppedSegments).toBe(2);
    expect(listChunkFiles(dir).map((f) => f.index)).toEqual([1, 2]);
    expect(r.lastIndex).toBe(2);
  });
});
