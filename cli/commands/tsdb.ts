import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseSeriesSelector, SelectorError } from '../../model/selector.js';
import { openTSDB, type TSDB } from '../../tsdb/index.js';
import { systemClock } from '../../util/clock.js';
import { createLogger } from '../../util/log.js';
import { type Command, type CommandGroup, EXIT_FAILURE, EXIT_OK, stringFlag, UsageError } from '../command.js';
import { exportOpenMetrics } from '../../tsdb/export.js';
import { importOpenMetrics } from '../../tsdb/import.js';

const DAY = 24 * 3600_000;

async function openForCli(values: Record<string, unknown>, opts: { retentionMs?: number } = {}): Promise<TSDB> {
  const dir = stringFlag(values, 'data');
  if (dir === undefined) throw new UsageError('--data DIR is required');
  return openTSDB({
    dir,
    // A command-line tool must never delete data: retention is as long as the data needs.
    retentionMs: opts.retentionMs ?? 100 * 365 * DAY,
    walFsyncIntervalMs: 0,
    clock: systemClock,
    logger: createLogger({ level: 'warn' }),
  });
}

const statsCommand: Command = {
  name: 'stats',
  summary: 'print series, samples, bytes per sample and top cardinalities',
  usage: `Usage: vigil tsdb stats --data DIR [--limit N] [--json]

Opens the store in DIR (replaying its write-ahead log) and prints what it holds, like
'promtool tsdb analyze': series, samples, chunk bytes, bytes per sample, the time range, the metric
names with the most series and the label names with the most values.

Flags:
  --data DIR    data directory (required)
  --limit N     how many names to list in each top list (default 10)
  --json        print the figures as JSON
  -h, --help    show this help
`,
  options: { data: { type: 'string' }, limit: { type: 'string', default: '10' }, json: { type: 'boolean', default: false } },
  allowPositionals: false,
  async run({ values }, io) {
    const limit = Number(stringFlag(values, 'limit'));
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive integer');
    const db = await openForCli(values);
    try {
      const stats = db.stats(limit);
      if (values['json'] === true) {
        io.stdout(JSON.stringify(stats, null, 2) + '\n');
        return EXIT_OK;
      }
      const time = (t: number | undefined) => (t === undefined ? '-' : new Date(t).toISOString());
      const lines = [
        `Time range: ${time(stats.minTime)} .. ${time(stats.maxTime)}`,
        `Series: ${stats.series}`,
        `Samples: ${stats.samples}`,
        `Chunks: ${stats.chunks}`,
        `Chunk bytes: ${stats.chunkBytes}`,
        `Bytes per sample: ${stats.samples === 0 ? '-' : stats.bytesPerSample.toFixed(3)}`,
        '',
        'Highest cardinality metric names:',
        ...stats.topMetricNames.map((m) => `${String(m.series).padStart(8)} ${m.name}`),
        '',
        'Highest cardinality labels:',
        ...stats.topLabelNames.map((l) => `${String(l.values).padStart(8)} ${l.name}`),
        '',
      ];
      io.stdout(lines.join('\n'));
      return EXIT_OK;
    } finally {
      await db.close();
    }
  },
};

const importCommand: Command = {
  name: 'import',
  summary: 'backfill an OpenMetrics file into a data directory',
  usage: `Usage: vigil tsdb import FILE --data DIR

Reads an OpenMetrics 1.0 text file (timestamps in seconds, ending in '# EOF'), as
'promtool tsdb create-blocks-from openmetrics' does, and appends every sample to the store in DIR.
Samples a series already has (same timestamp) or older than that series' newest sample are
skipped and counted. Prints progress on standard error for large files.

Exit codes: 0 imported, 1 the file does not parse (line:column: reason; nothing is imported) or
cannot be read, 2 bad command line.

Flags:
  --data DIR    data directory (required; created when missing)
  --json        print the summary as JSON
  -h, --help    show this help
`,
  options: { data: { type: 'string' }, json: { type: 'boolean', default: false } },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one FILE');
    const file = positionals[0]!;
    const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new Error(`cannot read ${file}: ${err.code ?? err.message}`);
    });
    const db = await openForCli(values);
    try {
      let progressShown = false;
      const progress = (done: number, total: number) => {
        progressShown = true;
        io.stderr(`\rimported ${done} of ${total} samples`);
      };
      const summary = importOpenMetrics(db, text, { onProgress: progress });
      if (progressShown) io.stderr('\n');
      if (summary.error !== undefined) {
        io.stderr(`${file}:${summary.error}\n`);
        return EXIT_FAILURE;
      }
      if (values['json'] === true) io.stdout(JSON.stringify(summary) + '\n');
      else {
        io.stdout(`imported ${summary.appended} samples of ${summary.series} series from ${file}`);
        const skipped = Object.entries(summary.rejected).map(([k, n]) => `${n} ${k.replaceAll('_', ' ')}`);
        io.stdout(skipped.length > 0 ? ` (skipped: ${skipped.join(', ')})\n` : '\n');
      }
      return EXIT_OK;
    } finally {
      await db.close();
    }
  },
};

const exportCommand: Command = {
  name: 'export',
  summary: 'write samples from a data directory as OpenMetrics text',
  usage: `Usage: vigil tsdb export --data DIR [--match SELECTOR] [--start T] [--end T] [--out FILE]

Writes the selected series as OpenMetrics 1.0 text (timestamps in seconds, '# EOF' at the end),
which 'vigil tsdb import' and 'promtool tsdb create-blocks-from openmetrics' read back.
Staleness markers are not written (OpenMetrics has no way to say them).

Flags:
  --data DIR         data directory (required)
  --match SELECTOR   series selector, such as 'up{job="api"}' (default: every series)
  --start T, --end T time range, RFC 3339 or Unix seconds (default: everything)
  --out FILE         write to FILE instead of standard output
  -h, --help         show this help
`,
  options: {
    data: { type: 'string' },
    match: { type: 'string' },
    start: { type: 'string' },
    end: { type: 'string' },
    out: { type: 'string' },
  },
  allowPositionals: false,
  async run({ values }, io) {
    let matchers;
    try {
      matchers = parseSeriesSelector(stringFlag(values, 'match') ?? '{__name__=~".+"}');
    } catch (err) {
      if (err instanceof SelectorError) throw new UsageError(`--match: ${err.message}`);
      throw err;
    }
    const start = parseTime(stringFlag(values, 'start'), Number.MIN_SAFE_INTEGER, '--start');
    const end = parseTime(stringFlag(values, 'end'), Number.MAX_SAFE_INTEGER, '--end');
    const db = await openForCli(values);
    try {
      const outFile = stringFlag(values, 'out');
      if (outFile === undefined) {
        exportOpenMetrics(db, matchers, start, end, io.stdout);
        return EXIT_OK;
      }
      const stream = createWriteStream(outFile);
      exportOpenMetrics(db, matchers, start, end, (text) => stream.write(text));
      await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
      return EXIT_OK;
    } finally {
      await db.close();
    }
  },
};

function parseTime(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new UsageError(`${flag}: expected RFC 3339 time or Unix seconds, got ${JSON.stringify(text)}`);
  return t;
}

/** tsdbCommands is `vigil tsdb`. */
export const tsdbCommands: CommandGroup = {
  name: 'tsdb',
  summary: 'Inspect, backfill and export a data directory.',
  commands: [statsCommand, importCommand, exportCommand],
};
