import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Matcher } from '../../model/matcher.js';
import { isStaleNaN } from '../../model/value.js';
import { openTSDB } from '../../tsdb/index.js';
import { systemClock } from '../../util/clock.js';
import { nopLogger } from '../../util/log.js';
import { type ExporterServer, startExporter } from '../support/target.js';
import { startVigilProcess } from '../support/vigil-process.js';

const FSYNC_MS = 200;
const INTERVAL_MS = 250;

/** counterValues reads every stored value of `crash_counter` from a data directory. */
async function counterValues(dir: string): Promise<number[]> {
  const db = await openTSDB({ dir, retentionMs: 365 * 86_400_000, walFsyncIntervalMs: 0, clock: systemClock, logger: nopLogger });
  try {
    const values: number[] = [];
    for (const s of db.querier(0, Number.MAX_SAFE_INTEGER).select([new Matcher('=', '__name__', 'crash_counter')])) {
      const it = s.samples();
      while (it.next()) if (!isStaleNaN(it.v)) values.push(it.v);
    }
    return values;
  } finally {
    await db.close();
  }
}

describe('crash recovery of `vigil run`', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
  let exporter: ExporterServer;
  afterAll(async () => {
    await exporter?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every sample committed before the last WAL fsync across SIGKILL, and recovers a torn WAL tail', async () => {
    // The target serves a counter that is the number of the request: each stored value names a scrape.
    exporter = await startExporter();
    let served = 0;
    const servedAt: number[] = [];
    Object.defineProperty(exporter.behaviour, 'body', {
      get: () => {
        served++;
        servedAt[served] = Date.now();
        return `# TYPE crash_counter counter\ncrash_counter ${served}\n`;
      },
    });
    const configFile = join(dir, 'vigil.yaml');
    writeFileSync(
      configFile,
      `global: {scrape_interval: ${INTERVAL_MS}ms, scrape_timeout: ${INTERVAL_MS}ms}
scrape_configs:
  - job_name: crash
    static_configs: [{targets: ['${exporter.address}']}]
storage:
  embedded: {path: ${join(dir, 'data')}, wal_fsync_interval: ${FSYNC_MS}ms}
`,
    );

    const first = await startVigilProcess(configFile);
    while (served < 12) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await first.exited).toBe('SIGKILL');

    // Scrapes served well before the kill (fsync interval plus a generous margin for the append)
    // were committed and fsynced: they must all be there.
    const mustHave = servedAt.flatMap((t, n) => (t !== undefined && t < killedAt - FSYNC_MS - 500 ? [n] : []));
    expect(mustHave.length).toBeGreaterThanOrEqual(5);
    const afterKill = await counterValues(join(dir, 'data'));
    for (const n of mustHave) expect(afterKill, `scrape ${n}`).toContain(n);

    // Restarting on the same directory replays the WAL and goes on scraping.
    const second = await startVigilProcess(configFile);
    const before = served;
    while (served < before + 4) await new Promise((r) => setTimeout(r, 20));
    second.child.kill('SIGKILL');
    await second.exited;
    const afterRestart = await counterValues(join(dir, 'data'));
    for (const n of mustHave) expect(afterRestart).toContain(n);
    expect(Math.max(...afterRestart)).toBeGreaterThan(before);

    // Tear the newest WAL segment in the middle of a record: vigil must cut it, say so, and start.
    const walDir = join(dir, 'data', 'wal');
    const segments = readdirSync(walDir)
      .filter((f) => /^\d+$/.test(f))
      .sort();
    const newest = join(walDir, segments.at(-1)!);
    const size = statSync(newest).size;
    expect(size).toBeGreaterThan(20);
    truncateSync(newest, size - 7);
    const third = await startVigilProcess(configFile);
    const res = await fetch(`${third.url}/-/healthy`);
    expect(res.status).toBe(200);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(third.logs()).toMatch(/corrupt|torn|truncat|repair/i);
    const afterRepair = await counterValues(join(dir, 'data'));
    for (const n of mustHave) expect(afterRepair).toContain(n);
  }, 90_000);
});
