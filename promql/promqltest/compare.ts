import type { Labels } from '../../model/labels.js';
import { isStaleNaN } from '../../model/value.js';
import type { Matrix, Sample, Series, Value, Vector } from '../value.js';
import { almostEqual, formatValue } from './number.js';
import { isOrdered, type EvalCommand } from './script.js';
import { POINT_HISTOGRAM, POINT_OMITTED, POINT_STALE, pointString, type Sequence } from './sequence.js';

/**
 * compareResult checks a query's value against an eval block's expectation exactly as test.go's
 * evalCmd.compareResult does, and returns the first difference as a message, or undefined when the
 * result matches. Values compare with almostEqual; label sets must be identical; instant-vector
 * order matters only for ordered evals; a matrix must be sorted by labels.
 */
export function compareResult(cmd: EvalCommand, value: Value): string | undefined {
  switch (value.type) {
    case 'matrix':
      return compareMatrix(cmd, value.matrix);
    case 'vector':
      return compareVector(cmd, value.vector);
    case 'scalar':
      if (!cmd.expectScalar) return `expected vector or matrix result, but got scalar ${formatValue(value.scalar.v)}`;
      if (!almostEqual(cmd.scalar ?? 0, value.scalar.v)) return `expected scalar ${formatValue(cmd.scalar ?? 0)} but got ${formatValue(value.scalar.v)}`;
      return undefined;
    case 'string':
      if (cmd.expectedString !== value.string.s) return `expected string ${JSON.stringify(cmd.expectedString)} but got ${JSON.stringify(value.string.s)}`;
      return undefined;
  }
}

/** expectedValue is the float test.go compares against for slot i (0 for a gap, StaleNaN for stale). */
function matchesPoint(seq: Sequence, i: number, actual: number): boolean {
  const kind = seq.kinds[i];
  if (kind === POINT_STALE) return isStaleNaN(actual);
  if (kind === POINT_OMITTED) return almostEqual(0, actual);
  return almostEqual(seq.values[i]!, actual);
}

function expectedPointString(seq: Sequence, i: number): string {
  return seq.kinds[i] === POINT_OMITTED ? '0' : pointString(seq, i);
}

/** assertMatrixSorted is test.go's check that a matrix comes sorted by label set. */
export function matrixSortError(m: Matrix): string | undefined {
  for (let i = 0; i + 1 < m.length; i++) {
    if (m[i]!.metric.compare(m[i + 1]!.metric) > 0) {
      return `matrix results should always be sorted by labels, but matrix is not sorted: series at index ${i + 1} with labels ${m[i + 1]!.metric.toString()} sorts before series at index ${i} with labels ${m[i]!.metric.toString()}`;
    }
  }
  return undefined;
}

/** The time range expected points are laid on: the range query's, or `expect range vector`'s. */
function pointTimes(cmd: EvalCommand): { start: number; end: number; step: number } {
  if (cmd.range !== undefined) return { start: cmd.range.startMs, end: cmd.range.endMs, step: cmd.range.stepMs };
  if (cmd.rangeVector !== undefined) return { start: cmd.rangeVector.startMs, end: cmd.rangeVector.endMs, step: cmd.rangeVector.stepMs };
  // An instant eval without `expect range vector` has test.go's zero end time: no point fits.
  return { start: cmd.evalMs, end: -Infinity, step: 0 };
}

function compareMatrix(cmd: EvalCommand, m: Matrix): string | undefined {
  if (isOrdered(cmd)) return 'expected ordered result, but query returned a matrix';
  if (cmd.expectScalar) return `expected scalar result, but got matrix ${formatMatrix(m).join(', ')}`;
  const sortError = matrixSortError(m);
  if (sortError !== undefined) return sortError;
  const { start, end, step } = pointTimes(cmd);
  const seen = new Set<string>();
  for (const s of m) {
    const key = s.metric.key;
    const exp = cmd.expected.get(key);
    if (exp === undefined) return `unexpected metric ${s.metric.toString()} in result, has ${formatSeriesPoints(s)}`;
    seen.add(key);
    const ts: number[] = [];
    const slots: number[] = [];
    for (let i = 0; i < exp.points.length; i++) {
      const t = start + i * step;
      if (t > end) return `expected ${exp.points.length} points for ${exp.labels.toString()}, but query time range cannot return this many points`;
      const kind = exp.points.kinds[i];
      if (kind === POINT_HISTOGRAM) return `expected a native histogram at t=${t} for ${exp.labels.toString()}, which this runner cannot compare`;
      if (kind !== POINT_OMITTED) {
        ts.push(t);
        slots.push(i);
      }
    }
    if (ts.length !== s.ts.length) {
      return `expected ${ts.length} float points for ${exp.labels.toString()}, but got ${formatSeriesPoints(s)}`;
    }
    for (let k = 0; k < ts.length; k++) {
      if (ts[k] !== s.ts[k]) {
        return `expected float value at index ${k} for ${exp.labels.toString()} to have timestamp ${ts[k]}, but it had timestamp ${s.ts[k]} (result has ${formatSeriesPoints(s)})`;
      }
      if (!matchesPoint(exp.points, slots[k]!, s.vs[k]!)) {
        return `expected float value at index ${k} (t=${s.ts[k]}) for ${exp.labels.toString()} to be ${pointString(exp.points, slots[k]!)}, but got ${formatValue(s.vs[k]!)} (result has ${formatSeriesPoints(s)})`;
      }
    }
  }
  for (const [key, exp] of cmd.expected) {
    if (!seen.has(key)) return `expected metric ${exp.labels.toString()} not found`;
  }
  return undefined;
}

