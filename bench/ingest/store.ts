import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Labels } from '../../model/labels.js';
import type { SeriesRef } from '../../model/storage.js';
import { openTSDB, type TSDB } from '../../tsdb/index.js';
import { VirtualClock } from '../../util/clock.js';

/**
 * The embedded store on virtual time: append throughput with refs, and bytes per sample and
 * resident memory per series after two hours of 15 s scrapes.
 *
 * Peers: throughput is compared with a naive store run in the same process (per-series JS arrays
 * of timestamps and values: what a store without compression or typed arrays costs); density and
 * memory with Prometheus's figures as stated in the task brief (about 1.3 bytes per sample and
 * 4.2 KiB per series for Prometheus 2.42): reference values, not measured here.
 *
 * Data: 100k series in 1000 targets of 100 series; 60% gauges on a small integer random walk,
 * 30% counters growing by small integers, 10% constant (info-like); timestamps exactly 15 s apart
 * (as Prometheus's timestamp alignment gives). The WAL is on, in a temporary directory (fsync on
 * its 1 s virtual interval; checkpoints on their 30 min virtual interval).
 *
 * Run with `node --expose-gc` so memory is measured after full collections.
 */

export interface StoreBenchOptions {
  series?: number;
  /** hours of 15 s samples for the memory part (default 2). */
  hours?: number;
  /** rounds of the throughput part (one sample per series each). */
  rounds?: number;
  print?: boolean;
}

export interface StoreBenchResult {
  series: number;
  /** appendPerSecond: Appender.append with refs; commitPerSecond: append + commit (WAL + encoding). */
  appendPerSecond: number;
  commitPerSecond: number;
  /** peerPerSecond: the naive store's append rate on the same samples. */
  peerPerSecond: number;
  samples: number;
  bytesPerSample: number;
  /** resident bytes per series: heapUsed + arrayBuffers, and heapUsed + external. */
  residentPerSeriesHeapArrayBuffers: number;
  residentPerSeriesHeapExternal: number;
  /** restartMs: wall time to reopen the store after the memory run; restartSamples: samples it found. */
  restartMs: number;
  restartSamples: number;
  gcAvailable: boolean;
}

const SCRAPE_MS = 15_000;
const T0 = 1_700_000_000_000;

export async function benchStore(options: StoreBenchOptions = {}): Promise<StoreBenchResult> {
  const nSeries = options.series ?? 100_000;
  const hours = options.hours ?? 2;
  const rounds = options.rounds ?? 30;
  const print = options.print ?? true;
  const gc = (globalThis as { gc?: () => void }).gc;
  const collect = (): void => {
    if (gc === undefined) return;
    for (let i = 0; i < 3; i++) gc();
  };
  const labels = makeLabels(nSeries);
  const gen = new ValueGenerator(nSeries, 42);

  // --- Throughput: append with refs, then commit; the peer on the same samples.
  const thr = await withStore(async (db, clock) => {
    const refs = firstScrape(db, labels, gen, clock.now());
    let appendMs = 0;
    let totalMs = 0;
    for (let r = 1; r <= rounds; r++) {
      await clock.advance(SCRAPE_MS);
      const t = clock.now();
      gen.step();
      const start = performance.now();
      const app = db.appender();
      for (let i = 0; i < nSeries; i++) app.append(labels[i]!, t, gen.values[i]!, refs[i]);
      const mid = performance.now();
      app.commit();
      const end = performance.now();
      if (r > 3) {
        appendMs += mid - start;
        totalMs += end - start;
      }
    }
    const measured = (rounds - 3) * nSeries;
    return { append: (measured / appendMs) * 1000, commit: (measured / totalMs) * 1000 };
  });
  const peer = naivePeer(nSeries, rounds, gen);

  // --- Density and memory after `hours` of samples.
  labels.length = 0;
  collect();
  const before = process.memoryUsage();
  let restartMs = 0;
  let restartSamples = 0;
  const mem = await withStore(async (db, clock) => {
    const memLabels = makeLabels(nSeries);
    const memGen = new ValueGenerator(nSeries, 7);
    const refs = firstScrape(db, memLabels, memGen, clock.now());
    const scrapes = Math.round((hours * 3600_000) / SCRAPE_MS);
    for (let r = 1; r < scrapes; r++) {
      await clock.advance(SCRAPE_MS);
      memGen.step();
      const app = db.appender();
      const t = clock.now();
      for (let i = 0; i < nSeries; i++) app.append(memLabels[i]!, t, memGen.values[i]!, refs[i]);
      app.commit();
    }
    await db.flushWAL();
    memLabels.length = 0;
    refs.length = 0;
    collect();
    const after = process.memoryUsage();
    const stats = db.stats();
    return { after, stats };
  }, async (dir, clock) => {
    // Restart: replay of checkpoint, chunk files and the WAL since the last checkpoint.
    const start = performance.now();
    const again = await openTSDB({ dir, clock, retentionMs: 15 * 24 * 3600_000 });
    restartMs = performance.now() - start;
    restartSamples = again.stats().samples;
    await again.close();
  });
  const heapAB = mem.after.heapUsed + mem.after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  const heapExt = mem.after.heapUsed + mem.after.external - (before.heapUsed + before.external);
  const result: StoreBenchResult = {
    series: nSeries,
    appendPerSecond: thr.append,
    commitPerSecond: thr.commit,
    peerPerSecond: peer,
    samples: mem.stats.samples,
    bytesPerSample: mem.stats.bytesPerSample,
    residentPerSeriesHeapArrayBuffers: heapAB / nSeries,
    residentPerSeriesHeapExternal: heapExt / nSeries,
    restartMs,
    restartSamples,
    gcAvailable: gc !== undefined,
  };
  if (print) printResult(result, hours);
  return result;
}

