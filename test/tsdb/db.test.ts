import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppendError } from '../../model/storage.js';
import { StaleNaN } from '../../model/value.js';
import { type TSDB, TSDBError, openTSDB } from '../../tsdb/index.js';
import { listSegments } from '../../tsdb/wal/segments.js';
import { RecordingLogger, T0, TestMeter, VirtualClock, dump, lbl, openDB, tempDirs } from './helpers.js';

const dirs = tempDirs();
const open: TSDB[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close().catch(() => undefined);
  dirs.cleanup();
});

async function openTracked(dir: string, clock: VirtualClock, opts: Parameters<typeof openDB>[2] = {}): Promise<TSDB> {
  const db = await openDB(dir, clock, opts);
  open.push(db);
  return db;
}

/** fill appends `scrapes` scrapes 15 s apart for `series` series, one commit each. */
function fill(db: TSDB, series: number, scrapes: number, from = 0): void {
  const refs: number[] = [];
  for (let k = from; k < from + scrapes; k++) {
    const app = db.appender();
    for (let i = 0; i < series; i++) {
      const v = k === 7 && i === 0 ? StaleNaN : i % 3 === 0 ? k : i % 3 === 1 ? 1000 + ((k * 7) % 5) : 1;
      refs[i] = app.append(lbl(`metric_${i % 4}`, { instance: `host-${i}`, job: i % 2 === 0 ? 'even' : 'odd' }), T0 + k * 15_000, v, refs[i]);
    }
    app.commit();
  }
}

