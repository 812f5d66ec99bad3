import { stat } from 'node:fs/promises';
import type { Queryable } from '../../model/storage.js';
import { Engine } from '../../promql/engine.js';
import { loadOpenMetricsFile } from '../../rules/backtest/openmetrics.js';
import { overlayQueryable } from '../../rules/backtest/overlay.js';
import { dataTimeRange } from '../../rules/backtest/range.js';
import { formatTimeline, isoTime, jsonTimeline } from '../../rules/backtest/report.js';
import { runBacktest, shadowedNames } from '../../rules/backtest/run.js';
import { loadRuleGroups } from '../../rules/unittest/load.js';
import { Head, openTSDB, type TSDB } from '../../tsdb/index.js';
import { VirtualClock } from '../../util/clock.js';
import { DurationError, formatDuration, parseDuration } from '../../util/duration.js';
import { createLogger } from '../../util/log.js';
import { engineQuery } from '../adapters.js';
import { type Command, EXIT_FAILURE, EXIT_OK, type IO, processIO, stringFlag, UsageError } from '../command.js';

/** A century in ms: history stores never refuse old samples, and never drop them. */
const CENTURY_MS = 100 * 365 * 24 * 3600_000;

/** History is the recorded data a backtest reads, and how to let go of it. */
interface History {
  readonly queryable: Queryable;
  readonly range: { min: number; max: number } | undefined;
  close(): Promise<void>;
}

/**
 * openHistory reads `--data`: a directory is opened as a vigil data directory (openTSDB replays it
 * and takes its lock, so a running vigil and a backtest never share it); a file is an OpenMetrics
 * text file imported into a fresh in-memory store. Its clock is virtual and frozen, so no
 * retention, checkpoint or fsync timer runs while the backtest reads.
 */
async function openHistory(path: string, io: IO, tty: boolean): Promise<History> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    throw new Error(`--data ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (isDir) {
    const db: TSDB = await openTSDB({
      dir: path,
      retentionMs: CENTURY_MS,
      walFsyncIntervalMs: 0,
      clock: new VirtualClock(Date.now()),
      logger: createLogger({ level: 'warn' }),
    });
    const stats = db.stats(1);
    const range = stats.minTime === undefined || stats.maxTime === undefined ? undefined : { min: stats.minTime, max: stats.maxTime };
    return { queryable: db, range, close: () => db.close() };
  }
  const head = new Head({ retentionMs: CENTURY_MS, clock: new VirtualClock(0) });
  let lastTenth = 0;
  let drawn = false;
  // Read in chunks: a long history at a short step is larger than one JavaScript string can be.
  await loadOpenMetricsFile(head, path, {
    onProgress: (done, total) => {
      if (tty) {
        io.stderr(`\rloading ${path}: ${done} of ${total} samples`);
        drawn = true;
        return;
      }
      const tenth = Math.floor((done / total) * 10);
      if (tenth > lastTenth) io.stderr(`loading ${path}: ${done} of ${total} samples\n`);
      lastTenth = tenth;
    },
  }).finally(() => {
    if (drawn) io.stderr('\n');
  });
  return { queryable: head, range: dataTimeRange(head), close: async () => {} };
}

/** parseTime reads RFC 3339 or Unix seconds. */
function parseTime(text: string, flag: string): number {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new UsageError(`${flag}: expected an RFC 3339 time or Unix seconds, got ${JSON.stringify(text)}`);
  return t;
}

/**
 * ProgressReporter draws a progress bar on a terminal and, elsewhere, a plain line at most every
 * tenth of the run, so logs of CI jobs stay short.
 */
function progressReporter(io: IO, tty: boolean): { update(done: number, total: number): void; finish(): void } {
  let lastTenth = -1;
  let drawn = false;
  let lastPercent = -1;
  return {
    update(done, total) {
      const fraction = total <= 0 ? 1 : done / total;
      if (tty) {
        const percent = Math.floor(fraction * 100);
        if (percent === lastPercent) return;
        lastPercent = percent;
        const width = 30;
        const filled = Math.round(fraction * width);
        io.stderr(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}% ${formatDuration(done)} of ${formatDuration(total)}`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(fraction * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      io.stderr(`backtest: ${tenth * 10}% (${formatDuration(done)} of ${formatDuration(total)})\n`);
    },
    finish() {
      if (drawn) io.stderr('\n');
    },
  };
}

