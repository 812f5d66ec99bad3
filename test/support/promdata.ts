import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importOpenMetrics } from '../../tsdb/import.js';
import type { TSDB } from '../../tsdb/index.js';
import { mulberry32 } from './prng.js';

/**
 * A generated data set loaded the same way into vigil (`vigil tsdb import`) and into Prometheus
 * (`promtool tsdb create-blocks-from openmetrics`): the common ground of differential tests.
 */
export interface GeneratedData {
  /** text is the OpenMetrics file. */
  readonly text: string;
  /** start and end bound the samples (ms). */
  readonly start: number;
  readonly end: number;
  readonly series: number;
  readonly samples: number;
}

export { mulberry32 };

export interface GenerateOptions {
  readonly seed: number;
  /** start (ms) of the data; samples are at start + i*interval + jitter. */
  readonly start: number;
  readonly points: number;
  readonly intervalMs: number;
  /**
   * jitterMs keeps sample times off round numbers, so query windows and lookback boundaries
   * (aligned to round times) never coincide with a sample: Prometheus 2.42's closed windows and
   * vigil's (Prometheus 3's) left-open ones then select the same samples.
   */
  readonly jitterMs: number;
  readonly histogramLabelSets?: number;
}

const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];

/** generate writes AI-serving-like series: request counters with resets, latency histograms, gauges. */
export function generate(o: GenerateOptions): GeneratedData {
  const rand = mulberry32(o.seed);
  const families: string[] = [];
  let series = 0;
  let samples = 0;
  const time = (i: number) => o.start + i * o.intervalMs + o.jitterMs;
  const lineTime = (i: number) => (time(i) / 1000).toFixed(3);

  // Counters: requests by model/code, with a counter reset in the middle for some.
  const counter: string[] = ['# TYPE vigil_requests counter'];
  for (const model of ['llama-70b', 'llama-8b', 'mistral-7b']) {
    for (const code of ['200', '429', '500']) {
      let v = Math.floor(rand() * 1000);
      const rate = code === '200' ? 20 + rand() * 50 : rand() * 3;
      const resetAt = rand() < 0.4 ? Math.floor(o.points * (0.3 + rand() * 0.4)) : -1;
      series++;
      for (let i = 0; i < o.points; i++) {
        if (i === resetAt) v = Math.floor(rand() * 5);
        else v += Math.floor(rate * (o.intervalMs / 1000) * (0.5 + rand()));
        counter.push(`vigil_requests_total{code="${code}",model="${model}",namespace="serving"} ${v} ${lineTime(i)}`);
        samples++;
      }
    }
  }
  families.push(counter.join('\n'));

  // Gauges: GPU utilisation and queue depth, random walks with occasional gaps.
  const gauge: string[] = ['# TYPE vigil_gpu_utilization gauge'];
  for (let gpu = 0; gpu < 8; gpu++) {
    let v = rand();
    series++;
    for (let i = 0; i < o.points; i++) {
      v = Math.min(1, Math.max(0, v + (rand() - 0.5) * 0.1));
      if (rand() < 0.02) continue; // a missed scrape
      gauge.push(`vigil_gpu_utilization{gpu="${gpu}",node="node-${gpu % 2}",pool="h100"} ${v.toFixed(6)} ${lineTime(i)}`);
      samples++;
    }
  }
  families.push(gauge.join('\n'));
  const queue: string[] = ['# TYPE vigil_queue_depth gauge'];
  for (const q of ['embed', 'batch']) {
    let v = 10;
    series++;
    for (let i = 0; i < o.points; i++) {
      v = Math.max(0, v + Math.round((rand() - 0.48) * 6));
      queue.push(`vigil_queue_depth{queue="${q}"} ${v} ${lineTime(i)}`);
      samples++;
    }
  }
  families.push(queue.join('\n'));

  // A latency histogram per label set: cumulative buckets, _count, _sum.
  const hist: string[] = ['# TYPE vigil_latency_seconds histogram'];
  const sets = o.histogramLabelSets ?? 6;
  for (let k = 0; k < sets; k++) {
    const labels = `model="m${k % 3}",pod="pod-${k}"`;
    const counts = BUCKETS.map(() => 0);
    let sum = 0;
    series += BUCKETS.length + 2;
    for (let i = 0; i < o.points; i++) {
      const n = Math.floor(rand() * 40);
      for (let r = 0; r < n; r++) {
        const lat = Math.exp(rand() * 6 - 5);
        sum += lat;
        BUCKETS.forEach((b, j) => {
          if (b === '+Inf' || lat <= Number(b)) counts[j]!++;
        });
      }
      const t = lineTime(i);
      BUCKETS.forEach((b, j) => hist.push(`vigil_latency_seconds_bucket{${labels},le="${b}"} ${counts[j]} ${t}`));
      hist.push(`vigil_latency_seconds_count{${labels}} ${counts[counts.length - 1]} ${t}`);
      hist.push(`vigil_latency_seconds_sum{${labels}} ${sum.toFixed(6)} ${t}`);
      samples += BUCKETS.length + 2;
    }
  }
  families.push(hist.join('\n'));
  return { text: families.join('\n') + '\n# EOF\n', start: time(0), end: time(o.points - 1), series, samples };
}

/** loadIntoVigil backfills the data into a store. */
export function loadIntoVigil(db: TSDB, data: GeneratedData): void {
  const summary = importOpenMetrics(db, data.text);
  if (summary.error !== undefined || summary.appended !== data.samples) {
    throw new Error(`import failed: ${summary.error ?? JSON.stringify(summary)}`);
  }
}

/** promtoolBlocks writes the data as Prometheus blocks with promtool and returns the data directory. */
export function promtoolBlocks(data: GeneratedData): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-blocks-'));
  const file = join(dir, 'data.om');
  writeFileSync(file, data.text);
  execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, join(dir, 'data')], { stdio: 'pipe' });
  return join(dir, 'data');
}