describe('TSDB persistence', () => {
  it('replays the WAL after a clean close, with refs still valid', async () => {
    const dir = dirs.make();
    const clock = new VirtualClock(T0);
    const db = await openTracked(dir, clock);
    fill(db, 10, 300);
    const app = db.appender();
    const ref = app.append(lbl('kept_ref'), T0, 1);
    app.commit();
    const before = dump(db);
    await db.close();
    const again = await openTracked(dir, clock);
    expect(dump(again)).toEqual(before);
    const next = again.appender();
    expect(next.append(lbl('kept_ref'), T0 + 1, 2, ref)).toBe(ref);
    next.commit();
    expect(again.stats().series).toBe(11);
  });

  it('recovers everything committed before flushWAL after an unclean stop', async () => {
    const dir = dirs.make();
    const first = await openTracked(dir, new VirtualClock(T0), { walFsyncIntervalMs: 60_000 });
    fill(first, 20, 130);
    await first.flushWAL();
    const expected = dump(first);
    // No close(): a second store opens the directory as after a crash.
    const second = await openTracked(dir, new VirtualClock(T0));
    expect(dump(second)).toEqual(expected);
    expect(second.stats().samples).toBe(20 * 130);
  });

  it('flushes the WAL on the virtual fsync interval, and at every commit with interval 0', async () => {
    const dir = dirs.make();
    const clock = new VirtualClock(T0);
    const db = await openTracked(dir, clock, { walFsyncIntervalMs: 5_000 });
    const app = db.appender();
    app.append(lbl('a'), T0, 1);
    app.commit();
    const peek = async () => {
      const other = await openTSDB({ dir, clock: new VirtualClock(T0), walFsyncIntervalMs: 0 });
      const d = dump(other);
      await other.close();
      return d;
    };
    expect(await peek()).toEqual({}); // still in the write buffer
    await clock.advance(4_999);
    expect(await peek()).toEqual({});
    await clock.advance(1);
    await db.flushWAL(); // waits for the fsync the timer started
    expect(await peek()).toEqual({ '{__name__="a"}': [[T0, 1]] });

    const dir2 = dirs.make();
    const every = await openTracked(dir2, new VirtualClock(T0), { walFsyncIntervalMs: 0 });
    const a2 = every.appender();
    a2.append(lbl('b'), T0, 2);
    a2.commit();
    const other = await openTSDB({ dir: dir2, clock: new VirtualClock(T0) });
    expect(dump(other)).toEqual({ '{__name__="b"}': [[T0, 2]] });
    await other.close();
  });

  it('restores the same data from a checkpoint, chunk files and the WAL after it', async () => {
    const dir = dirs.make();
    const clock = new VirtualClock(T0);
    const db = await openTracked(dir, clock, { walSegmentSizeBytes: 1 << 20 });
    fill(db, 12, 250); // two completed chunks and an open one per series
    await db.checkpoint();
    fill(db, 12, 20, 250); // after the checkpoint: WAL only
    const expected = dump(db);
    await db.close();
    const walFiles = readdirSync(join(dir, 'wal')).sort();
    expect(walFiles.filter((f) => f.startsWith('checkpoint.'))).toHaveLength(1);
    expect(readdirSync(join(dir, 'chunks_head')).length).toBeGreaterThan(0);
    const cpIndex = Number(walFiles.find((f) => f.startsWith('checkpoint.'))!.slice(11));
    expect(listSegments(join(dir, 'wal')).every((s) => s.index > cpIndex)).toBe(true);
    const again = await openTracked(dir, clock);
    expect(dump(again)).toEqual(expected);
    expect(again.stats().samples).toBe(12 * 270);
    // And once more after a second checkpoint with nothing new in between.
    await again.checkpoint();
    await again.close();
    const third = await openTracked(dir, clock);
    expect(dump(third)).toEqual(expected);
  });

  it('checkpoints by itself when WAL segments pile up, and on its interval', async () => {
    const dir = dirs.make();
    const clock = new VirtualClock(T0);
    const logger = new RecordingLogger();
    const db = await openTracked(dir, clock, { walSegmentSizeBytes: 2048, checkpointAfterSegments: 3, checkpointIntervalMs: 600_000, logger });
    const written = () => logger.lines.filter((l) => l.msg === 'checkpoint written').map((l) => l.fields['reason']);
    fill(db, 10, 60);
    await clock.advance(0); // the checkpoint starts on the next turn of the event loop
    await db.checkpoint(); // joins the running one
    expect(written()).toEqual(['segments']);
    expect(listSegments(join(dir, 'wal')).length).toBeLessThanOrEqual(3);
    fill(db, 1, 1, 1000);
    await clock.advance(600_000);
    await db.checkpoint();
    expect(written()).toEqual(['segments', 'interval']);
    expect(db.stats().checkpoints).toBe(2);
    const expected = dump(db);
    await db.close();
    expect(dump(await openTracked(dir, clock))).toEqual(expected);
  });

  it('recovers from a crash at any point of a checkpoint', async () => {
    const dir = dirs.make();
    const clock = new VirtualClock(T0);
    const db = await openTracked(dir, clock, { walSegmentSizeBytes: 4096, checkpointAfterSegments: 1000 });
    fill(db, 8, 200);
    await db.flushWAL();
    const walDir = join(dir, 'wal');
    const backup = dirs.make();
    cpSync(walDir, backup, { recursive: true });
    await db.checkpoint();
    fill(db, 8, 10, 200);
    await db.close();
    const expected = dump(await openTracked(dir, clock));
    await open.pop()!.close();

    // Crash after the rename, before the covered segments were deleted: put them back.
    for (const f of readdirSync(backup)) if (!existsSync(join(walDir, f))) cpSync(join(backup, f), join(walDir, f));
    // Crash while writing the next checkpoint: a half-written temporary directory.
    mkdirSync(join(walDir, 'checkpoint.99999999.tmp'));
    writeFileSync(join(walDir, 'checkpoint.99999999.tmp', '00000000'), 'garbage');
    const reopened = await openTracked(dir, clock);
    expect(dump(reopened)).toEqual(expected);
    expect(existsSync(join(walDir, 'checkpoint.99999999.tmp'))).toBe(false);
    const cp = readdirSync(walDir).find((f) => f.startsWith('checkpoint.'))!;
    expect(listSegments(walDir).every((s) => s.index > Number(cp.slice(11)))).toBe(true);
  });

  it('keeps the staleness marker through WAL, chunk files and checkpoints', async () => {
    const dir = dirs.make();
    const clock = new VirtualClock(T0);
    const db = await openTracked(dir, clock);
    fill(db, 3, 130); // scrape 7 of series 0 is stale, inside a completed chunk
    const app = db.appender();
    app.append(lbl('open_stale'), T0, StaleNaN); // inside an open chunk
    app.commit();
    await db.checkpoint();
    await db.close();
    const again = await openTracked(dir, clock);
    const d = dump(again);
    expect(d['{__name__="metric_0", instance="host-0", job="even"}']![7]).toEqual([T0 + 7 * 15_000, 'stale']);
    expect(d['{__name__="open_stale"}']).toEqual([[T0, 'stale']]);
  });
});

