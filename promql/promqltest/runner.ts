import type { Queryable } from '../../model/storage.js';
import { formatDuration } from '../../util/duration.js';
import { ParseError, PromQLError } from '../errors.js';
import type { Sample, Value } from '../value.js';
import { compareResult, formatExpectation, formatValueResult, matrixSortError } from './compare.js';
import { analyzeQuery, atModifierVariant, type QueryAnalysis, usesQueryContextFunctions } from './query_syntax.js';
import { type EvalCommand, type Expectation, isFail, isOrdered, parseScript, type Script, ScriptSyntaxError, scriptLines } from './script.js';
import { TestStorage } from './storage.js';

/**
 * QueryEngine is what the runner needs from a PromQL engine; vigil's Engine satisfies it, and so
 * can any other. Errors are thrown; PromQLError's type 'unsupported' and ParseError are read by the
 * skip rules below.
 */
export interface QueryEngine {
  instantQuery(queryable: Queryable, query: string, t: number): Promise<QueryOutcome>;
  rangeQuery(queryable: Queryable, query: string, start: number, end: number, stepMs: number): Promise<QueryOutcome>;
}

/** QueryOutcome is a query's value and its annotations ("PromQL warning: ... (1:5)" texts). */
export interface QueryOutcome {
  readonly value: Value;
  readonly warnings: readonly string[];
  readonly infos: readonly string[];
}

export type BlockStatus = 'passed' | 'failed' | 'skipped';

/**
 * SkipCategory says why a block was not judged: it loads or selects native-histogram data, uses
 * syntax Prometheus flags experimental that the engine does not parse, the engine answered
 * 'unsupported', or it needs start timestamps (`@st`).
 */
export type SkipCategory = 'native histograms' | 'experimental syntax' | 'engine unsupported' | 'start timestamps';

/** BlockResult is the outcome of one eval block (or of a load block the store refused). */
export interface BlockResult {
  /** line is the 1-based line of the command. */
  readonly line: number;
  /** command is the command line as written. */
  readonly command: string;
  readonly query?: string;
  readonly status: BlockStatus;
  readonly skipCategory?: SkipCategory;
  /** reason: why it failed (the first difference, as test.go reports it) or was skipped. */
  readonly reason?: string;
  /** ran describes the query that failed when it is one of test.go's hidden variants. */
  readonly ran?: string;
  readonly expected?: readonly string[];
  readonly got?: readonly string[];
}

/** FileResult counts one script's blocks. */
export interface FileResult {
  readonly file: string;
  passed: number;
  failed: number;
  skipped: number;
  readonly blocks: BlockResult[];
}

export interface RunOptions {
  readonly engine: QueryEngine;
  /** file names the script in results (default "<script>"). */
  readonly file?: string;
  /** onBlock is called as each block finishes, for streaming progress. */
  readonly onBlock?: (block: BlockResult) => void;
}

/** Skip and Failure end a block early; they never leave the runner. */
class Skip {
  constructor(
    readonly category: SkipCategory,
    readonly reason: string,
  ) {}
}

class Failure {
  constructor(
    readonly reason: string,
    readonly ran: string | undefined,
    readonly got?: readonly string[],
    readonly expected?: readonly string[],
  ) {}
}

/** A query test.go runs for an instant eval: the block's own, an `@` variant, at time t. */
interface InstantRun {
  readonly query: string;
  readonly t: number;
  readonly variant: boolean;
}

const RANGE_MODE_STEP_MS = 60_000;

/**
 * runScript runs a promqltest script as Prometheus's test.go does: commands in order against a
 * fresh store per `clear`, every eval checked with the same comparison and the same hidden checks
 * (each instant eval re-run pinned with `@` at other times, and as a range query around its time).
 * A script that does not parse fails as a whole at the offending line, as in test.go.
 */
