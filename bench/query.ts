import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HttpServer } from '../cli/server.js';
import { queryAPIRoutes } from '../promql/api/index.js';
import { Engine } from '../promql/engine.js';
import { parseMetricSelector } from '../promql/parse.js';
import { importOpenMetrics } from '../tsdb/import.js';
import { openTSDB } from '../tsdb/index.js';
import { VirtualClock } from '../util/clock.js';
import { nopLogger } from '../util/log.js';
import { freePort, median } from './support.js';

/**
 * SLO-style queries timed in vigil and in a real Prometheus (the Debian package) on the same data,
 * in the same run, both end to end over their HTTP query APIs on loopback (parse, evaluate, JSON),
 * so neither side is spared the round trip. vigil's in-process engine time is printed too. Each
 * query runs alternately on both, after warm-up; figures are medians.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];

export interface QueryBenchResult {
  query: string;
  /** vigilMs: over vigil's HTTP API; engineMs: the engine alone, in process. */
  vigilMs: number;
  engineMs: number;
  prometheusMs: number;
  /** ratio is vigil's time over Prometheus's: below 1 is faster. */
  ratio: number;
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** dataset writes the bench's OpenMetrics file: counters, a 12-bucket x 200 histogram, a 30-day recording series. */
function dataset(end: number): { text: string; samples: number } {
  const rand = rng(11);
  const lines: string[] = [];
  let samples = 0;
  const ts = (t: number) => (t / 1000).toFixed(3);
  // 7 hours of 15 s counters: 4 models x 5 codes x 10 pods = 200 series.
  const start = end - 7 * HOUR;
  lines.push('# TYPE slo_requests counter');
  for (let m = 0; m < 4; m++) {
    for (const code of ['200', '400', '429', '500', '503']) {
      for (let p = 0; p < 10; p++) {
        let v = 0;
        const rate = code === '200' ? 50 : 1;
        for (let t = start; t <= end; t += 15_000) {
          v += Math.floor(rate * 15 * (0.5 + rand()));
          lines.push(`slo_requests_total{code="${code}",model="m${m}",pod="p${p}"} ${v} ${ts(t + 1234)}`);
          samples++;
        }
      }
    }
  }
  // 1 hour of a latency histogram: 200 label sets x 12 buckets.
  lines.push('# TYPE slo_latency_seconds histogram');
  const hstart = end - HOUR;
  for (let k = 0; k < 200; k++) {
    const counts = BUCKETS.map(() => 0);
    for (let t = hstart; t <= end; t += 15_000) {
      for (let r = 0; r < 20; r++) {
        const lat = Math.exp(rand() * 6 - 5);
        BUCKETS.forEach((b, j) => {
          if (b === '+Inf' || lat <= Number(b)) counts[j]!++;
        });
      }
      BUCKETS.forEach((b, j) => lines.push(`slo_latency_seconds_bucket{le="${b}",model="m${k % 4}",pod="p${k}"} ${counts[j]} ${ts(t + 1234)}`));
      samples += BUCKETS.length;
    }
  }
  // 30 days of a recording series at 1 m, as a recording rule would write it.
  lines.push('# TYPE slo_error_ratio:rate5m gauge');
  for (let t = end - 30 * DAY; t <= end; t += 60_000) {
    lines.push(`slo_error_ratio:rate5m{slo="chat-availability"} ${(0.001 + rand() * 0.002).toFixed(6)} ${ts(t + 1234)}`);
    samples++;
  }
  lines.push('# EOF', '');
  return { text: lines.join('\n'), samples };
}

export const QUERIES = [
  'sum by (model) (rate(slo_requests_total[5m]))',
  'sum by (model) (rate(slo_requests_total[1h]))',
  'sum by (model) (rate(slo_requests_total[6h]))',
  'histogram_quantile(0.95, sum by (le, model) (rate(slo_latency_seconds_bucket[5m])))',
  'avg_over_time(slo_error_ratio:rate5m[30d])',
  'sum by (model) (rate(slo_requests_total{code=~"5.."}[5m])) / sum by (model) (rate(slo_requests_total[5m]))',
];

export async function benchQuery(options: { rounds?: number; print?: boolean } = {}): Promise<QueryBenchResult[]> {
  const rounds = options.rounds ?? 15;
  const print = options.print ?? true;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-query-'));
  const end = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
  const { text, samples } = dataset(end);
  writeFileSync(join(dir, 'data.om'), text);
  if (print) console.log(`data: ${samples} samples (200 counters x 7 h, 12 buckets x 200 histograms x 1 h, 30 days of one recording series)`);
  execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'data.om'), join(dir, 'prom')], { stdio: 'pipe' });
  writeFileSync(join(dir, 'prometheus.yml'), 'global: {scrape_interval: 1m}\n');
  const port = await freePort();
  const prom = spawn(
    'prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'prom')}`, `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=10y', '--log.level=error'],
    { stdio: 'ignore' },
  );
  const db = await openTSDB({ dir: join(dir, 'vigil'), retentionMs: 40 * DAY, walFsyncIntervalMs: 1000, clock: new VirtualClock(end + 60_000), logger: nopLogger });
  try {
    const summary = importOpenMetrics(db, text);
    if (summary.error !== undefined || summary.appended !== samples) throw new Error(`vigil import failed: ${JSON.stringify(summary)}`);
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const ok = await fetch(`${base}/-/ready`).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (i > 300) throw new Error('prometheus did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const engine = new Engine();
    const server = new HttpServer();
    for (const r of queryAPIRoutes(() => ({
      queryable: db,
      engine: (o) => new Engine(o),
      parseMetricSelector,
      buildInfo: { version: 'bench', revision: '', branch: '', buildUser: '', buildDate: '', goVersion: process.version },
    }))) {
      if (r.prefix === true) server.routePrefix(r.methods, r.path, r.handler);
      else server.route(r.methods, r.path, r.handler);
    }
    const bound = await server.listen('127.0.0.1:0');
    const vigilBase = `http://127.0.0.1:${bound.port}`;
    const t = end - 30_000 + 7000;
    const results: QueryBenchResult[] = [];
    for (const query of QUERIES) {
      const params = `api/v1/query?${new URLSearchParams({ query, time: String(t / 1000) })}`;
      const overHttp = (root: string) => async () => {
        const started = performance.now();
        const body = (await (await fetch(`${root}/${params}`)).json()) as { status: string; error?: string };
        if (body.status !== 'success') throw new Error(`${root}: ${body.error}`);
        return performance.now() - started;
      };
      const promOnce = overHttp(base);
      const vigilOnce = overHttp(vigilBase);
      const engineOnce = async () => {
        const started = performance.now();
        await engine.instantQuery(db, query, t);
        return performance.now() - started;
      };
      for (let w = 0; w < 3; w++) {
        await promOnce();
        await vigilOnce();
      }
      const p: number[] = [];
      const v: number[] = [];
      const e: number[] = [];
      for (let r = 0; r < rounds; r++) {
        p.push(await promOnce());
        v.push(await vigilOnce());
        e.push(await engineOnce());
      }
      const res = { query, vigilMs: median(v), engineMs: median(e), prometheusMs: median(p), ratio: median(v) / median(p) };
      results.push(res);
      if (print) {
        console.log(
          `  ${res.ratio.toFixed(2)}x  vigil ${res.vigilMs.toFixed(2)} ms (engine ${res.engineMs.toFixed(2)})  prometheus ${res.prometheusMs.toFixed(2)} ms  ${query}`,
        );
      }
    }
    await server.close();
    return results;
  } finally {
    prom.kill('SIGTERM');
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchQuery();
}
