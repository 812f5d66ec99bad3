import { Labels, METRIC_NAME } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import { AppendError, type Queryable } from '../../model/storage.js';
import { StaleNaN } from '../../model/value.js';
import { Head } from '../../tsdb/index.js';
import { VirtualClock } from '../../util/clock.js';
import type { LoadCommand } from './script.js';
import { parseGoNumber } from './number.js';
import { POINT_FLOAT, POINT_HISTOGRAM, POINT_STALE } from './sequence.js';

/** A year in ms: how far behind the clock the head still accepts samples, beyond the script's data. */
const RETENTION_SLACK_MS = 365 * 24 * 3600_000;

/**
 * TestStorage is what a script's commands run against between two `clear`s: a fresh in-memory
 * Head holding the float samples, plus what the Head cannot hold but evals must know about, the
 * series that carry native-histogram samples (`{{...}}` points, and the NHCB series that
 * `load_with_nhcb` derives) or start timestamps (`@st` lines).
 */
export class TestStorage {
  readonly head: Head;
  private readonly histogramSeries: Labels[] = [];
  private readonly startTimestampSeries: Labels[] = [];
  private allHaveStartTimestamps = false;

  /** maxT is the latest sample timestamp (ms) the script will load; the head's clock sits past it. */
  constructor(maxT: number) {
    const now = Math.max(0, maxT) + 1;
    this.head = new Head({ retentionMs: now + RETENTION_SLACK_MS, clock: new VirtualClock(now), completedSlabBytes: 1 << 16 });
  }

  get queryable(): Queryable {
    return this.head;
  }

  /**
   * load appends a load block's float samples and staleness markers in one transaction. A sample
   * the head refuses is reported (the first one) and the rest are still committed.
   */
  load(cmd: LoadCommand): string | undefined {
    const app = this.head.appender();
    let firstError: string | undefined;
    for (const s of cmd.series) {
      const kinds = s.points.kinds;
      const values = s.points.values;
      let hasHistogram = false;
      let ref = 0;
      for (let i = 0; i < kinds.length; i++) {
        const kind = kinds[i];
        if (kind !== POINT_FLOAT && kind !== POINT_STALE) {
          if (kind === POINT_HISTOGRAM) hasHistogram = true;
          continue;
        }
        try {
          ref = app.append(s.labels, i * cmd.stepMs, kind === POINT_STALE ? StaleNaN : values[i]!, ref);
        } catch (err) {
          if (!(err instanceof AppendError)) throw err;
          firstError ??= `line ${s.line}: ${s.labels.toString()} at t=${i * cmd.stepMs}: ${err.message}`;
        }
      }
      if (hasHistogram) this.histogramSeries.push(s.labels);
    }
    app.commit();
    if (cmd.withNHCB) for (const l of nhcbSeries(cmd)) this.histogramSeries.push(l);
    if (cmd.startTimestamps.all) this.allHaveStartTimestamps = true;
    for (const l of cmd.startTimestamps.labels) this.startTimestampSeries.push(l);
    return firstError;
  }

  /** selectsHistograms returns a native-histogram series the matchers select, if any. */
  selectsHistograms(matchers: readonly Matcher[]): Labels | undefined {
    return this.histogramSeries.find((l) => matchesAll(l, matchers));
  }

  /** selectsStartTimestamps returns a series with start timestamps the matchers select, if any. */
  selectsStartTimestamps(matchers: readonly Matcher[]): Labels | undefined {
    if (this.allHaveStartTimestamps) return Labels.EMPTY;
    return this.startTimestampSeries.find((l) => matchesAll(l, matchers));
  }
}

function matchesAll(labels: Labels, matchers: readonly Matcher[]): boolean {
  return matchers.every((m) => m.matches(labels.get(m.name)));
}

const HISTOGRAM_SUFFIX = /^(.*)_(bucket|count|sum)$/;

/**
 * nhcbSeries lists the native histograms with custom buckets that load_with_nhcb derives from the
 * block's classic histograms: `x_bucket{le=...}`, `x_count` and `x_sum` become series `x` without
 * `le` (convertnhcb.GetHistogramMetricBase); a bucket whose `le` is not a number is ignored.
 */
export function nhcbSeries(cmd: LoadCommand): Labels[] {
  const out = new Map<string, Labels>();
  for (const s of cmd.series) {
    const m = HISTOGRAM_SUFFIX.exec(s.labels.metricName);
    if (m === null) continue;
    if (m[2] === 'bucket') {
      const le = parseGoNumber(s.labels.get('le'));
      if (le === undefined || Number.isNaN(le)) continue;
    }
    const entries: [string, string][] = [];
    s.labels.forEach((n, v) => {
      if (n !== 'le' && n !== METRIC_NAME) entries.push([n, v]);
    });
    entries.push([METRIC_NAME, m[1]!]);
    const base = Labels.from(entries);
    out.set(base.key, base);
  }
  return [...out.values()];
}
