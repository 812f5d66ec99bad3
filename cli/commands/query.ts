import { existsSync } from 'node:fs';
import type { Labels } from '../../model/labels.js';
import { encodeQueryData, formatSampleValue } from '../../promql/api/encode.js';
import { ParamError, parseDurationNs, parseTime } from '../../promql/api/params.js';
import { Engine, type QueryResult } from '../../promql/engine.js';
import { ParseError, PromQLError } from '../../promql/errors.js';
import type { Value } from '../../promql/value.js';
import { openTSDB, TSDBError } from '../../tsdb/index.js';
import { systemClock } from '../../util/clock.js';
import { createLogger } from '../../util/log.js';
import { type Command, EXIT_FAILURE, EXIT_OK, stringFlag, UsageError } from '../command.js';

const YEAR = 365 * 24 * 3600_000;
/** A range query may return at most this many points per series, as the HTTP API allows. */
const MAX_POINTS = 11_000;

export const queryCommand: Command = {
  name: 'query',
  summary: 'evaluate a PromQL expression against a data directory',
  usage: `Usage: vigil query EXPR --data DIR [--time T | --start T --end T --step D] [--json]

Evaluates the PromQL expression EXPR against the store in DIR and prints the result: an instant
query at --time (default now), or, when any of --start, --end or --step is given, a range query
from --start (default --end minus 5m) to --end (default now) every --step (default the range
divided by 250, at least 1s), as /api/v1/query and /api/v1/query_range evaluate them.

Times are RFC 3339 (2024-05-01T12:00:00Z) or Unix seconds; --step is a duration (15s, 1m) or
seconds. Output is a table: for an instant vector one line per series (labels, value, time),
for a range one block per series; --json prints the "data" of the HTTP API's JSON answer instead.
Warnings and infos go to standard error.

The store is opened as 'vigil tsdb' opens it, taking the directory's lock, so this refuses a
directory that a running vigil uses. Ask that vigil over HTTP instead, for example:
  curl 'http://127.0.0.1:9470/api/v1/query' --data-urlencode 'query=EXPR'

Exit codes: 0 the query ran, 1 it failed (a parse error shows where) or the store cannot be
opened, 2 bad command line.

Flags:
  --data DIR         data directory (required)
  --time T           evaluation time of an instant query (default now)
  --start T          start of a range query
  --end T            end of a range query
  --step D           resolution of a range query
  --json             print the API's JSON "data"
  -h, --help         show this help
`,
  options: {
    data: { type: 'string' },
    time: { type: 'string' },
    start: { type: 'string' },
    end: { type: 'string' },
    step: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one EXPR');
    const expr = positionals[0]!;
    const dir = stringFlag(values, 'data');
    if (dir === undefined) throw new UsageError('--data DIR is required');
    const plan = planQuery(values);
    // openTSDB creates a missing directory; a query must not.
    if (!existsSync(dir)) throw new Error(`data directory ${dir} does not exist`);
    let db;
    try {
      db = await openTSDB({
        dir,
        // A command-line tool must never delete data: retention is as long as the data needs.
        retentionMs: 100 * YEAR,
        walFsyncIntervalMs: 0,
        clock: systemClock,
        logger: createLogger({ level: 'warn' }),
      });
    } catch (err) {
      if (err instanceof TSDBError && err.code === 'locked') {
        throw new Error(`${err.message} (such as: curl 'http://<listen address>/api/v1/query' --data-urlencode 'query=...')`);
      }
      throw err;
    }
    let result: QueryResult;
    try {
      const engine = new Engine();
      result =
        plan.kind === 'instant'
          ? await engine.instantQuery(db, expr, plan.time)
          : await engine.rangeQuery(db, expr, plan.start, plan.end, plan.stepMs);
    } catch (err) {
      if (!(err instanceof PromQLError)) throw err;
      io.stderr(`vigil query: ${err.message}\n${err instanceof ParseError ? pointAt(expr, err) : ''}`);
      return EXIT_FAILURE;
    } finally {
      await db.close();
    }
    for (const w of result.warnings) io.stderr(`warning: ${w}\n`);
    for (const i of result.infos) io.stderr(`info: ${i}\n`);
    io.stdout(values['json'] === true ? encodeQueryData(result.value).json + '\n' : renderTable(result.value));
    return EXIT_OK;
  },
};

type Plan = { kind: 'instant'; time: number } | { kind: 'range'; start: number; end: number; stepMs: number };

/** planQuery reads the time flags as the HTTP API reads its parameters; a bad one is a usage error. */
function planQuery(values: Record<string, unknown>): Plan {
  const flag = <T>(name: string, read: (s: string) => T): T | undefined => {
    const s = stringFlag(values, name);
    if (s === undefined) return undefined;
    try {
      return read(s);
    } catch (err) {
      if (err instanceof ParamError) throw new UsageError(`--${name}: ${err.message}`);
      throw err;
    }
  };
  const time = flag('time', parseTime);
  const start = flag('start', parseTime);
  const end = flag('end', parseTime);
  const stepNs = flag('step', parseDurationNs);
  if (start === undefined && end === undefined && stepNs === undefined) return { kind: 'instant', time: time ?? Date.now() };
  if (time !== undefined) throw new UsageError('--time is for an instant query; a range query takes --start, --end and --step');
  const e = end ?? Date.now();
  const s = start ?? e - 5 * 60_000;
  if (e < s) throw new UsageError('--end must not be before --start');
  // promtool's default: the range in 250 steps, whole seconds, at least one.
  const stepMs = stepNs === undefined ? Math.max(Math.floor((e - s) / 1000 / 250), 1) * 1000 : Math.trunc(stepNs / 1e6);
  if (stepMs <= 0) throw new UsageError('--step must be at least 1ms');
  if ((e - s) / stepMs > MAX_POINTS) throw new UsageError(`--step is too small: more than ${MAX_POINTS} points per series; use a larger step`);
  return { kind: 'range', start: s, end: e, stepMs };
}

/** pointAt shows the query line that holds a parse error with a caret under its column. */
function pointAt(query: string, err: ParseError): string {
  const line = query.split('\n')[err.line - 1] ?? '';
  return `  ${line}\n  ${' '.repeat(Math.max(0, err.column - 1))}^\n`;
}

/** renderTable prints a value for people: a table of series, values and times. */
export function renderTable(value: Value): string {
  switch (value.type) {
    case 'scalar':
      return table([['VALUE', 'TIME'], [formatSampleValue(value.scalar.v), time(value.scalar.t)]]);
    case 'string':
      return table([['STRING', 'TIME'], [JSON.stringify(value.string.s), time(value.string.t)]]);
    case 'vector':
      if (value.vector.length === 0) return 'empty vector: no series\n';
      return table([['SERIES', 'VALUE', 'TIME'], ...value.vector.map((s) => [series(s.metric, s.dropName), formatSampleValue(s.v), time(s.t)])]);
    case 'matrix': {
      if (value.matrix.length === 0) return 'empty matrix: no series\n';
      const blocks = value.matrix.map((s) => {
        const rows = s.ts.map((t, i) => ['  ' + time(t), formatSampleValue(s.vs[i]!)]);
        return `${series(s.metric, s.dropName)}\n${table(rows)}`;
      });
      return blocks.join('\n');
    }
  }
}

function series(metric: Labels, dropName?: boolean): string {
  return (dropName === true ? metric.without('__name__') : metric).toSeriesString();
}

function time(t: number): string {
  return new Date(t).toISOString().replace('.000Z', 'Z');
}

/** table pads every column but the last to its widest cell. */
function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}