export async function runScript(source: string, options: RunOptions): Promise<FileResult> {
  const result: FileResult = { file: options.file ?? '<script>', passed: 0, failed: 0, skipped: 0, blocks: [] };
  const record = (b: BlockResult) => {
    result.blocks.push(b);
    result[b.status]++;
    options.onBlock?.(b);
  };
  let script: Script;
  try {
    script = parseScript(source);
  } catch (err) {
    if (!(err instanceof ScriptSyntaxError)) throw err;
    record({ line: err.line, command: scriptLines(source)[err.line - 1] ?? '', status: 'failed', reason: `script does not parse: ${err.reason}` });
    return result;
  }
  let storage = new TestStorage(script.maxLoadedMs);
  for (const cmd of script.commands) {
    switch (cmd.kind) {
      case 'clear':
        storage = new TestStorage(script.maxLoadedMs);
        break;
      case 'load': {
        const refused = storage.load(cmd);
        if (refused !== undefined) {
          record({ line: cmd.line, command: `load${cmd.withNHCB ? '_with_nhcb' : ''} ${formatDuration(cmd.stepMs)}`, status: 'failed', reason: `the store refused a sample: ${refused}` });
        }
        break;
      }
      case 'eval':
        record(await runEval(cmd, storage, options.engine));
        break;
    }
  }
  return result;
}

async function runEval(cmd: EvalCommand, storage: TestStorage, engine: QueryEngine): Promise<BlockResult> {
  const base = { line: cmd.line, command: cmd.text, query: cmd.query };
  const analysis = analyzeQuery(cmd.query);
  try {
    precheck(cmd, storage, analysis);
    const ev = new EvalRun(cmd, storage.queryable, engine, analysis);
    if (cmd.range !== undefined) await ev.range();
    else await ev.instant();
    return { ...base, status: 'passed' };
  } catch (err) {
    if (err instanceof Skip) return { ...base, status: 'skipped', skipCategory: err.category, reason: err.reason };
    if (err instanceof Failure) {
      return {
        ...base,
        status: 'failed',
        reason: err.reason,
        ...(err.ran !== undefined ? { ran: err.ran } : {}),
        expected: err.expected ?? formatExpectation(cmd),
        ...(err.got !== undefined ? { got: err.got } : {}),
      };
    }
    throw err;
  }
}

/** precheck skips blocks whose data or expectations the float-only store cannot represent. */
function precheck(cmd: EvalCommand, storage: TestStorage, analysis: QueryAnalysis): void {
  for (const e of cmd.expected.values()) {
    if (e.points.hasHistograms) throw new Skip('native histograms', `expects native-histogram values (line ${e.line})`);
  }
  for (const matchers of analysis.selectors) {
    const h = storage.selectsHistograms(matchers);
    if (h !== undefined) throw new Skip('native histograms', `selects ${h.toSeriesString()}, which holds native-histogram samples`);
    const st = storage.selectsStartTimestamps(matchers);
    if (st !== undefined) throw new Skip('start timestamps', `selects series loaded with @st start timestamps`);
  }
}

/** EvalRun executes one eval block's queries. */
class EvalRun {
  constructor(
    private readonly cmd: EvalCommand,
    private readonly queryable: Queryable,
    private readonly engine: QueryEngine,
    private readonly analysis: QueryAnalysis,
  ) {}

  /** skipFor turns an engine error into a skip when one of the skip rules applies. */
  private skipFor(err: unknown): Skip | undefined {
    if (err instanceof PromQLError && err.type === 'unsupported') return new Skip('engine unsupported', err.message);
    if (err instanceof ParseError && this.analysis.experimental.length > 0) {
      return new Skip('experimental syntax', `${this.analysis.experimental.join(', ')} (engine: ${err.message})`);
    }
    return undefined;
  }

  /** engineError handles a thrown query: a skip, an expected failure (returns), or a Failure. */
  private engineError(err: unknown, ran: string | undefined, context: string): void {
    const skip = this.skipFor(err);
    if (skip !== undefined) throw skip;
    if (!(err instanceof PromQLError)) {
      const e = err as Error;
      throw new Failure(`the engine crashed ${context}: ${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`, ran, e?.stack?.split('\n').slice(0, 4));
    }
    if (isFail(this.cmd) && context !== 'in range mode') {
      const mismatch = failureMismatch(this.cmd, err.message);
      if (mismatch !== undefined) throw new Failure(mismatch, ran);
      return;
    }
    throw new Failure(`error ${context}: ${err.message}`, ran);
  }

