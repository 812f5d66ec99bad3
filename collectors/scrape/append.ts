import { Labels, LabelsBuilder, METRIC_NAME } from '../../model/labels.js';
import { AppendError, type Appender, type AppendErrorCode } from '../../model/storage.js';
import { StaleNaN } from '../../model/value.js';
import type { MetricType } from '../textparse/index.js';
import { newParser } from '../textparse/index.js';
import { relabelStep } from '../relabel/relabel.js';
import type { ScrapeCache } from './cache.js';
import type { ScrapeConfig } from './config.js';
import { withLabelLimits, withSampleLimit } from './limits.js';

/** FamilyMetadata is what a target said about a metric family in HELP, TYPE and UNIT lines. */
export interface FamilyMetadata {
  type: MetricType;
  help: string;
  unit: string;
}

/** AppendResult counts one body's samples, as the scrape report series do. */
export interface AppendResult {
  /** total is the number of samples in the body (scrape_samples_scraped). */
  total: number;
  /** added is the number kept after metric_relabel_configs (scrape_samples_post_metric_relabeling). */
  added: number;
  /** seriesAdded counts series new to the scrape cache (scrape_series_added). */
  seriesAdded: number;
  /** rejected counts samples the store refused, by reason; they do not fail the scrape. */
  rejected: Partial<Record<AppendErrorCode, number>>;
  /** warnings are quirks the parser tolerated, such as a missing final newline. */
  warnings: string[];
  metadata: Map<string, FamilyMetadata>;
}

/** TargetContext is what appendBody needs to know about the target. */
export interface TargetContext {
  readonly config: ScrapeConfig;
  readonly targetLabels: Labels;
  readonly cache: ScrapeCache;
}

/**
 * appendBody parses `body` and appends its samples to `app` at `defaultT` (ms), using and updating
 * the target's scrape cache, then appends staleness markers for series that vanished since the
 * previous successful scrape. It throws ParseError or LimitError when the body must be rejected as
 * a whole; the caller then rolls `app` back. An empty body with no content type is valid: it is
 * how a failed scrape marks every earlier series stale.
 */
export function appendBody(
  ctx: TargetContext,
  rawApp: Appender,
  body: string,
  contentType: string | undefined,
  defaultT: number,
): AppendResult {
  const { config, cache } = ctx;
  const app = withLabelLimits(withSampleLimit(rawApp, config.sampleLimit), config);
  const result: AppendResult = { total: 0, added: 0, seriesAdded: 0, rejected: {}, warnings: [], metadata: new Map() };
  const iter = cache.iter;
  const honorTimestamps = config.honorTimestamps;
  const parser = newParser(body, contentType);
  let kind;
  let index = 0;
  let expected = cache.expected(0);
  while ((kind = parser.next(expected?.key)) !== null) {
    if (kind !== 'series') {
      if (kind === 'type' || kind === 'help' || kind === 'unit') recordMetadata(result.metadata, parser, kind);
      continue;
    }
    result.total++;
    const key = parser.seriesKey();
    const explicitT = honorTimestamps ? parser.timestamp() : undefined;
    const t = explicitT ?? defaultT;
    const v = parser.value();
    let entry = expected !== undefined && key === expected.key ? expected : cache.get(key);
    expected = cache.expected(++index);
    let isNew = false;
    if (entry === undefined) {
      const labels = mutateSampleLabels(ctx, parser.labels());
      entry = cache.add(key, labels, explicitT === undefined);
      isNew = true;
    }
    cache.placed(entry);
    if (entry.labels === undefined) {
      cache.seen(entry, t);
      continue;
    }
    if (entry.lastIter === iter && t <= entry.lastT) {
      // The same series twice in one body: Prometheus stores the first and counts the rest.
      countRejected(result, t === entry.lastT ? 'duplicate_sample_for_timestamp' : 'out_of_order');
      continue;
    }
    try {
      entry.ref = app.append(entry.labels, t, v, entry.ref === 0 ? undefined : entry.ref);
    } catch (err) {
      if (!(err instanceof AppendError)) throw err;
      countRejected(result, err.code);
      cache.seen(entry, t);
      continue;
    }
    if (isNew) result.seriesAdded++;
    result.added++;
    cache.seen(entry, t);
  }
  for (const w of parser.warnings()) result.warnings.push(`line ${w.line}: ${w.message}`);
  for (const gone of cache.vanished()) {
    try {
      gone.ref = rawApp.append(gone.labels!, defaultT, StaleNaN, gone.ref === 0 ? undefined : gone.ref);
    } catch (err) {
      // A series that already has a later sample cannot go stale now; that is fine.
      if (!(err instanceof AppendError)) throw err;
    }
  }
  return result;
}