function compareVector(cmd: EvalCommand, vector: Vector): string | undefined {
  if (cmd.expectScalar) return `expected scalar result, but got vector ${formatVector(vector).join(', ')}`;
  const ordered = isOrdered(cmd);
  const seen = new Set<string>();
  for (let pos = 0; pos < vector.length; pos++) {
    const sample = vector[pos]!;
    const key = sample.metric.key;
    const exp = cmd.expected.get(key);
    if (exp === undefined) return `unexpected metric ${sample.metric.toString()} in result, has value ${formatValue(sample.v)}`;
    if (ordered && exp.pos !== pos + 1) {
      return `expected metric ${sample.metric.toString()} with ${exp.points.toString()} at position ${exp.pos} but was at ${pos + 1}`;
    }
    if (exp.points.kinds[0] === POINT_HISTOGRAM) return `expected histogram ${pointString(exp.points, 0)} for ${sample.metric.toString()} but got float value ${formatValue(sample.v)}`;
    const matches = exp.points.length === 0 ? almostEqual(0, sample.v) : matchesPoint(exp.points, 0, sample.v);
    if (!matches) {
      const want = exp.points.length === 0 ? '0' : expectedPointString(exp.points, 0);
      return `expected ${want} for ${sample.metric.toString()} but got ${formatValue(sample.v)}`;
    }
    seen.add(key);
  }
  for (const [key, exp] of cmd.expected) {
    if (!seen.has(key)) return `expected metric ${exp.labels.toString()} with ${exp.points.toString()} not found`;
  }
  return undefined;
}

/** seriesName renders labels the way scripts write them: `metric{a="b"}`, `{}` when empty. */
export function seriesName(labels: Labels): string {
  return labels.toSeriesString();
}

function formatSeriesPoints(s: Series): string {
  const pts: string[] = [];
  for (let i = 0; i < s.ts.length; i++) pts.push(`${formatValue(s.vs[i]!)} @[${s.ts[i]}]`);
  return `${s.ts.length} float point${s.ts.length === 1 ? '' : 's'} [${pts.join(' ')}]`;
}

/** formatVector renders an instant vector one sample per line, as a script's result lines. */
export function formatVector(v: readonly Sample[]): string[] {
  return v.map((s) => `${seriesName(s.metric)} ${formatValue(s.v)}`);
}

/** formatMatrix renders a range vector one series per line: `metric{...} v@t v@t ...` (t in ms). */
export function formatMatrix(m: Matrix): string[] {
  return m.map((s) => {
    const pts: string[] = [];
    for (let i = 0; i < s.ts.length; i++) pts.push(`${formatValue(s.vs[i]!)}@${s.ts[i]}`);
    return `${seriesName(s.metric)} ${pts.join(' ')}`;
  });
}

/** formatValueResult renders any query value as lines for a failure report. */
export function formatValueResult(value: Value): string[] {
  switch (value.type) {
    case 'vector':
      return value.vector.length === 0 ? ['(empty vector)'] : formatVector(value.vector);
    case 'matrix':
      return value.matrix.length === 0 ? ['(empty matrix)'] : formatMatrix(value.matrix);
    case 'scalar':
      return [`scalar ${formatValue(value.scalar.v)}`];
    case 'string':
      return [`string ${JSON.stringify(value.string.s)}`];
  }
}

/** formatExpectation renders what an eval block expects, as lines for a failure report. */
export function formatExpectation(cmd: EvalCommand): string[] {
  if (cmd.expectScalar) return [`scalar ${formatValue(cmd.scalar ?? 0)}`];
  if (cmd.expects.fail.length > 0 || cmd.legacy.fail) return ['an error'];
  const lines = [...cmd.expected.values()].map((e) => `${seriesName(e.labels)} ${e.points.toString()}`);
  if (lines.length > 0) return lines;
  if (cmd.expectedString !== '' || cmd.excludeFromRangeQuery) {
    if (cmd.rangeVector === undefined) return [`string ${JSON.stringify(cmd.expectedString)}`];
  }
  return ['(empty result)'];
}