  async range(): Promise<void> {
    const { startMs, endMs, stepMs } = this.cmd.range!;
    let res: QueryOutcome;
    try {
      res = await this.engine.rangeQuery(this.queryable, this.cmd.query, startMs, endMs, stepMs);
    } catch (err) {
      this.engineError(err, undefined, 'evaluating the query');
      return;
    }
    this.check(res, undefined);
  }

  async instant(): Promise<void> {
    await this.runInstant({ query: this.cmd.query, t: this.cmd.evalMs, variant: false });
    const variant = atModifierVariant(this.cmd.query, this.cmd.evalMs);
    if ('skip' in variant) {
      if (variant.skip === 'unparsable') {
        throw new Failure('lezer-promql cannot read the query, so the @-modifier variants test.go runs cannot be built', undefined);
      }
      return; // time()-dependent functions: test.go adds no variants
    }
    const ts = this.cmd.evalMs;
    const times = ts === 0 ? [-1000, 0, 1000] : [-10 * ts, 0, Math.trunc(ts / 5), ts, 10 * ts];
    for (const t of times) await this.runInstant({ query: variant.query, t, variant: true });
  }

  private async runInstant(run: InstantRun): Promise<void> {
    const ran = run.variant ? `@-modifier variant ${JSON.stringify(run.query)} evaluated at t=${formatTime(run.t)}` : undefined;
    let res: QueryOutcome;
    try {
      res = await this.engine.instantQuery(this.queryable, run.query, run.t);
    } catch (err) {
      this.engineError(err, ran, 'evaluating the query');
      return;
    }
    this.check(res, ran);
    if (this.cmd.excludeFromRangeQuery || usesQueryContextFunctions(run.query)) return;
    await this.rangeMode(run, res.value);
  }

  /** check applies test.go's checks on a successful query: no error expected, annotations, result. */
  private check(res: QueryOutcome, ran: string | undefined): void {
    const got = formatValueResult(res.value);
    if (isFail(this.cmd)) throw new Failure('expected an error evaluating the query, but got none', ran, got);
    const annotationError = annotationMismatch(this.cmd, res.warnings, res.infos);
    if (annotationError !== undefined) {
      const annotations = [...res.warnings, ...res.infos];
      throw new Failure(annotationError, ran, annotations.length > 0 ? annotations : ['(no annotations)'], expectedAnnotations(this.cmd));
    }
    const diff = compareResult(this.cmd, res.value);
    if (diff !== undefined) throw new Failure(diff, ran, got);
  }

  /** rangeMode re-runs an instant query from t-1m to t+1m step 1m; the middle step must match. */
  private async rangeMode(run: InstantRun, instantValue: Value): Promise<void> {
    const ran = `range mode: ${JSON.stringify(run.query)} from t=${formatTime(run.t - RANGE_MODE_STEP_MS)} to t=${formatTime(run.t + RANGE_MODE_STEP_MS)} step 1m, compared at t=${formatTime(run.t)}`;
    let res: QueryOutcome;
    try {
      res = await this.engine.rangeQuery(this.queryable, run.query, run.t - RANGE_MODE_STEP_MS, run.t + RANGE_MODE_STEP_MS, RANGE_MODE_STEP_MS);
    } catch (err) {
      this.engineError(err, ran, 'in range mode');
      return;
    }
    // Range results are sorted by labels, so an ordered expectation cannot be checked this way.
    if (isOrdered(this.cmd)) return;
    if (res.value.type !== 'matrix') throw new Failure(`a range query returned a ${res.value.type}`, ran, formatValueResult(res.value));
    const sortError = matrixSortError(res.value.matrix);
    if (sortError !== undefined) throw new Failure(sortError, ran, formatValueResult(res.value));
    const vector: Sample[] = [];
    for (const s of res.value.matrix) {
      const i = s.ts.indexOf(run.t);
      if (i >= 0) vector.push({ metric: s.metric, t: run.t, v: s.vs[i]! });
    }
    let value: Value;
    if (instantValue.type === 'scalar') {
      if (vector.length === 0) throw new Failure(`the range query has no point at t=${formatTime(run.t)}`, ran, formatValueResult(res.value));
      value = { type: 'scalar', scalar: { t: run.t, v: vector[0]!.v } };
    } else {
      value = { type: 'vector', vector };
    }
    const diff = compareResult(this.cmd, value);
    if (diff !== undefined) throw new Failure(diff, ran, formatValueResult(value));
  }
}

