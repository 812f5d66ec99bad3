import { LabelsBuilder, METRIC_NAME, quoteLabelValue } from '../../model/labels.js';
import { flattenString, PromTextParser } from '../textparse/index.js';
import { Platform } from './platform.js';
import type { Scenario } from './scenario.js';
import type { SimTarget } from './targets.js';
import { formatSeconds, formatValue } from '../../tsdb/export.js';

/** WriteRange is the sampled span: every `step` ms from `from` (the scenario's start) to `to`, both included. */
export interface WriteRange {
  readonly from: number;
  readonly to: number;
  readonly step: number;
}

export interface WriteOptions {
  /** onProgress is told how many of the scrapes (samplings of every target) are done. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * maxBufferedSamples bounds memory: when the run holds more samples, it is simulated again for
   * each share of the metric names (the platform is deterministic, so every pass sees the same
   * values). Default 16 million (about 150 MB).
   */
  readonly maxBufferedSamples?: number;
}

/** WriteSummary is what writeOpenMetrics wrote. */
export interface WriteSummary {
  /** scrapes is the number of sampling times. */
  readonly scrapes: number;
  readonly series: number;
  readonly samples: number;
  /** passes is how many times the scenario was simulated to keep memory bounded. */
  readonly passes: number;
}

/** Sink takes the output text in order; a returned promise is awaited (backpressure). */
export type Sink = (text: string) => void | Promise<void>;

interface SeriesBuffer {
  readonly prefix: string;
  readonly values: Float64Array;
  readonly present: Uint8Array;
}

const DEFAULT_MAX_BUFFERED = 16_000_000;
const FLUSH_BYTES = 1 << 16;

/**
 * writeOpenMetrics samples every series of the platform on a virtual clock and writes them as an
 * OpenMetrics 1.0 text file (timestamps in seconds, `# EOF` at the end), the format
 * `vigil tsdb import`, `vigil backtest --data` and `promtool tsdb create-blocks-from openmetrics`
 * read. At each step every target's body is rendered and parsed exactly as a scrape would, then
 * the target's labels are attached (job, instance and the rest: see targets.ts) and the scrape's
 * own `up` (1) and `scrape_samples_scraped` are added, so the file holds what a Prometheus
 * scraping the simulated platform every `step` would have stored.
 *
 * Each metric name's series are written together, one series after the other with its samples in
 * time order, as `vigil tsdb export` writes them; no TYPE lines, so each name is its own family.
 * To write name by name without holding a long run in memory, the run is split into passes over
 * shares of the names (see WriteOptions.maxBufferedSamples).
 */
export async function writeOpenMetrics(scenario: Scenario, range: WriteRange, out: Sink, opts: WriteOptions = {}): Promise<WriteSummary> {
  const { from, to, step } = range;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) throw new RangeError('from and to must be integer milliseconds');
  if (!Number.isSafeInteger(step) || step <= 0) throw new RangeError(`step must be a positive number of milliseconds, got ${step}`);
  if (to < from) throw new RangeError('to must not be before from');
  const scrapes = Math.floor((to - from) / step) + 1;
  const budget = opts.maxBufferedSamples ?? DEFAULT_MAX_BUFFERED;

  // The series present at the start size the passes; names first seen later join the last pass.
  const probe = new Platform(scenario, from);
  const countByName = new Map<string, number>();
  for (const { body } of probe.renderBodies(from)) countNames(body, countByName);
  const passes = planPasses([...countByName].sort((a, b) => (a[0] < b[0] ? -1 : 1)), scrapes, budget);

  const writer = new BufferedSink(out);
  let series = 0;
  let samples = 0;
  for (let pass = 0; pass < passes.length; pass++) {
    const platform = pass === 0 ? probe : new Platform(scenario, from);
    const wanted = passes[pass]!;
    const last = pass === passes.length - 1;
    const known = new Set(countByName.keys());
    const accept = (name: string) => wanted.has(name) || (last && !known.has(name));
    const byName = new Map<string, Map<string, SeriesBuffer>>();
    const caches = new Map<SimTarget, Map<string, SeriesBuffer | null>>();
    for (let i = 0; i < scrapes; i++) {
      for (const { target, body } of platform.renderBodies(from + i * step)) {
        let cache = caches.get(target);
        if (cache === undefined) caches.set(target, (cache = new Map()));
        collect(target, body, i, scrapes, cache, byName, accept);
      }
      opts.onProgress?.(pass * scrapes + i + 1, passes.length * scrapes);
    }
    for (const name of [...byName.keys()].sort()) {
      const list = [...byName.get(name)!.values()].sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
      for (const s of list) {
        series++;
        for (let i = 0; i < scrapes; i++) {
          if (s.present[i] === 0) continue;
          samples++;
          if (writer.add(`${s.prefix} ${formatValue(s.values[i]!)} ${formatSeconds(from + i * step)}\n`)) await writer.flush();
        }
      }
    }
  }
  writer.add('# EOF\n');
  await writer.flush();
  return { scrapes, series, samples, passes: passes.length };
}

