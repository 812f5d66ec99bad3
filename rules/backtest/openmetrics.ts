import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { flattenString, newParser, ParseError, type Parser } from '../../collectors/textparse/index.js';
import { Labels } from '../../model/labels.js';
import { AppendError, type Appendable, type Appender, type AppendErrorCode, type SeriesRef } from '../../model/storage.js';

const OPENMETRICS = 'application/openmetrics-text; version=1.0.0';
const EOF_LINE = '# EOF';
/** BATCH is how many samples go in one transaction, as `vigil tsdb import` commits them. */
const BATCH = 10_000;
/** DEFAULT_CHUNK_BYTES is how much of a file is read at once: one piece is parsed per chunk. */
const DEFAULT_CHUNK_BYTES = 1 << 20;

/** HistorySummary is what reading an OpenMetrics history found and appended. */
export interface HistorySummary {
  /** samples in the text. */
  samples: number;
  series: number;
  /** appended samples (0 when only checking). */
  appended: number;
  /** skipped samples by reason (out of order, duplicate timestamp, out of bounds). */
  rejected: Partial<Record<AppendErrorCode, number>>;
}

/**
 * OpenMetricsStream reads an OpenMetrics 1.0 text (timestamps in seconds, `# EOF` last) that
 * arrives in chunks of any size, so that a history larger than the longest string V8 can hold
 * (about 512 MiB) never has to exist as one string. Each write() parses the complete lines seen so
 * far as one piece (a document of its own, `# EOF` added) and keeps the unfinished last line for
 * the next; the OpenMetrics grammar has no rule that spans lines except `# EOF` being last, which
 * the stream checks itself. Samples of one series may be spread over any number of pieces.
 *
 * With an Appendable, every sample is appended (in transactions of 10,000 samples) as it is
 * parsed: samples before a fault stay appended. Without one the text is only checked and counted,
 * which is how loadOpenMetricsFile makes a malformed file import nothing.
 *
 * write() and end() throw ParseError with the 1-based line and column in the whole text, or an
 * Error for a sample without a timestamp (a backfill has no "now" to give it); after a throw the
 * stream MUST NOT be used again.
 */
export class OpenMetricsStream {
  private rest = '';
  /** lines: complete lines consumed so far, the line offset of the next piece. */
  private lines = 0;
  private eof = false;
  private readonly known = new Map<string, { labels: Labels; ref: SeriesRef }>();
  private app: Appender | undefined;
  private inBatch = 0;
  readonly summary: HistorySummary = { samples: 0, series: 0, appended: 0, rejected: {} };

  /** onBatch is told the samples parsed so far, after each committed batch. */
  constructor(
    private readonly db?: Appendable,
    private readonly onBatch?: (samples: number) => void,
  ) {}

  /** write takes the next chunk of the text. */
  write(chunk: string): void {
    if (chunk === '') return;
    const text = this.rest + chunk;
    const cut = text.lastIndexOf('\n');
    if (cut < 0) {
      this.rest = text;
      return;
    }
    this.rest = text.slice(cut + 1);
    this.piece(text.slice(0, cut + 1));
  }

  /** end reads the text's last line (which may lack a newline), checks the text ended with `# EOF`, and commits. */
  end(): HistorySummary {
    const last = this.rest;
    this.rest = '';
    if (last !== '') this.piece(last);
    if (!this.eof) throw new ParseError(this.lines + 1, last.length + 1, 'data does not end with # EOF');
    this.app?.commit();
    this.app = undefined;
    this.summary.series = this.known.size;
    return this.summary;
  }

  /** piece parses whole lines (the last one may lack its newline only at the end of the text). */
  private piece(text: string): void {
    if (this.eof) throw new ParseError(this.lines + 1, 1, 'unexpected data after # EOF');
    const endsWithEof = text === EOF_LINE || text === EOF_LINE + '\n' || text.endsWith('\n' + EOF_LINE + '\n') || text.endsWith('\n' + EOF_LINE);
    const parser = newParser(endsWithEof ? text : text + EOF_LINE + '\n', OPENMETRICS);
    try {
      let kind;
      while ((kind = parser.next()) !== null) {
        if (kind !== 'series') continue;
        this.sample(parser.seriesKey(), parser);
      }
    } catch (err) {
      if (err instanceof ParseError) throw new ParseError(err.line + this.lines, err.column, err.reason);
      throw err;
    }
    this.eof = endsWithEof;
    this.lines += countNewlines(text);
  }

  private sample(key: string, parser: Parser): void {
    const summary = this.summary;
    summary.samples++;
    const t = parser.timestamp();
    if (t === undefined) throw new Error(`${key}: sample without a timestamp cannot be backfilled`);
    let series = this.known.get(key);
    if (series === undefined) {
      // labels() finds a label name repeated in the series: once per series is enough. Its
      // strings are cut from this piece; copies keep the store from holding every piece alive.
      series = { labels: Labels.fromSorted(parser.labels().toFlat().map(flattenString)), ref: 0 };
      this.known.set(flattenString(key), series);
    }
    if (this.db === undefined) return;
    this.app ??= this.db.appender();
    try {
      series.ref = this.app.append(series.labels, t, parser.value(), series.ref === 0 ? undefined : series.ref);
      summary.appended++;
    } catch (err) {
      if (!(err instanceof AppendError)) throw err;
      summary.rejected[err.code] = (summary.rejected[err.code] ?? 0) + 1;
    }
    if (++this.inBatch >= BATCH) {
      this.app.commit();
      this.app = undefined;
      this.inBatch = 0;
      this.onBatch?.(summary.samples);
    }
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** LoadOptions tune loadOpenMetricsFile. */
export interface LoadOptions {
  /** onProgress is told the samples appended so far and the file's total, every 10,000 samples and at the end. */
  readonly onProgress?: (done: number, total: number) => void;
  /** chunkBytes is how much is read at once (default 1 MiB); tests make it small. */
  readonly chunkBytes?: number;
}

/**
 * loadOpenMetricsFile backfills an OpenMetrics file into `db` as `vigil tsdb import` would, reading
 * it in chunks, twice: the first pass checks the whole file and counts its samples, the second
 * appends them. So a malformed file appends nothing, progress has a total, and no pass holds more
 * than a chunk of the file as a string, however large the file is (a history beyond about
 * 512 MiB cannot be one JavaScript string at all). Throws an Error whose message starts with
 * `path:line:column: ` for a malformed file, or `path: cannot read: CODE` when it cannot be read.
 */
export async function loadOpenMetricsFile(db: Appendable, path: string, opts: LoadOptions = {}): Promise<HistorySummary> {
  const chunkBytes = opts.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  try {
    await stat(path);
  } catch (err) {
    throw new Error(`${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const check = new OpenMetricsStream();
  await pump(path, chunkBytes, check);
  const total = check.summary.samples;
  const load = new OpenMetricsStream(db, (done) => opts.onProgress?.(done, total));
  const summary = await pump(path, chunkBytes, load);
  if (total >= BATCH && total % BATCH !== 0) opts.onProgress?.(total, total);
  return summary;
}

async function pump(path: string, chunkBytes: number, stream: OpenMetricsStream): Promise<HistorySummary> {
  const input = createReadStream(path, { encoding: 'utf8', highWaterMark: chunkBytes });
  try {
    for await (const chunk of input) stream.write(chunk as string);
    return stream.end();
  } catch (err) {
    if (err instanceof ParseError) throw new Error(`${path}:${err.message}`);
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new Error(`${path}: cannot read: ${code}`);
    throw new Error(`${path}: ${(err as Error).message}`);
  } finally {
    input.destroy();
  }
}