function formatTime(ms: number): string {
  return formatDuration(ms);
}

function matches(e: Expectation, text: string): boolean {
  switch (e.type) {
    case 'any':
      return !text.includes('\n');
    case 'message':
      return e.message === text;
    case 'regex':
      return e.regex.test(text);
  }
}

function describe(e: Expectation): string {
  return e.type === 'message' ? `message ${JSON.stringify(e.message)}` : e.type === 'regex' ? `pattern ${JSON.stringify(e.source)}` : 'pattern "^.*$"';
}

/** expectedAnnotations lists an eval's annotation expectations as `expect` lines. */
function expectedAnnotations(cmd: EvalCommand): string[] {
  const out: string[] = [];
  if (cmd.legacy.warn) out.push('(eval_warn) some warning');
  if (cmd.legacy.info) out.push('(eval_info) some info annotation');
  for (const kind of ['warn', 'no_warn', 'info', 'no_info'] as const) {
    for (const e of cmd.expects[kind]) out.push(`expect ${kind}${e.type === 'message' ? ` msg: ${e.message}` : e.type === 'regex' ? ` regex: ${e.source}` : ''}`);
  }
  return out;
}

/** failureMismatch is test.go's checkExpectedFailure: undefined when the error is the expected one. */
export function failureMismatch(cmd: EvalCommand, message: string): string | undefined {
  if (cmd.expectedFailMessage !== undefined && cmd.expectedFailMessage !== '' && cmd.expectedFailMessage !== message) {
    return `expected error ${JSON.stringify(cmd.expectedFailMessage)}, but got: ${message}`;
  }
  if (cmd.expectedFailRegexp !== undefined && !cmd.expectedFailRegexp.regex.test(message)) {
    return `expected error matching pattern ${JSON.stringify(cmd.expectedFailRegexp.source)}, but got: ${message}`;
  }
  const fail = cmd.expects.fail[0];
  if (fail !== undefined && !matches(fail, message)) return `expected error matching ${describe(fail)}, but got: ${message}`;
  return undefined;
}

/** annotationMismatch is test.go's checkAnnotations: undefined when the annotations are as expected. */
export function annotationMismatch(cmd: EvalCommand, warnings: readonly string[], infos: readonly string[]): string | undefined {
  if (cmd.legacy.warn && warnings.length === 0) return 'expected warnings evaluating the query, but got none';
  if (cmd.legacy.info && infos.length === 0) return 'expected info annotations evaluating the query, but got none';
  const all = [...warnings, ...infos];
  const ofType = (type: string, expected: readonly Expectation[], actual: readonly string[]): string | undefined => {
    if (expected.length === 0) return undefined;
    if (actual.length === 0) return `expected ${type} annotations but none were found`;
    for (const e of expected) {
      if (!actual.some((a) => matches(e, a))) return `expected ${type} annotation matching ${describe(e)} but no matching annotation was found, found: ${JSON.stringify(all)}`;
    }
    for (const a of actual) {
      if (!expected.some((e) => matches(e, a))) return `unexpected ${type} annotation ${JSON.stringify(a)} found`;
    }
    return undefined;
  };
  const warnError = ofType('warn', cmd.expects.warn, warnings);
  if (warnError !== undefined) return warnError;
  const infoError = ofType('info', cmd.expects.info, infos);
  if (infoError !== undefined) return infoError;
  if (cmd.expects.no_warn.length > 0 && warnings.length > 0) return `unexpected warning annotations evaluating the query: ${JSON.stringify(all)}`;
  if (cmd.expects.no_info.length > 0 && infos.length > 0) return `unexpected info annotations evaluating the query: ${JSON.stringify(all)}`;
  return undefined;
}
