import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseConfig } from '../../cli/config.js';
import { appendBody } from '../../collectors/scrape/append.js';
import { ScrapeCache } from '../../collectors/scrape/cache.js';
import { Labels } from '../../model/labels.js';
import { openTSDB } from '../../tsdb/index.js';
import { VirtualClock } from '../../util/clock.js';
import { nopLogger } from '../../util/log.js';
import { median } from '../support.js';

/**
 * The scrape path end to end for one large target: parse a 100k-series body and append it to the
 * store, with the scrape cache warm (every scrape after the first), commit included (WAL record,
 * chunk encoding). The peer is parse-prometheus-text-format parsing the same bytes, in the same
 * process: vigil parsing *and storing* is compared with the npm library only parsing.
 *
 * The body looks like a DCGM exporter's: DCGM_* families with gpu/UUID/modelName/Hostname/pod
 * labels, integer and %f values that change between scrapes. Figures are medians.
 */

const require = createRequire(import.meta.url);
const peerParse = require('parse-prometheus-text-format') as (text: string) => unknown[];

export interface ScrapeBenchOptions {
  series?: number;
  rounds?: number;
  print?: boolean;
}

export interface ScrapeBenchResult {
  series: number;
  bodyBytes: number;
  /** samplesPerSecond: parse + append + commit, scrape cache warm. */
  samplesPerSecond: number;
  /** firstScrapeSamplesPerSecond: the cold first scrape (labels parsed, series created). */
  firstScrapeSamplesPerSecond: number;
  peerSamplesPerSecond: number;
  ratio: number;
}

const FAMILIES = [
  ['DCGM_FI_DEV_GPU_UTIL', 'gauge', 'GPU utilization (in %).'],
  ['DCGM_FI_DEV_FB_USED', 'gauge', 'Framebuffer memory used (in MiB).'],
  ['DCGM_FI_DEV_POWER_USAGE', 'gauge', 'Power draw (in W).'],
  ['DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', 'counter', 'Total energy consumption since boot (in mJ).'],
  ['DCGM_FI_PROF_GR_ENGINE_ACTIVE', 'gauge', 'Ratio of time the graphics engine is active.'],
] as const;

/** makeBody renders a DCGM-like body with `series` samples; `round` moves the values. */
export function makeBody(series: number, round: number): string {
  const perFamily = Math.ceil(series / FAMILIES.length);
  let out = '';
  let n = 0;
  for (let f = 0; f < FAMILIES.length && n < series; f++) {
    const [name, type, help] = FAMILIES[f]!;
    out += `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`;
    for (let i = 0; i < perFamily && n < series; i++, n++) {
      const gpu = i % 8;
      const node = Math.floor(i / 8);
      const uuid = `GPU-${(node * 8 + gpu).toString(16).padStart(8, '0')}-1c80-0667-bdd6-3eb146685257`;
      const value =
        type === 'counter'
          ? String(1_000_000_000 + node * 1000 + round * 4500 + gpu)
          : f === 2
            ? `${(300 + ((node + gpu + round) % 50)).toFixed(6)}`
            : String((node * 7 + gpu * 3 + round) % 100);
      out += `${name}{gpu="${gpu}",UUID="${uuid}",pci_bus_id="00000000:${(gpu * 16 + 24).toString(16).toUpperCase()}:00.0",device="nvidia${gpu}",modelName="NVIDIA H100 80GB HBM3",Hostname="gpu-node-${node}",DCGM_FI_DRIVER_VERSION="550.90.07",container="vllm",namespace="llm-serving",pod="vllm-${node}"} ${value}\n`;
    }
  }
  return out;
}

export async function benchScrape(options: ScrapeBenchOptions = {}): Promise<ScrapeBenchResult> {
  const series = options.series ?? 100_000;
  const rounds = options.rounds ?? 12;
  const print = options.print ?? true;
  const bodies = [0, 1, 2, 3].map((r) => makeBody(series, r));
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-scrape-'));
  const clock = new VirtualClock(1_700_000_000_000);
  const db = await openTSDB({ dir, retentionMs: 86_400_000, walFsyncIntervalMs: 1000, clock, logger: nopLogger });
  const config = parseConfig('/tmp/vigil.yaml', 'scrape_configs: [{job_name: dcgm}]').scrapeConfigs[0]!;
  const ctx = { config, targetLabels: Labels.from({ job: 'dcgm', instance: '10.0.0.1:9400' }), cache: new ScrapeCache() };

  const scrape = (round: number): number => {
    const app = db.appender();
    ctx.cache.begin();
    const start = process.hrtime.bigint();
    const result = appendBody(ctx, app, bodies[round % bodies.length]!, 'text/plain; version=0.0.4', clock.now());
    app.commit();
    ctx.cache.commit();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.added !== series) throw new Error(`expected ${series} samples, appended ${result.added}`);
    return series / seconds;
  };

  try {
    const firstScrapeSamplesPerSecond = scrape(0);
    const warm: number[] = [];
    for (let r = 1; r <= rounds; r++) {
      await clock.advance(15_000);
      warm.push(scrape(r));
    }
    const peer: number[] = [];
    for (let r = 0; r < Math.max(3, Math.floor(rounds / 2)); r++) {
      const start = process.hrtime.bigint();
      peerParse(bodies[r % bodies.length]!);
      peer.push(series / (Number(process.hrtime.bigint() - start) / 1e9));
    }
    // The first warm rounds still tune the JIT; the median is over all of them regardless.
    const samplesPerSecond = median(warm);
    const peerSamplesPerSecond = median(peer);
    const result: ScrapeBenchResult = {
      series,
      bodyBytes: Buffer.byteLength(bodies[0]!),
      samplesPerSecond,
      firstScrapeSamplesPerSecond,
      peerSamplesPerSecond,
      ratio: samplesPerSecond / peerSamplesPerSecond,
    };
    if (print) {
      console.log(`scrape path: one target of ${series} series (${(result.bodyBytes / 1e6).toFixed(1)} MB body), parse + append + commit`);
      console.log(`  warm cache       ${(samplesPerSecond / 1e6).toFixed(2)} M samples/s (median of ${rounds} scrapes)`);
      console.log(`  first scrape     ${(firstScrapeSamplesPerSecond / 1e6).toFixed(2)} M samples/s (labels parsed, series created)`);
      console.log(`  peer parse only  ${(peerSamplesPerSecond / 1e6).toFixed(2)} M samples/s (parse-prometheus-text-format)`);
      console.log(`  ratio            ${result.ratio.toFixed(1)}x (vigil parse+store vs peer parse)`);
    }
    return result;
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchScrape();
}
