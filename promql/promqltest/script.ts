import type { Labels } from '../../model/labels.js';
import { compileAnchoredRegex } from '../../model/regex.js';
import { parseDuration } from '../../util/duration.js';
import { parseGoNumber } from './number.js';
import type { Sequence } from './sequence.js';
import { parseSeriesDesc, SeriesSyntaxError } from './series.js';
import { unquoteString as unquoteGoString } from '../strings.js';

/**
 * The promqltest script format of Prometheus (promql/promqltest/test.go), parsed the way test.go
 * parses it: lines are trimmed, `#` lines are blank, a blank line ends a block, and every command
 * remembers its 1-based line. Times are ms offsets from the Unix epoch.
 */

/** ScriptSyntaxError is a script that test.go would refuse to run; `line` is 1-based. */
export class ScriptSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'ScriptSyntaxError';
  }
}

/** LoadSeries is one series of a load block: points i at t = i * step. */
export interface LoadSeries {
  readonly labels: Labels;
  readonly points: Sequence;
  readonly line: number;
}

export interface LoadCommand {
  readonly kind: 'load';
  readonly line: number;
  readonly stepMs: number;
  /** withNHCB: the classic histograms are also loaded as native histograms with custom buckets. */
  readonly withNHCB: boolean;
  /** series in first-definition order; a label set defined twice keeps its last points, as in test.go. */
  readonly series: readonly LoadSeries[];
  /** startTimestamps lists series given `@st` start timestamps (all series when a default was set). */
  readonly startTimestamps: { readonly all: boolean; readonly labels: readonly Labels[] };
}

export interface ClearCommand {
  readonly kind: 'clear';
  readonly line: number;
}

/** Expectation is one `expect <kind> [msg:|regex:]` line's matcher. */
export type Expectation =
  | { readonly type: 'any' }
  | { readonly type: 'message'; readonly message: string }
  | { readonly type: 'regex'; readonly source: string; readonly regex: RegExp };

export type ExpectKind = 'ordered' | 'fail' | 'warn' | 'no_warn' | 'info' | 'no_info';

/** ExpectedSeries is one expected result line: labels and points; `pos` is test.go's position counter. */
export interface ExpectedSeries {
  readonly labels: Labels;
  readonly points: Sequence;
  readonly pos: number;
  readonly line: number;
}

export interface EvalCommand {
  readonly kind: 'eval';
  readonly line: number;
  /** text is the command line as written (trimmed). */
  readonly text: string;
  readonly query: string;
  /** range: a range query; undefined for an instant query. */
  readonly range: { readonly startMs: number; readonly endMs: number; readonly stepMs: number } | undefined;
  /** evalMs is the instant query's time (the `to` of `expect range vector` when given). */
  evalMs: number;
  /** rangeVector: `expect range vector from .. to .. step ..` on an instant query. */
  rangeVector: { startMs: number; endMs: number; stepMs: number } | undefined;
  /** Legacy command suffixes: eval_fail, eval_warn, eval_ordered, eval_info. */
  readonly legacy: { readonly fail: boolean; readonly warn: boolean; readonly ordered: boolean; readonly info: boolean };
  expectedFailMessage: string | undefined;
  expectedFailRegexp: { readonly source: string; readonly regex: RegExp } | undefined;
  readonly expects: Record<ExpectKind, Expectation[]>;
  /** expectScalar: the last result line was a bare number. */
  expectScalar: boolean;
  scalar: number | undefined;
  /** expected result series by label-set key; empty with expectScalar false means an empty result. */
  readonly expected: Map<string, ExpectedSeries>;
  /** expectedString is the `expect string` literal ("" when absent, as test.go's zero value). */
  expectedString: string;
  /** excludeFromRangeQuery: test.go does not re-run this instant eval as a range query. */
  excludeFromRangeQuery: boolean;
}

export type Command = LoadCommand | ClearCommand | EvalCommand;

export interface Script {
  readonly commands: readonly Command[];
  /** maxLoadedMs is the latest timestamp any load writes (0 when none). */
  readonly maxLoadedMs: number;
}

/** isFail: the eval expects an error (eval_fail or `expect fail`). */
export function isFail(cmd: EvalCommand): boolean {
  return cmd.legacy.fail || cmd.expects.fail.length > 0;
}

/** isOrdered: the result order matters (eval_ordered or `expect ordered`). */
export function isOrdered(cmd: EvalCommand): boolean {
  return cmd.legacy.ordered || cmd.expects.ordered.length > 0;
}

const PAT_SPACE = /[\t ]+/;
const PAT_LOAD = /^load(?:_(with_nhcb))?\s+(.+?)$/;
const PAT_EVAL_INSTANT = /^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;
const PAT_EVAL_RANGE = /^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$/;
const PAT_EXPECT = /^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$/;
const PAT_EXPECT_RANGE = /^expect range vector\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+)$/;
const RANGE_VECTOR_PREFIX = 'expect range vector';
const EXPECT_STRING_PREFIX = 'expect string';

