import { newParser, ParseError } from '../collectors/textparse/index.js';
import type { Labels } from '../model/labels.js';
import { AppendError, type Appendable, type AppendErrorCode, type SeriesRef } from '../model/storage.js';

const OPENMETRICS = 'application/openmetrics-text; version=1.0.0';
/** BATCH is how many samples go in one transaction: large enough to amortise the WAL record. */
const BATCH = 10_000;

/** ImportSummary is what a backfill did. */
export interface ImportSummary {
  /** samples in the file. */
  samples: number;
  /** appended samples. */
  appended: number;
  series: number;
  /** skipped samples by reason (out of order, duplicate timestamp, out of bounds). */
  rejected: Partial<Record<AppendErrorCode, number>>;
  /** error is `line:column: reason` when the file does not parse; then nothing was imported. */
  error?: string;
}

/**
 * importOpenMetrics backfills an OpenMetrics text file (timestamps in seconds, `# EOF`), as
 * `promtool tsdb create-blocks-from openmetrics` reads it. The whole file is parsed before anything
 * is appended, so a malformed file imports nothing. Samples without a timestamp are an error,
 * since a backfill has no "now" to give them.
 */
export function importOpenMetrics(
  db: Appendable,
  text: string,
  opts: { onProgress?: (done: number, total: number) => void } = {},
): ImportSummary {
  const summary: ImportSummary = { samples: 0, appended: 0, series: 0, rejected: {} };
  try {
    const check = newParser(text, OPENMETRICS);
    let kind;
    while ((kind = check.next()) !== null) {
      if (kind !== 'series') continue;
      summary.samples++;
      if (check.timestamp() === undefined) {
        summary.error = `${check.seriesKey()}: sample without a timestamp cannot be backfilled`;
        return summary;
      }
    }
  } catch (err) {
    if (err instanceof ParseError) {
      summary.error = err.message;
      return summary;
    }
    throw err;
  }

  const known = new Map<string, { labels: Labels; ref: SeriesRef }>();
  const parser = newParser(text, OPENMETRICS);
  let app = db.appender();
  let inBatch = 0;
  let done = 0;
  let kind;
  while ((kind = parser.next()) !== null) {
    if (kind !== 'series') continue;
    const key = parser.seriesKey();
    let series = known.get(key);
    if (series === undefined) {
      series = { labels: parser.labels(), ref: 0 };
      known.set(key, series);
    }
    try {
      series.ref = app.append(series.labels, parser.timestamp()!, parser.value(), series.ref === 0 ? undefined : series.ref);
      summary.appended++;
    } catch (err) {
      if (!(err instanceof AppendError)) throw err;
      summary.rejected[err.code] = (summary.rejected[err.code] ?? 0) + 1;
    }
    done++;
    if (++inBatch >= BATCH) {
      app.commit();
      app = db.appender();
      inBatch = 0;
      opts.onProgress?.(done, summary.samples);
    }
  }
  app.commit();
  if (summary.samples >= BATCH) opts.onProgress?.(done, summary.samples);
  summary.series = known.size;
  return summary;
}
