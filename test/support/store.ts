import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Matcher } from '../../model/matcher.js';
import type { Queryable } from '../../model/storage.js';
import { isStaleNaN } from '../../model/value.js';
import { openTSDB, type TSDB } from '../../tsdb/index.js';
import type { Clock } from '../../util/clock.js';
import { nopLogger } from '../../util/log.js';

/** TempStore is a real TSDB in a temporary directory. */
export interface TempStore {
  readonly db: TSDB;
  readonly dir: string;
  cleanup(): Promise<void>;
}

export async function openTempStore(clock: Clock, opts: { retentionMs?: number } = {}): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tsdb-'));
  const db = await openTSDB({
    dir,
    retentionMs: opts.retentionMs ?? 365 * 24 * 3600_000,
    walFsyncIntervalMs: 0,
    clock,
    logger: nopLogger,
  });
  return {
    db,
    dir,
    async cleanup() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** DumpedSample is [t, v], with staleness markers as the string 'stale'. */
export type DumpedSample = [number, number | 'stale'];

/** dump reads every series (or those matching `selector` by name) as `{series string: samples}`. */
export function dump(db: Queryable, metricName?: string): Record<string, DumpedSample[]> {
  const matchers = [metricName === undefined ? new Matcher('=~', '__name__', '.+') : new Matcher('=', '__name__', metricName)];
  const out: Record<string, DumpedSample[]> = {};
  for (const s of db.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER).select(matchers)) {
    const samples: DumpedSample[] = [];
    const it = s.samples();
    while (it.next()) samples.push([it.t, isStaleNaN(it.v) ? 'stale' : it.v]);
    out[s.labels.toSeriesString()] = samples;
  }
  return out;
}