/** scriptLines splits and trims as test.go's getLines: a `#` line becomes blank. */
export function scriptLines(input: string): string[] {
  return input.split('\n').map((l) => {
    const t = l.trim();
    return t.startsWith('#') ? '' : t;
  });
}

/** parseScript parses a whole script; it throws ScriptSyntaxError at the first error, as test.go does. */
export function parseScript(input: string): Script {
  const lines = scriptLines(input);
  const commands: Command[] = [];
  let maxLoadedMs = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '') continue;
    const word = l.split(PAT_SPACE, 1)[0]!.toLowerCase();
    if (word === 'clear') {
      commands.push({ kind: 'clear', line: i + 1 });
    } else if (word.startsWith('load')) {
      const [next, cmd] = parseLoad(lines, i);
      i = next;
      commands.push(cmd);
      for (const s of cmd.series) maxLoadedMs = Math.max(maxLoadedMs, (s.points.length - 1) * cmd.stepMs);
    } else if (word.startsWith('eval')) {
      const [next, cmd] = parseEval(lines, i);
      i = next;
      commands.push(cmd);
    } else {
      throw new ScriptSyntaxError(i + 1, `invalid command ${JSON.stringify(l)}`);
    }
  }
  return { commands, maxLoadedMs };
}

function duration(text: string, what: string, line: number): number {
  try {
    return parseDuration(text);
  } catch (err) {
    throw new ScriptSyntaxError(line, `invalid ${what} ${JSON.stringify(text)}: ${(err as Error).message}`);
  }
}

function series(text: string, line: number) {
  try {
    return parseSeriesDesc(text);
  } catch (err) {
    if (err instanceof SeriesSyntaxError) throw new ScriptSyntaxError(line, `${err.reason} (column ${err.column})`);
    throw err;
  }
}

/** isStartTimestampLine: `metric{...}@st <offsets>` or a standalone `@st <offsets>` (no space before @st). */
function isStartTimestampLine(line: string): boolean {
  const space = line.search(/[ \t]/);
  return space >= 0 && line.slice(0, space).endsWith('@st');
}

function parseLoad(lines: string[], i: number): [number, LoadCommand] {
  const m = PAT_LOAD.exec(lines[i]!);
  if (m === null) throw new ScriptSyntaxError(i + 1, 'invalid load command. (load[_with_nhcb] <step:duration>)');
  const line = i + 1;
  const stepMs = duration(m[2]!, 'step definition', line);
  const byKey = new Map<string, LoadSeries>();
  const stLabels: Labels[] = [];
  let stAll = false;
  while (i + 1 < lines.length) {
    i++;
    const def = lines[i]!;
    if (def === '') {
      i--;
      break;
    }
    if (isStartTimestampLine(def)) {
      // Start timestamps only matter to engines that use them; note which series carry them.
      const metric = def.slice(0, def.search(/[ \t]/) - 3);
      if (metric === '') stAll = true;
      else stLabels.push(series(`${metric} _`, i + 1).labels);
      continue;
    }
    const desc = series(def, i + 1);
    byKey.set(desc.labels.key, { labels: desc.labels, points: desc.points, line: i + 1 });
  }
  const cmd: LoadCommand = {
    kind: 'load',
    line,
    stepMs,
    withNHCB: m[1] === 'with_nhcb',
    series: [...byKey.values()],
    startTimestamps: { all: stAll, labels: stLabels },
  };
  return [i, cmd];
}

function compileGoRegex(source: string): RegExp {
  // Go's MatchString finds the pattern anywhere; model/regex anchors, so pad both sides.
  return compileAnchoredRegex(`.*(?:${source}).*`);
}

function parseExpectLine(text: string, line: number): [ExpectKind, Expectation] {
  const m = PAT_EXPECT.exec(text.trim());
  if (m === null) throw new ScriptSyntaxError(line, 'invalid expect statement, must match `expect <type> <match_type>: <string>` format');
  const kind = m[1] as ExpectKind;
  if (m[2] === undefined) return [kind, { type: 'any' }];
  const arg = m[3]!.trim();
  if (m[2] === 'msg') return [kind, { type: 'message', message: arg }];
  try {
    return [kind, { type: 'regex', source: arg, regex: compileGoRegex(arg) }];
  } catch {
    throw new ScriptSyntaxError(line, `invalid regex ${arg} for ${kind}`);
  }
}

