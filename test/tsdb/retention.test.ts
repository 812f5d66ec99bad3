import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppendError } from '../../model/storage.js';
import type { TSDB } from '../../tsdb/index.js';
import { T0, TestMeter, VirtualClock, dump, lbl, openDB, tempDirs } from './helpers.js';

const dirs = tempDirs();
const open: TSDB[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close().catch(() => undefined);
  dirs.cleanup();
});

const HOUR = 3600_000;
const SCRAPE = 15_000;

describe('retention by time', () => {
  it('drops old chunks, then series left empty, and deletes expired chunk files, on the clock', async () => {
    const dir = dirs.make();
    const clock = new VirtualClock(T0);
    const meter = new TestMeter();
    const db = await openDB(dir, clock, {
      retentionMs: 2 * HOUR,
      retentionIntervalMs: 60_000,
      chunksHeadFileSizeBytes: 100, // one chunk per file
      meter: meter.meter,
    });
    open.push(db);
    // 'steady' is scraped for 4 hours; 'gone' only during the first 30 minutes.
    let steady = 0;
    let gone = 0;
    for (let t = T0; t < T0 + 4 * HOUR; t += SCRAPE) {
      await clock.advanceTo(t);
      const app = db.appender();
      steady = app.append(lbl('steady'), t, (t - T0) / SCRAPE, steady);
      if (t < T0 + HOUR / 2) gone = app.append(lbl('gone', { pod: 'p-1' }), t, 1, gone);
      app.commit();
    }
    await clock.advance(60_000);
    const d = dump(db);
    expect(Object.keys(d)).toEqual(['{__name__="steady"}']);
    const samples = d['{__name__="steady"}']!;
    // Whole chunks (120 samples = 30 min) go once their newest sample is older than the window.
    const cutoff = clock.now() - 2 * HOUR;
    expect(samples[0]![0]).toBeGreaterThan(cutoff - 30 * 60_000);
    expect(samples[0]![0]).toBeLessThanOrEqual(cutoff);
    expect(samples.at(-1)![0]).toBe(T0 + 4 * HOUR - SCRAPE);
    const q = db.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    expect(q.labelValues('__name__')).toEqual(['steady']);
    expect(q.labelNames()).toEqual(['__name__']);
    expect(db.stats().series).toBe(1);
    expect(await meter.value('vigil_tsdb_head_series_removed')).toBe(1);
    // 9 chunks were written, one per file: the 5 that expired (gone's and steady's first 4) are deleted.
    await db.flushWAL();
    expect(readdirSync(join(dir, 'chunks_head'))).toHaveLength(4);
    // A sample older than the window is now refused.
    const app = db.appender();
    expect(() => app.append(lbl('steady'), cutoff - 1, 1)).toThrow(AppendError);
    app.rollback();
  });

  it('does not load expired data on restart', async () => {
    const dir = dirs.make();
    const clock = new VirtualClock(T0);
    const db = await openDB(dir, clock, { retentionMs: HOUR });
    const app = db.appender();
    for (let i = 0; i < 240; i++) app.append(lbl('m'), T0 + i * SCRAPE, i);
    app.commit();
    await db.checkpoint();
    await db.close();
    // One hour (and a bit) later, with a clock that moved while the store was down.
    const later = new VirtualClock(T0 + 239 * SCRAPE + HOUR - 29 * 60_000);
    const again = await openDB(dir, later, { retentionMs: HOUR });
    open.push(again);
    const samples = dump(again)['{__name__="m"}']!;
    // The first chunk (ending at sample 119) is older than the window; the second is kept whole.
    expect(samples[0]).toEqual([T0 + 120 * SCRAPE, 120]);
    expect(samples).toHaveLength(120);
    expect(again.stats().samples).toBe(120);
  });

  it('drops series created in a rolled-back transaction at the next pass', async () => {
    const dir = dirs.make();
    const clock = new VirtualClock(T0);
    const db = await openDB(dir, clock, { retentionIntervalMs: 60_000 });
    open.push(db);
    const app = db.appender();
    app.append(lbl('never'), T0, 1);
    app.rollback();
    expect(db.stats().series).toBe(1); // kept until retention, as in Prometheus
    expect(dump(db)).toEqual({});
    await clock.advance(60_000);
    expect(db.stats().series).toBe(0);
    expect(db.applyRetention()).toEqual({ chunksRemoved: 0, samplesRemoved: 0, seriesRemoved: 0, chunkFilesDeleted: 0 });
  });
});
