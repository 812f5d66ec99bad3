import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { newParser } from '../../collectors/textparse/index.js';

/**
 * Parse throughput of vigil's text-format parser against the npm package
 * parse-prometheus-text-format on the same bytes, in the same process.
 *
 * "pass" lexes every entry in full and reads value(), timestamp() and seriesKey() for each sample.
 * "labels" adds labels() for each sample: a target's first scrape. "hinted" is how the scrape loop
 * parses a target it has scraped before: each sample line is offered the series text of the same
 * place in the previous body (Parser.next's hint), so an unchanged series costs one string
 * comparison instead of lexing. The peer builds its whole object tree, which is all it offers.
 * Figures are medians over rounds run after a warm-up.
 */

const require = createRequire(import.meta.url);
const parsePrometheusTextFormat = require('parse-prometheus-text-format') as (text: string) => unknown[];

export interface ParseBenchFigure {
  samplesPerSecond: number;
  megabytesPerSecond: number;
}

export interface ParseBenchResult {
  fixture: string;
  bytes: number;
  samples: number;
  pass: ParseBenchFigure;
  labels: ParseBenchFigure;
  hinted: ParseBenchFigure;
  peer: ParseBenchFigure;
  /** ratio is the vigil pass throughput over the peer's; labelsRatio and hintedRatio the same for those passes. */
  ratio: number;
  labelsRatio: number;
  hintedRatio: number;
}

export interface ParseBenchOptions {
  /** fixturesDir holds the exporter bodies; default ../shared/fixtures/metrics from the working directory. */
  fixturesDir?: string;
  rounds?: number;
  /** roundMs is the target duration of one timed round. */
  roundMs?: number;
  print?: boolean;
}

const FIXTURES = ['dcgm-exporter.gpu-node-a.prom', 'vllm.prom'];

export async function benchParse(options: ParseBenchOptions = {}): Promise<ParseBenchResult[]> {
  const dir = options.fixturesDir ?? resolve(process.cwd(), '../shared/fixtures/metrics');
  const rounds = options.rounds ?? 9;
  const roundMs = options.roundMs ?? 200;
  const results: ParseBenchResult[] = [];
  for (const fixture of FIXTURES) {
    const body = readFileSync(resolve(dir, fixture), 'utf8');
    const bytes = Buffer.byteLength(body);
    const samples = vigilPass(body);
    const pass = measure(() => vigilPass(body), samples, bytes, rounds, roundMs);
    const labels = measure(() => vigilLabels(body), samples, bytes, rounds, roundMs);
    const hints = seriesKeys(body);
    const hinted = measure(() => vigilHinted(body, hints), samples, bytes, rounds, roundMs);
    const peer = measure(() => peerParse(body), samples, bytes, rounds, roundMs);
    results.push({
      fixture,
      bytes,
      samples,
      pass,
      labels,
      hinted,
      peer,
      ratio: pass.samplesPerSecond / peer.samplesPerSecond,
      labelsRatio: labels.samplesPerSecond / peer.samplesPerSecond,
      hintedRatio: hinted.samplesPerSecond / peer.samplesPerSecond,
    });
  }
  if (options.print ?? false) printResults(results);
  // Yield once so callers can await this next to other async benchmarks.
  await Promise.resolve();
  return results;
}

let sink = 0;

function vigilPass(body: string): number {
  const p = newParser(body, 'text/plain; version=0.0.4');
  let samples = 0;
  let kind;
  while ((kind = p.next()) !== null) {
    if (kind !== 'series') continue;
    samples++;
    sink += p.value() + (p.timestamp() ?? 0) + p.seriesKey().length;
  }
  return samples;
}

function vigilLabels(body: string): number {
  const p = newParser(body, 'text/plain; version=0.0.4');
  let samples = 0;
  let kind;
  while ((kind = p.next()) !== null) {
    if (kind !== 'series') continue;
    samples++;
    sink += p.value() + (p.timestamp() ?? 0) + p.seriesKey().length + p.labels().size;
  }
  return samples;
}

function seriesKeys(body: string): string[] {
  const p = newParser(body, 'text/plain; version=0.0.4');
  const keys: string[] = [];
  let kind;
  while ((kind = p.next()) !== null) if (kind === 'series') keys.push(p.seriesKey());
  return keys;
}

function vigilHinted(body: string, hints: readonly string[]): number {
  const p = newParser(body, 'text/plain; version=0.0.4');
  let samples = 0;
  let kind;
  while ((kind = p.next(hints[samples])) !== null) {
    if (kind !== 'series') continue;
    samples++;
    sink += p.value() + (p.timestamp() ?? 0) + p.seriesKey().length;
  }
  return samples;
}

function peerParse(body: string): number {
  const families = parsePrometheusTextFormat(body);
  sink += families.length;
  return families.length;
}

function measure(run: () => number, samples: number, bytes: number, rounds: number, roundMs: number): ParseBenchFigure {
  // Warm-up: let the JIT settle, and size a round to roughly roundMs.
  let iterations = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) run();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms >= roundMs / 4) {
      iterations = Math.max(1, Math.round((iterations * roundMs) / ms));
      break;
    }
    iterations *= 2;
  }
  for (let i = 0; i < iterations; i++) run();
  const perSecond: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) run();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    perSecond.push(iterations / seconds);
  }
  perSecond.sort((a, b) => a - b);
  const bodiesPerSecond = perSecond[perSecond.length >> 1]!;
  return { samplesPerSecond: bodiesPerSecond * samples, megabytesPerSecond: (bodiesPerSecond * bytes) / 1e6 };
}

function printResults(results: ParseBenchResult[]): void {
  const fmt = (f: ParseBenchFigure): string => `${(f.samplesPerSecond / 1e6).toFixed(2)} M samples/s, ${f.megabytesPerSecond.toFixed(1)} MB/s`;
  for (const r of results) {
    console.log(`${r.fixture} (${r.samples} samples, ${(r.bytes / 1024).toFixed(1)} KiB)`);
    console.log(`  vigil pass          ${fmt(r.pass)}   ${r.ratio.toFixed(1)}x parse-prometheus-text-format`);
    console.log(`  vigil pass+labels() ${fmt(r.labels)}   ${r.labelsRatio.toFixed(1)}x parse-prometheus-text-format`);
    console.log(`  vigil hinted        ${fmt(r.hinted)}   ${r.hintedRatio.toFixed(1)}x parse-prometheus-text-format`);
    console.log(`  parse-prometheus-text-format ${fmt(r.peer)}`);
  }
  if (sink === 42) console.log('');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchParse({ print: true });
}