describe('TSDB repair of damaged files', () => {
  /** damagedStore writes 100 scrapes of 4 series over small segments and closes the store. */
  async function damagedStore(): Promise<{ dir: string; clock: VirtualClock }> {
    const dir = dirs.make();
    const clock = new VirtualClock(T0);
    const db = await openTracked(dir, clock, { walSegmentSizeBytes: 2048, checkpointAfterSegments: 1000 });
    fill(db, 4, 100);
    await db.close();
    open.pop();
    return { dir, clock };
  }

  /** recordStarts lists the offsets where the framed records of a file begin. */
  function recordStarts(path: string): number[] {
    const buf = readFileSync(path);
    const out: number[] = [];
    for (let pos = 0; pos < buf.length; pos += 8 + buf.readUInt32BE(pos)) out.push(pos);
    return out;
  }

  it('opens after the last segment is torn at several offsets, keeping every record before the tear', async () => {
    // Offsets inside the first record's header, inside a middle record's body, one byte short of the end.
    const tears = [(s: number[]) => s[0]! + 3, (s: number[]) => s[Math.floor(s.length / 2)]! + 12, (_s: number[], size: number) => size - 1];
    for (const tear of tears) {
      const { dir, clock } = await damagedStore();
      const segs = listSegments(join(dir, 'wal'));
      const last = segs.at(-1)!;
      const starts = recordStarts(last.path);
      const at = tear(starts, statSync(last.path).size);
      const keptRecords = starts.filter((s) => s < at).length - 1;
      truncateSync(last.path, at);
      const logger = new RecordingLogger();
      const meter = new TestMeter();
      const db = await openTracked(dir, clock, { logger, meter: meter.meter });
      expect(logger.warnings().join()).toMatch(/corruption repaired/);
      expect(db.stats().walCorruptionsRepaired).toBe(1);
      expect(await meter.value('vigil_tsdb_wal_corruptions_repaired', { kind: 'wal' })).toBe(1);
      expect(statSync(last.path).size).toBe(starts[keptRecords] ?? 0);
      // Scrapes are whole commits (one record each): every series keeps the same number of samples.
      const d = dump(db);
      const counts = new Set(Object.values(d).map((s) => s.length));
      expect(counts.size).toBe(1);
      expect([...counts][0]).toBe(100 - (starts.length - keptRecords));
      // The store works on: new samples are appended after the repaired tail and survive a restart.
      const app = db.appender();
      app.append(lbl('after_repair'), T0 + 10_000_000, 1);
      app.commit();
      await db.close();
      const again = await openTracked(dir, clock);
      expect(again.stats().walCorruptionsRepaired).toBe(0);
      expect(dump(again)['{__name__="after_repair"}']).toEqual([[T0 + 10_000_000, 1]]);
    }
  });

  it('keeps what precedes a flipped byte in an older segment and drops the rest', async () => {
    const { dir, clock } = await damagedStore();
    const segs = listSegments(join(dir, 'wal'));
    expect(segs.length).toBeGreaterThan(3);
    const target = segs[1]!;
    const buf = readFileSync(target.path);
    buf[Math.floor(buf.length / 2)]! ^= 0xff;
    writeFileSync(target.path, buf);
    const logger = new RecordingLogger();
    const db = await openTracked(dir, clock, { logger });
    expect(logger.warnings().join()).toMatch(/corruption repaired/);
    const d = dump(db);
    const lengths = Object.values(d).map((s) => s.length);
    expect(Math.max(...lengths)).toBeLessThan(100);
    expect(Math.min(...lengths)).toBeGreaterThan(0);
    expect(listSegments(join(dir, 'wal')).map((s) => s.index)).toEqual(segs.slice(0, 2).map((s) => s.index));
  });

  it('opens with a corrupt chunks_head file and a corrupt checkpoint, keeping what is readable', async () => {
    const dir = dirs.make();
    const clock = new VirtualClock(T0);
    const db = await openTracked(dir, clock);
    fill(db, 5, 250);
    await db.checkpoint();
    await db.close();
    open.pop();
    const chunkFile = join(dir, 'chunks_head', readdirSync(join(dir, 'chunks_head'))[0]!);
    truncateSync(chunkFile, statSync(chunkFile).size - 3);
    const cpDir = join(dir, 'wal', readdirSync(join(dir, 'wal')).find((f) => f.startsWith('checkpoint.'))!);
    const cpFile = join(cpDir, readdirSync(cpDir)[0]!);
    const cp = readFileSync(cpFile);
    cp[cp.length - 2]! ^= 0x01;
    writeFileSync(cpFile, cp);
    const logger = new RecordingLogger();
    const again = await openTracked(dir, clock, { logger });
    expect(again.stats().walCorruptionsRepaired).toBe(2);
    expect(Object.keys(dump(again)).length).toBeGreaterThan(0);
  });
});

