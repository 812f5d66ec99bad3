import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Meter } from '@opentelemetry/api';
import { type DataPoint, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { Labels } from '../../model/labels.js';
import { Matcher } from '../../model/matcher.js';
import type { Queryable } from '../../model/storage.js';
import { isStaleNaN } from '../../model/value.js';
import { openTSDB, type TSDB, type TSDBOptions } from '../../tsdb/index.js';
import { VirtualClock } from '../../util/clock.js';
import type { LogFields, Logger } from '../../util/log.js';

/** tempDirs creates directories removed by cleanup(). */
export function tempDirs(): { make(): string; cleanup(): void } {
  const made: string[] = [];
  return {
    make() {
      const d = mkdtempSync(join(tmpdir(), 'vigil-tsdb-test-'));
      made.push(d);
      return d;
    },
    cleanup() {
      for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** T0 is a realistic epoch for tests (2023-11-14). */
export const T0 = 1_700_000_000_000;

export function lbl(name: string, extra: Record<string, string> = {}): Labels {
  return Labels.from({ __name__: name, ...extra });
}

/** Sample as dumped: [t, v], the staleness marker as 'stale'. */
export type Dumped = [number, number | 'stale'];

/** dump reads every series of a store between mint and maxt as {labels string: samples}. */
export function dump(db: Queryable, mint = Number.MIN_SAFE_INTEGER, maxt = Number.MAX_SAFE_INTEGER): Record<string, Dumped[]> {
  const out: Record<string, Dumped[]> = {};
  for (const s of db.querier(mint, maxt).select([new Matcher('=~', '__name__', '.+')])) {
    const samples: Dumped[] = [];
    const it = s.samples();
    while (it.next()) samples.push([it.t, isStaleNaN(it.v) ? 'stale' : it.v]);
    out[s.labels.toString()] = samples;
  }
  return out;
}

/** RecordingLogger keeps every line for assertions. */
export class RecordingLogger implements Logger {
  readonly lines: { level: string; msg: string; fields: LogFields }[] = [];
  debug(msg: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'debug', msg, fields });
  }
  info(msg: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'info', msg, fields });
  }
  warn(msg: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'warn', msg, fields });
  }
  error(msg: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'error', msg, fields });
  }
  with(): Logger {
    return this;
  }
  warnings(): string[] {
    return this.lines.filter((l) => l.level === 'warn' || l.level === 'error').map((l) => l.msg);
  }
}

class PullReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** TestMeter is a real SDK meter whose values a test can read. */
export class TestMeter {
  private readonly reader = new PullReader();
  readonly provider = new MeterProvider({ readers: [this.reader] });
  readonly meter: Meter = this.provider.getMeter('test');

  /** points returns the data points of one instrument by name (empty when none). */
  async points(name: string): Promise<DataPoint<unknown>[]> {
    const { resourceMetrics } = await this.reader.collect();
    for (const sm of resourceMetrics.scopeMetrics) {
      for (const m of sm.metrics) if (m.descriptor.name === name) return m.dataPoints as DataPoint<unknown>[];
    }
    return [];
  }

  /** value sums a counter's or gauge's points that carry `attrs`. */
  async value(name: string, attrs: Record<string, string> = {}): Promise<number> {
    let sum = 0;
    for (const p of await this.points(name)) {
      if (Object.entries(attrs).every(([k, v]) => p.attributes[k] === v)) sum += p.value as number;
    }
    return sum;
  }
}

/** openDB opens a store on dir with test-friendly defaults (virtual clock, small segments). */
export function openDB(dir: string, clock: VirtualClock, opts: Partial<TSDBOptions> = {}): Promise<TSDB> {
  return openTSDB({
    dir,
    clock,
    retentionMs: 30 * 24 * 3600_000,
    walFsyncIntervalMs: 1000,
    walSegmentSizeBytes: 64 * 1024,
    ...opts,
  });
}

export { VirtualClock };
