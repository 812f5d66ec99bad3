import { ByteWriter } from './bytes.js';
import { writeQueryData } from './encode.js';
import { ApiError, fromEngineError, invalidParam } from './errors.js';
import type { Form } from './form.js';
import { parseDurationNs, parseLimit, parseTime, parseTimeParam } from './params.js';
import type { PerQueryOptions, QueryAPIOptions, QueryOutcome, Reply } from './types.js';

const DEFAULT_QUERY_TIMEOUT_MS = 2 * 60_000;
/** A range query may return at most this many points per series (Prometheus's safety limit). */
const MAX_POINTS = 11_000n;
const TRUNCATED = 'results truncated due to limit';

/**
 * param runs one parameter's parser and words its failure as Prometheus does. Parameters are read
 * in Prometheus's order, so a request wrong in two ways is told of the same fault.
 */
function param<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw invalidParam(name, (err as Error).message);
  }
}

/**
 * perQuery reads `timeout` and `lookback_delta`. The request's timeout can only shorten the
 * server's (Prometheus takes the earlier of its --query.timeout and the request's deadline); a
 * lookback delta <= 0 means the engine's default.
 */
function perQuery(form: Form, opts: QueryAPIOptions): PerQueryOptions {
  let timeoutMs = opts.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const to = form.value('timeout');
  if (to !== '') timeoutMs = Math.min(timeoutMs, param('timeout', () => parseDurationNs(to)) / 1e6);
  const lb = form.value('lookback_delta');
  if (lb === '') return { timeoutMs };
  let lookbackNs: number;
  try {
    lookbackNs = parseDurationNs(lb);
  } catch (err) {
    throw new ApiError('bad_data', `error parsing lookback delta duration: ${(err as Error).message}`);
  }
  const lookbackDeltaMs = Math.trunc(lookbackNs / 1e6);
  return lookbackDeltaMs > 0 ? { timeoutMs, lookbackDeltaMs } : { timeoutMs };
}

function reply(outcome: QueryOutcome, limit: number): Reply {
  const w = new ByteWriter();
  const { truncated } = writeQueryData(w, outcome.value, limit);
  return { data: w.bytes(), warnings: truncated ? [...outcome.warnings, TRUNCATED] : outcome.warnings, infos: outcome.infos };
}

/**
 * instantQuery serves `/api/v1/query`: `query`, `time` (default now), `timeout`, `lookback_delta`,
 * `limit` (at most that many series; Prometheus 3).
 */
export async function instantQuery(form: Form, opts: QueryAPIOptions): Promise<Reply> {
  const limit = param('limit', () => parseLimit(form.value('limit')));
  const t = param('time', () => parseTimeParam(form.value('time'), 'time', (opts.now ?? Date.now)()));
  const engine = opts.engine(perQuery(form, opts));
  let outcome: QueryOutcome;
  try {
    outcome = await engine.instantQuery(opts.queryable, form.value('query'), t);
  } catch (err) {
    throw fromEngineError(err);
  }
  return reply(outcome, limit);
}

/**
 * rangeQuery serves `/api/v1/query_range`: `query`, `start`, `end`, `step` (all required), then
 * `timeout`, `lookback_delta`, `limit`, with Prometheus's checks: end not before start, a positive
 * step, at most 11,000 points per series.
 */
export async function rangeQuery(form: Form, opts: QueryAPIOptions): Promise<Reply> {
  const limit = param('limit', () => parseLimit(form.value('limit')));
  const start = param('start', () => parseTime(form.value('start')));
  const end = param('end', () => parseTime(form.value('end')));
  if (end < start) throw invalidParam('end', 'end timestamp must not be before start time');
  const stepNs = param('step', () => parseDurationNs(form.value('step')));
  if (stepNs <= 0) throw invalidParam('step', 'zero or negative query resolution step widths are not accepted. Try a positive integer');
  // Go divides the nanosecond range by the step as integers; BigInt keeps that exact past 2^53 ns.
  if ((BigInt(end - start) * 1_000_000n) / BigInt(stepNs) > MAX_POINTS) {
    throw new ApiError('bad_data', 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
  }
  const stepMs = Math.trunc(stepNs / 1e6);
  // Prometheus accepts a step under 1ms here and then fails dividing by a zero step; vigil says why.
  if (stepMs === 0) throw invalidParam('step', 'query resolution step widths under 1ms are not accepted');
  const engine = opts.engine(perQuery(form, opts));
  let outcome: QueryOutcome;
  try {
    outcome = await engine.rangeQuery(opts.queryable, form.value('query'), start, end, stepMs);
  } catch (err) {
    throw fromEngineError(err);
  }
  return reply(outcome, limit);
}