function countRejected(result: AppendResult, code: AppendErrorCode): void {
  result.rejected[code] = (result.rejected[code] ?? 0) + 1;
}

function recordMetadata(
  metadata: Map<string, FamilyMetadata>,
  parser: ReturnType<typeof newParser>,
  kind: 'type' | 'help' | 'unit',
): void {
  const name = parser.metricFamily();
  let m = metadata.get(name);
  if (m === undefined) {
    m = { type: 'unknown', help: '', unit: '' };
    metadata.set(name, m);
  }
  if (kind === 'type') m.type = parser.type();
  else if (kind === 'help') m.help = parser.help();
  else m.unit = parser.unit();
}

/**
 * mutateSampleLabels attaches the target's labels to a scraped series and applies
 * metric_relabel_configs, as Prometheus does: with honor_labels the series' own labels win;
 * otherwise the target's win and a clashing exposed label is kept as `exported_<name>`.
 * It returns undefined when relabelling drops the series, and throws InvalidSeriesError (which
 * fails the scrape, as in Prometheus) when the series has no metric name left.
 */
export function mutateSampleLabels(ctx: TargetContext, exposed: Labels): Labels | undefined {
  if (ctx.config.metricRelabelConfigs.length === 0) {
    const merged = mergeTargetLabels(exposed, ctx.targetLabels, ctx.config.honorLabels);
    if (merged !== undefined) return merged;
  }
  const b = new LabelsBuilder(exposed);
  if (ctx.config.honorLabels) {
    ctx.targetLabels.forEach((n, v) => {
      if (b.get(n) === '') b.set(n, v);
    });
  } else {
    const conflicts: [string, string][] = [];
    ctx.targetLabels.forEach((n, v) => {
      const existing = exposed.get(n);
      if (existing !== '') conflicts.push([n, existing]);
      b.set(n, v);
    });
    // Shorter names first, as Prometheus resolves them, so the chosen exported_* names agree.
    conflicts.sort((a, b) => a[0].length - b[0].length);
    for (const [name, value] of conflicts) {
      let exportedName = 'exported_' + name;
      while (b.get(exportedName) !== '' || ctx.targetLabels.has(exportedName)) exportedName = 'exported_' + exportedName;
      b.set(exportedName, value);
    }
  }
  for (const step of ctx.config.metricRelabelConfigs) {
    if (!relabelStep(b, step)) return undefined;
  }
  const labels = b.labels();
  if (labels.size === 0) return undefined;
  if (labels.get(METRIC_NAME) === '') throw new InvalidSeriesError('missing metric name (__name__ label)');
  return labels;
}

/**
 * mergeTargetLabels is mutateSampleLabels' common case in one linear merge of two sorted label
 * sets: no relabelling, and no exposed label clashing with a target label (unless honor_labels
 * settles it). It returns undefined when a clash needs exported_* names.
 */
function mergeTargetLabels(exposed: Labels, target: Labels, honorLabels: boolean): Labels | undefined {
  const a = exposed.toFlat();
  const b = target.toFlat();
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const an = a[i];
    const bn = b[j];
    if (bn === undefined || (an !== undefined && an < bn)) {
      out.push(an!, a[i + 1]!);
      i += 2;
    } else if (an === undefined || bn < an) {
      out.push(bn, b[j + 1]!);
      j += 2;
    } else {
      if (!honorLabels) return undefined;
      out.push(an, a[i + 1]!);
      i += 2;
      j += 2;
    }
  }
  // Target labels never start with "__", so the exposed metric name survives the merge.
  return Labels.fromSorted(out);
}

/** InvalidSeriesError rejects a body holding a series that cannot be stored. */
export class InvalidSeriesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSeriesError';
  }
}