function parseEval(lines: string[], i: number): [number, EvalCommand] {
  const text = lines[i]!;
  const line = i + 1;
  const instant = PAT_EVAL_INSTANT.exec(text);
  const range = instant === null ? PAT_EVAL_RANGE.exec(text) : null;
  if (instant === null && range === null) {
    throw new ScriptSyntaxError(
      line,
      "invalid evaluation command. Must be either 'eval[_fail|_warn|_ordered] instant [at <offset:duration>] <query>' or 'eval[_fail|_warn] range from <from> to <to> step <step> <query>'",
    );
  }
  const mod = (instant ?? range)![1];
  const query = instant !== null ? instant[3]! : range![5]!;
  let evalMs = 0;
  let rangeSpec: EvalCommand['range'];
  if (instant !== null) {
    evalMs = duration(instant[2] ?? '', 'timestamp definition', line);
  } else {
    const startMs = duration(range![2]!, 'start timestamp definition', line);
    const endMs = duration(range![3]!, 'end timestamp definition', line);
    if (endMs < startMs) throw new ScriptSyntaxError(line, `invalid test definition, end timestamp (${range![3]}) is before start timestamp (${range![2]})`);
    const stepMs = duration(range![4]!, 'step definition', line);
    rangeSpec = { startMs, endMs, stepMs };
    evalMs = startMs;
  }
  const cmd: EvalCommand = {
    kind: 'eval',
    line,
    text,
    query,
    range: rangeSpec,
    evalMs,
    rangeVector: undefined,
    legacy: { fail: mod === 'fail', warn: mod === 'warn', ordered: mod === 'ordered', info: mod === 'info' },
    expectedFailMessage: undefined,
    expectedFailRegexp: undefined,
    expects: { ordered: [], fail: [], warn: [], no_warn: [], info: [], no_info: [] },
    expectScalar: false,
    scalar: undefined,
    expected: new Map(),
    expectedString: '',
    excludeFromRangeQuery: false,
  };
  // j mirrors test.go's position counter: +1 per line, except `expect` lines (used by `ordered`).
  for (let j = 1; i + 1 < lines.length; j++) {
    i++;
    const def = lines[i]!;
    if (def === '') {
      i--;
      break;
    }
    if (cmd.legacy.fail && def.startsWith('expected_fail_message')) {
      cmd.expectedFailMessage = def.slice('expected_fail_message'.length).trim();
      break;
    }
    if (cmd.legacy.fail && def.startsWith('expected_fail_regexp')) {
      const source = def.slice('expected_fail_regexp'.length).trim();
      try {
        cmd.expectedFailRegexp = { source, regex: compileGoRegex(source) };
      } catch (err) {
        throw new ScriptSyntaxError(i + 1, `invalid regexp '${source}' for expected_fail_regexp: ${(err as Error).message}`);
      }
      break;
    }
    if (def.startsWith(RANGE_VECTOR_PREFIX)) {
      const m = PAT_EXPECT_RANGE.exec(def);
      if (m === null) throw new ScriptSyntaxError(i + 1, `invalid range vector definition ${JSON.stringify(def)}`);
      const startMs = duration(m[1]!, 'start timestamp definition', i + 1);
      const endMs = duration(m[2]!, 'end timestamp definition', i + 1);
      if (endMs < startMs) throw new ScriptSyntaxError(i + 1, `invalid test definition, end timestamp (${m[2]}) is before start timestamp (${m[1]})`);
      const stepMs = duration(m[3]!, 'step definition', i + 1);
      cmd.rangeVector = { startMs, endMs, stepMs };
      cmd.evalMs = endMs;
      cmd.excludeFromRangeQuery = true;
      continue;
    }
    if (def.startsWith(EXPECT_STRING_PREFIX)) {
      const literal = def === EXPECT_STRING_PREFIX ? '' : def.startsWith(EXPECT_STRING_PREFIX + ' ') ? def.slice(EXPECT_STRING_PREFIX.length + 1) : '';
      if (literal === '') throw new ScriptSyntaxError(i + 1, 'expected string literal not valid - a quoted string literal is required');
      const value = unquoteGoString(literal, true);
      if (value === undefined) throw new ScriptSyntaxError(i + 1, 'expected string literal not valid - check that the string is correctly quoted');
      cmd.expectedString = value;
      cmd.excludeFromRangeQuery = true;
      continue;
    }
    // A metric named `expect` can still be written as `expect{}`.
    if (def.split(' ')[0] === 'expect') {
      const [kind, expectation] = parseExpectLine(def, i + 1);
      cmd.expects[kind].push(expectation);
      j--;
      if (cmd.expects.info.length > 0 && cmd.expects.no_info.length > 0) throw new ScriptSyntaxError(i + 1, 'invalid expect lines, info and no_info cannot be used together');
      if (cmd.expects.warn.length > 0 && cmd.expects.no_warn.length > 0) throw new ScriptSyntaxError(i + 1, 'invalid expect lines, warn and no_warn cannot be used together');
      if (cmd.expects.fail.length > 1) throw new ScriptSyntaxError(i + 1, 'invalid expect lines, multiple expect fail lines are not allowed');
      continue;
    }
    const scalar = parseGoNumber(def);
    if (scalar !== undefined) {
      cmd.expectScalar = true;
      cmd.scalar = scalar;
      break;
    }
    const desc = series(def, i + 1);
    if (desc.points.length > 1 && instant !== null && cmd.rangeVector === undefined) {
      throw new ScriptSyntaxError(
        i + 1,
        "expecting multiple values in instant evaluation not allowed. consider using 'expect range vector' directive to enable a range vector result for an instant query",
      );
    }
    cmd.expectScalar = false;
    cmd.expected.set(desc.labels.key, { labels: desc.labels, points: desc.points, pos: j, line: i + 1 });
  }
  return [i, cmd];
}