describe('TSDB telemetry and stats', () => {
  it('counts appended and refused samples, fsyncs, checkpoints and head series', async () => {
    const meter = new TestMeter();
    const clock = new VirtualClock(T0);
    const db = await openTracked(dirs.make(), clock, { meter: meter.meter, walFsyncIntervalMs: 0 });
    const app = db.appender();
    app.append(lbl('a'), T0, 1);
    app.append(lbl('b'), T0, 1);
    expect(() => app.append(lbl('a'), T0 - 1, 1)).toThrow(AppendError);
    expect(() => app.append(lbl('a'), T0, 2)).toThrow(AppendError);
    expect(() => app.append(lbl('a'), 0, 2)).toThrow(AppendError);
    app.commit();
    await db.checkpoint();
    expect(await meter.value('vigil_tsdb_head_samples_appended')).toBe(2);
    expect(await meter.value('vigil_tsdb_head_samples_rejected', { reason: 'out_of_order' })).toBe(1);
    expect(await meter.value('vigil_tsdb_head_samples_rejected', { reason: 'duplicate_sample_for_timestamp' })).toBe(1);
    expect(await meter.value('vigil_tsdb_head_samples_rejected', { reason: 'out_of_bounds' })).toBe(1);
    expect(await meter.value('vigil_tsdb_head_series')).toBe(2);
    expect(await meter.value('vigil_tsdb_checkpoints')).toBe(1);
    const fsync = await meter.points('vigil_tsdb_wal_fsync_duration_seconds');
    expect((fsync[0]!.value as { count: number }).count).toBeGreaterThanOrEqual(1);
    await db.close();
  });

  it('reports series, samples, bytes per sample, time range and top cardinalities', async () => {
    const db = await openTracked(dirs.make(), new VirtualClock(T0));
    expect(db.stats()).toMatchObject({ series: 0, samples: 0, chunks: 0, bytesPerSample: 0, minTime: undefined, maxTime: undefined });
    fill(db, 12, 240);
    const s = db.stats(2);
    expect(s.series).toBe(12);
    expect(s.samples).toBe(12 * 240);
    expect(s.chunks).toBe(24);
    expect(s.minTime).toBe(T0);
    expect(s.maxTime).toBe(T0 + 239 * 15_000);
    expect(s.bytesPerSample).toBeGreaterThan(0.1);
    expect(s.bytesPerSample).toBeLessThan(2);
    expect(s.chunkBytes / s.samples).toBeCloseTo(s.bytesPerSample, 10);
    expect(s.topMetricNames).toEqual([
      { name: 'metric_0', series: 3 },
      { name: 'metric_1', series: 3 },
    ]);
    expect(s.topLabelNames).toEqual([
      { name: 'instance', values: 12 },
      { name: '__name__', values: 4 },
    ]);
    expect(s.topLabelPairs[0]).toEqual({ name: 'job', value: 'even', series: 6 });
  });
});

describe('TSDB lifecycle', () => {
  it('closes once, stops its timers and refuses work afterwards', async () => {
    const clock = new VirtualClock(T0);
    const db = await openTracked(dirs.make(), clock);
    const app = db.appender();
    app.append(lbl('a'), T0, 1);
    expect(clock.pending).toBe(3);
    await Promise.all([db.close(), db.close()]);
    expect(clock.pending).toBe(0);
    expect(() => app.commit()).toThrow(TSDBError);
    expect(() => db.appender()).toThrow(/closed/);
    expect(() => db.querier(0, 1)).toThrow(/closed/);
  });

  it('rejects invalid options with a stable code', async () => {
    const dir = dirs.make();
    await expect(openTSDB({ dir, retentionMs: 0 })).rejects.toMatchObject({ code: 'invalid_option' });
    await expect(openTSDB({ dir, walFsyncIntervalMs: -1 })).rejects.toMatchObject({ code: 'invalid_option' });
    writeFileSync(join(dir, 'file'), '');
    await expect(openTSDB({ dir: join(dir, 'file') })).rejects.toMatchObject({ code: 'bad_dir' });
  });

  it('lets a new series take a slot freed by retention without confusing old refs after a restart', async () => {
    const dir = dirs.make();
    const clock = new VirtualClock(T0);
    const db = await openTracked(dir, clock, { retentionMs: 3600_000 });
    const a = db.appender();
    const oldRef = a.append(lbl('old'), T0, 1);
    a.commit();
    await clock.advance(2 * 3600_000); // retention drops 'old'
    expect(db.stats().series).toBe(0);
    const b = db.appender();
    const newRef = b.append(lbl('new'), clock.now(), 2);
    b.commit();
    expect(newRef).not.toBe(oldRef);
    await db.close();
    const again = await openTracked(dir, clock, { retentionMs: 3600_000 });
    const c = again.appender();
    // The old ref names nothing now: the labels decide.
    c.append(lbl('old'), clock.now(), 3, oldRef);
    c.commit();
    expect(dump(again)).toEqual({ '{__name__="new"}': [[clock.now(), 2]], '{__name__="old"}': [[clock.now(), 3]] });
  });
});