export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'replay recorded data through rules and print when each alert would have fired',
  usage: `Usage: vigil backtest --rules PATH... --data FILE.om|DIR [--start T] [--end T] [--interval D] [--json]

Loads rule files (any kind vigil reads; SLOs are compiled to rules), reads history, and evaluates
every rule group over [start, end] on a virtual clock, as 'vigil run' would have: each group at its
evaluation interval, each rule's results stored before the next rule runs, so recording rules feed
later rules. Prints the timeline of alerts (when each alert, by name and labels, went pending,
fired and resolved), then a summary per alert (times fired, time firing) and any rule errors.

History is an OpenMetrics text file (timestamps in seconds, '# EOF' at the end; as written by
'vigil tsdb export' and 'vigil simulate --out'), read in chunks so that its size is bounded only by
memory for its samples, or a vigil data directory (opened read-mostly under its lock: stop the
vigil using it first). Series the rules themselves write (recorded names, ALERTS, ALERTS_FOR_STATE) are
hidden from the history, so the timeline shows what these rules produce, not what an older version
recorded. Alert state starts empty at the start time.

Queries use vigil's engine with Prometheus 3 semantics.

A progress bar goes to standard error on a terminal; elsewhere a line every 10%.
Exit codes: 0 done, 1 the rules or the data could not be read, 2 bad command line.

Flags:
  --rules PATH      rule file, directory or glob (repeatable; required)
  --data FILE|DIR   OpenMetrics file or data directory (required)
  --start T         RFC 3339 time or Unix seconds (default: the oldest sample)
  --end T           RFC 3339 time or Unix seconds (default: the newest sample)
  --interval D      evaluate every group at this interval, such as 30s or 1m (default: each
                    group's own interval, 1m for groups without one)
  --json            print the timeline as JSON
  -h, --help        show this help
`,
  options: {
    rules: { type: 'string', multiple: true },
    data: { type: 'string' },
    start: { type: 'string' },
    end: { type: 'string' },
    interval: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  allowPositionals: false,
  async run({ values }, io: IO) {
    const rulePaths = Array.isArray(values['rules']) ? (values['rules'] as string[]) : [];
    if (rulePaths.length === 0) throw new UsageError('--rules PATH is required');
    const data = stringFlag(values, 'data');
    if (data === undefined) throw new UsageError('--data FILE|DIR is required');
    const startFlag = stringFlag(values, 'start');
    const endFlag = stringFlag(values, 'end');
    let start = startFlag === undefined ? undefined : parseTime(startFlag, '--start');
    let end = endFlag === undefined ? undefined : parseTime(endFlag, '--end');
    const intervalFlag = stringFlag(values, 'interval');
    let intervalMs: number | undefined;
    if (intervalFlag !== undefined) {
      try {
        intervalMs = parseDuration(intervalFlag);
      } catch (err) {
        if (err instanceof DurationError) throw new UsageError(`--interval: ${err.message}`);
        throw err;
      }
      if (intervalMs <= 0) throw new UsageError('--interval must be positive');
    }
    if (start !== undefined && end !== undefined && end < start) throw new UsageError('--end is before --start');

    let loaded;
    try {
      loaded = loadRuleGroups(rulePaths);
    } catch (err) {
      io.stderr(`${(err as Error).message}\n`);
      return EXIT_FAILURE;
    }
    for (const w of loaded.warnings) io.stderr(`warning: ${w}\n`);
    if (loaded.groups.length === 0) {
      io.stderr(`no rule groups in ${rulePaths.join(', ')}\n`);
      return EXIT_FAILURE;
    }

    // A bar only makes sense when this run writes to the process's own terminal.
    const tty = io === processIO && process.stderr.isTTY === true;
    let history: History;
    try {
      history = await openHistory(data, io, tty);
    } catch (err) {
      io.stderr(`${(err as Error).message}\n`);
      return EXIT_FAILURE;
    }
    try {
      start ??= history.range?.min;
      end ??= history.range?.max;
      if (start === undefined || end === undefined) {
        io.stderr(`${data}: no samples, and no --start and --end to evaluate over\n`);
        return EXIT_FAILURE;
      }
      if (end < start) {
        io.stderr(`the time range is empty: ${isoTime(start)} is after ${isoTime(end)}\n`);
        return EXIT_FAILURE;
      }
      const results = new Head({ retentionMs: CENTURY_MS, clock: new VirtualClock(end) });
      const queryable = overlayQueryable(history.queryable, results, shadowedNames(loaded.groups));
      const engine = new Engine({ lookbackDeltaMs: 5 * 60_000, noStepSubqueryIntervalMs: intervalMs ?? 60_000, delayedNameRemoval: true });
      const progress = progressReporter(io, tty);
      const result = await runBacktest({
        groups: loaded.groups,
        queryFn: engineQuery(engine, queryable),
        appendable: results,
        start,
        end,
        ...(intervalMs === undefined ? {} : { intervalMs }),
        onProgress: (done, total) => progress.update(done, total),
      });
      progress.finish();
      io.stdout(values['json'] === true ? JSON.stringify(jsonTimeline(result), null, 2) + '\n' : formatTimeline(result));
      return EXIT_OK;
    } finally {
      await history.close();
    }
  },
};