async function withStore<T>(fn: (db: TSDB, clock: VirtualClock) => Promise<T>, afterClose?: (dir: string, clock: VirtualClock) => Promise<void>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-store-'));
  const clock = new VirtualClock(T0);
  const db = await openTSDB({ dir, clock, retentionMs: 15 * 24 * 3600_000, walFsyncIntervalMs: 1000 });
  try {
    const out = await fn(db, clock);
    await db.close();
    await afterClose?.(dir, clock);
    return out;
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** firstScrape appends without refs (the cache-miss path) and returns each series' ref. */
function firstScrape(db: TSDB, labels: readonly Labels[], gen: ValueGenerator, t: number): SeriesRef[] {
  const refs: SeriesRef[] = new Array<SeriesRef>(labels.length);
  const app = db.appender();
  for (let i = 0; i < labels.length; i++) refs[i] = app.append(labels[i]!, t, gen.values[i]!);
  app.commit();
  return refs;
}

/** naivePeer appends the same shape of data to per-series JS arrays and returns samples/s. */
function naivePeer(nSeries: number, rounds: number, gen: ValueGenerator): number {
  const store: { ts: number[]; vs: number[] }[] = [];
  for (let i = 0; i < nSeries; i++) store.push({ ts: [], vs: [] });
  let ms = 0;
  for (let r = 0; r < rounds; r++) {
    gen.step();
    const t = T0 + r * SCRAPE_MS;
    const start = performance.now();
    for (let i = 0; i < nSeries; i++) {
      const s = store[i]!;
      if (s.ts.length > 0 && s.ts[s.ts.length - 1]! >= t) continue;
      s.ts.push(t);
      s.vs.push(gen.values[i]!);
    }
    if (r >= 3) ms += performance.now() - start;
  }
  return (((rounds - 3) * nSeries) / ms) * 1000;
}

/**
 * makeLabels builds series shaped like a fleet's: 1000 targets (instance, pod, namespace, job) of
 * 100 series each, 20 metric names with 5 label variants.
 */
function makeLabels(n: number): Labels[] {
  const jobs = ['dcgm-exporter', 'vllm', 'triton', 'node-exporter', 'kube-state-metrics'];
  const out: Labels[] = [];
  for (let i = 0; i < n; i++) {
    const target = Math.floor(i / 100);
    const within = i % 100;
    const job = jobs[target % jobs.length]!;
    out.push(
      Labels.from({
        __name__: `${job.replaceAll('-', '_')}_metric_${Math.floor(within / 5)}_total`,
        instance: `10.${(target >> 8) & 255}.${target & 255}.7:9400`,
        job,
        namespace: `team-${target % 17}`,
        pod: `${job}-${(target * 2654435761) % 1_000_000}-x${target}`,
        variant: String(within % 5),
      }),
    );
  }
  return out;
}

/** ValueGenerator produces the next scrape's values: gauges, counters and constants. */
class ValueGenerator {
  readonly values: Float64Array;
  private readonly kind: Uint8Array;
  private seed: number;

  constructor(n: number, seed: number) {
    this.seed = seed;
    this.values = new Float64Array(n);
    this.kind = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const r = this.rand();
      this.kind[i] = r < 0.6 ? 0 : r < 0.9 ? 1 : 2;
      this.values[i] = this.kind[i] === 2 ? 1 : Math.floor(this.rand() * 10_000);
    }
  }

  step(): void {
    const v = this.values;
    for (let i = 0; i < v.length; i++) {
      const k = this.kind[i];
      if (k === 0) {
        const r = this.rand();
        if (r < 0.6) v[i] = v[i]! + Math.floor(r * 8.34) - 2; // -2..+2 in small steps, or unchanged
      } else if (k === 1) v[i] = v[i]! + Math.floor(this.rand() * 10);
    }
  }

  private rand(): number {
    // xorshift32: fast and deterministic.
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed / 4294967296;
  }
}

function printResult(r: StoreBenchResult, hours: number): void {
  const kib = (b: number) => (b / 1024).toFixed(2);
  const lines = [
    `tsdb store bench: ${r.series} series, WAL on a temporary directory, virtual time`,
    `  append with refs:          ${(r.appendPerSecond / 1e6).toFixed(2)} M samples/s`,
    `  append + commit:           ${(r.commitPerSecond / 1e6).toFixed(2)} M samples/s`,
    `  peer (naive JS arrays):    ${(r.peerPerSecond / 1e6).toFixed(2)} M samples/s  -> ratio append+commit / peer = ${(r.commitPerSecond / r.peerPerSecond).toFixed(2)}`,
    `  after ${hours} h of 15 s samples: ${r.samples} samples`,
    `  bytes per sample (chunks): ${r.bytesPerSample.toFixed(3)}  (Prometheus reference ~1.3: ratio ${(r.bytesPerSample / 1.3).toFixed(2)}; raw 16 B: ratio ${(r.bytesPerSample / 16).toFixed(3)})`,
    `  resident per series:       ${kib(r.residentPerSeriesHeapArrayBuffers)} KiB (heapUsed + arrayBuffers), ${kib(r.residentPerSeriesHeapExternal)} KiB (heapUsed + external)`,
    `                             Prometheus 2.42 reference ~4.2 KiB: ratio ${(r.residentPerSeriesHeapExternal / 1024 / 4.2).toFixed(2)}`,
    `  restart (replay):          ${(r.restartMs / 1000).toFixed(2)} s for ${r.restartSamples} samples (${((r.restartSamples / r.restartMs) * 1000 / 1e6).toFixed(1)} M samples/s)`,
  ];
  if (!r.gcAvailable) lines.push('  (no --expose-gc: memory figures include garbage)');
  console.log(lines.join('\n'));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchStore();
}
