import type { Labels } from '../../model/labels.js';
import type { Appendable, SeriesRef } from '../../model/storage.js';
import { AppendError } from '../../model/storage.js';
import { StaleNaN } from '../../model/value.js';
import { parseSeriesDesc, SeriesSyntaxError } from '../../promql/promqltest/series.js';
import { POINT_FLOAT, POINT_HISTOGRAM, POINT_STALE } from '../../promql/promqltest/sequence.js';

/**
 * InputSeries is one `input_series` entry, expanded: `values` in the promqltest notation
 * (`0+600x180`, `_`, `stale`, `_x3`) becomes one slot per `interval` step from t=0.
 */
export interface InputSeries {
  readonly labels: Labels;
  /** samples are the present slots: t = slot × interval (ms), v may be the staleness marker. */
  readonly samples: readonly { readonly t: number; readonly v: number }[];
}

/** SeriesTextError is a malformed series or value string; `index` is into the text it names. */
export class SeriesTextError extends Error {
  constructor(
    readonly part: 'series' | 'values' | 'labels',
    readonly index: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'SeriesTextError';
  }
}

/**
 * parseInputSeries reads one input series as promtool does: it joins `series` and `values` into a
 * `load` line (`<series> <values>`) and expands it. Errors say which of the two strings is wrong and
 * where in it. Native-histogram points (`{{...}}`) are refused: promtool 2.42 has none.
 */
export function parseInputSeries(series: string, values: string, intervalMs: number): InputSeries {
  if (values.trim() === '') throw new SeriesTextError('values', 0, 'expected at least one value, such as "0+1x10"');
  const line = `${series} ${values}`;
  let desc;
  try {
    desc = parseSeriesDesc(line);
  } catch (err) {
    if (!(err instanceof SeriesSyntaxError)) throw err;
    const at = err.column - 1;
    if (at < series.length) throw new SeriesTextError('series', at, err.reason);
    throw new SeriesTextError('values', Math.max(0, at - series.length - 1), err.reason);
  }
  const { kinds, values: vs } = desc.points;
  const samples: { t: number; v: number }[] = [];
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i];
    if (kind === POINT_HISTOGRAM) throw new SeriesTextError('values', 0, 'native histogram samples ({{...}}) are not supported in rule unit tests');
    if (kind === POINT_FLOAT) samples.push({ t: i * intervalMs, v: vs[i]! });
    else if (kind === POINT_STALE) samples.push({ t: i * intervalMs, v: StaleNaN });
  }
  return { labels: desc.labels, samples };
}

/**
 * parseMetric reads an `exp_samples` label set as Prometheus's parser.ParseMetric does:
 * `metric{a="b"}`, `{a="b"}`, `metric`, or the empty string for no labels (a scalar result).
 */
export function parseMetric(text: string): Labels {
  const trimmed = text.trim();
  // parseSeriesDesc wants points after the labels: give it one, and refuse anything else the
  // text carries after its label set (ParseMetric reads a label set and nothing more).
  const probe = trimmed === '' ? '{} 0' : `${trimmed} 0`;
  let desc;
  try {
    desc = parseSeriesDesc(probe);
  } catch (err) {
    if (!(err instanceof SeriesSyntaxError)) throw err;
    throw new SeriesTextError('labels', Math.min(err.column - 1, trimmed.length), err.reason);
  }
  if (desc.points.length !== 1) {
    const end = labelSetEnd(trimmed);
    throw new SeriesTextError('labels', end, `unexpected ${JSON.stringify(trimmed.slice(end).trim())} after the label set`);
  }
  return desc.labels;
}

/** labelSetEnd finds where a label set written as `name{...}` or `name` ends (for messages). */
function labelSetEnd(text: string): number {
  const brace = text.indexOf('}');
  let end = brace >= 0 ? brace + 1 : text.search(/\s/);
  if (end < 0) return text.length;
  while (end < text.length && /\s/.test(text[end]!)) end++;
  return end;
}

/**
 * SeriesLoader appends input series into a store lazily, up to a time, as promtool's LazyLoader
 * does: before each evaluation at t, every sample with timestamp <= t goes in, so a query never sees
 * input beyond the last evaluation (which matters for `promql_expr_test` at an `eval_time` between
 * two evaluations). When two entries have the same labels, the later one replaces the earlier, as
 * the promqltest `load` command does.
 */
export class SeriesLoader {
  private readonly pending: { labels: Labels; samples: readonly { t: number; v: number }[]; next: number; ref: SeriesRef }[];

  constructor(series: readonly InputSeries[]) {
    const byKey = new Map<string, InputSeries>();
    for (const s of series) {
      byKey.delete(s.labels.key);
      byKey.set(s.labels.key, s);
    }
    this.pending = [...byKey.values()].map((s) => ({ labels: s.labels, samples: s.samples, next: 0, ref: 0 }));
  }

  /**
   * appendTill appends every not yet appended sample with t <= `t` in one transaction. It returns
   * the first sample the store refused (out of order against a rule's output, say), if any.
   */
  appendTill(store: Appendable, t: number): string | undefined {
    const app = store.appender();
    let refused: string | undefined;
    for (const s of this.pending) {
      while (s.next < s.samples.length && s.samples[s.next]!.t <= t) {
        const sample = s.samples[s.next++]!;
        try {
          s.ref = app.append(s.labels, sample.t, sample.v, s.ref === 0 ? undefined : s.ref);
        } catch (err) {
          if (!(err instanceof AppendError)) throw err;
          refused ??= `${s.labels.toString()} at t=${sample.t}: ${err.message}`;
        }
      }
    }
    app.commit();
    return refused;
  }
}