/** countNames counts the series of each metric name in one body (plus the scrape's own series). */
function countNames(body: string, counts: Map<string, number>): void {
  const parser = new PromTextParser(body);
  let kind;
  while ((kind = parser.next()) !== null) {
    if (kind !== 'series') continue;
    const name = parser.labels().metricName;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  for (const name of ['up', 'scrape_samples_scraped']) counts.set(name, (counts.get(name) ?? 0) + 1);
}

/** planPasses groups metric names, in order, so that each pass buffers at most `budget` samples. */
function planPasses(names: readonly [string, number][], scrapes: number, budget: number): Set<string>[] {
  const passes: Set<string>[] = [new Set()];
  let load = 0;
  for (const [name, count] of names) {
    const cost = count * scrapes;
    if (load > 0 && load + cost > budget) {
      passes.push(new Set());
      load = 0;
    }
    passes[passes.length - 1]!.add(name);
    load += cost;
  }
  return passes;
}

/**
 * collect parses one body and stores its samples at scrape `index`. `cache` maps the body's raw
 * series text to its buffer (null when the name is not wanted in this pass), so a series' labels
 * are built once per run, not once per scrape.
 */
function collect(
  target: SimTarget,
  body: string,
  index: number,
  scrapes: number,
  cache: Map<string, SeriesBuffer | null>,
  byName: Map<string, Map<string, SeriesBuffer>>,
  accept: (name: string) => boolean,
): void {
  const parser = new PromTextParser(body);
  let kind;
  let count = 0;
  while ((kind = parser.next()) !== null) {
    if (kind !== 'series') continue;
    count++;
    const key = parser.seriesKey();
    let buffer = cache.get(key);
    if (buffer === undefined) {
      buffer = bufferFor(target, new LabelsBuilder(parser.labels()), scrapes, byName, accept);
      cache.set(flattenString(key), buffer);
    }
    if (buffer === null) continue;
    buffer.values[index] = parser.value();
    buffer.present[index] = 1;
  }
  for (const [name, value] of [
    ['up', 1],
    ['scrape_samples_scraped', count],
  ] as const) {
    // NUL never appears in a body's series text, so these keys cannot collide with one.
    let buffer = cache.get('\u0000' + name);
    if (buffer === undefined) {
      buffer = bufferFor(target, new LabelsBuilder().set(METRIC_NAME, name), scrapes, byName, accept);
      cache.set('\u0000' + name, buffer);
    }
    if (buffer === null) continue;
    buffer.values[index] = value;
    buffer.present[index] = 1;
  }
}

/**
 * bufferFor attaches the target's labels to a scraped series as Prometheus does without
 * honor_labels (the target's win; a clashing exposed label would be kept as exported_<name>) and
 * returns its buffer, or null when its name is not wanted in this pass.
 */
function bufferFor(
  target: SimTarget,
  b: LabelsBuilder,
  scrapes: number,
  byName: Map<string, Map<string, SeriesBuffer>>,
  accept: (name: string) => boolean,
): SeriesBuffer | null {
  const name = b.get(METRIC_NAME);
  if (!accept(name)) return null;
  for (const [n, v] of Object.entries(target.labels)) {
    const exposed = b.get(n);
    if (exposed !== '') {
      let exportedName = 'exported_' + n;
      while (b.get(exportedName) !== '') exportedName = 'exported_' + exportedName;
      b.set(exportedName, exposed);
    }
    b.set(n, v);
  }
  const labels = b.labels();
  const parts: string[] = [];
  labels.forEach((n, v) => {
    if (n !== METRIC_NAME) parts.push(`${n}=${quoteLabelValue(v)}`);
  });
  const prefix = parts.length === 0 ? name : `${name}{${parts.join(',')}}`;
  let series = byName.get(name);
  if (series === undefined) byName.set(name, (series = new Map()));
  let buffer = series.get(prefix);
  if (buffer === undefined) {
    buffer = { prefix, values: new Float64Array(scrapes), present: new Uint8Array(scrapes) };
    series.set(prefix, buffer);
  }
  return buffer;
}

class BufferedSink {
  private buf = '';

  constructor(private readonly out: Sink) {}

  /** add buffers `text` and says whether the buffer is full enough to flush. */
  add(text: string): boolean {
    this.buf += text;
    return this.buf.length >= FLUSH_BYTES;
  }

  async flush(): Promise<void> {
    if (this.buf === '') return;
    const text = this.buf;
    this.buf = '';
    await this.out(text);
  }
}
