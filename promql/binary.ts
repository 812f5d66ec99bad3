import type { Labels } from '../model/labels.js';
import { PromQLError } from './errors.js';
import { goAtan2, goMod, goPow } from './gomath.js';
import { matcherFor, type Matcher } from './matching.js';
import type { Sample, Vector } from './value.js';
import type { BinaryOp, VectorMatching } from './ast.js';


/**
 * PromQL's binary operators at one evaluation step, as Prometheus 3 evaluates them
 * (promql/engine.go: VectorBinop, VectorAnd, VectorOr, VectorUnless, VectorscalarBinop,
 * scalarBinop, vectorElemBinop), with delayed name removal:
 *
 * - arithmetic between two vectors drops `__name__` (and `__type__`, `__unit__`) from the result
 *   at once, as Prometheus's resultMetric does;
 * - arithmetic between a vector and a scalar, and every `bool` comparison, keep the name and mark
 *   the sample `dropName` (the engine removes it when the value leaves the engine);
 * - filtering comparisons keep the left sample's name and value (for vector/scalar, the vector
 *   sample's); vector/vector filter results do not carry the inputs' dropName, as in Prometheus;
 * - and / or / unless pass samples through whole, dropName included.
 *
 * Results may share Sample objects with the inputs; callers must not mutate returned samples.
 * Native histograms are out of scope: every value is a float.
 */

export type { BinaryOp, VectorMatching } from './ast.js';

/** isComparisonOp reports whether op is one of == != > < >= <=. */
export function isComparisonOp(op: BinaryOp): boolean {
  return op === '==' || op === '!=' || op === '>' || op === '<' || op === '>=' || op === '<=';
}

/** isSetOp reports whether op is and, or, unless. */
export function isSetOp(op: BinaryOp): boolean {
  return op === 'and' || op === 'or' || op === 'unless';
}

/** changesMetricSchema: arithmetic results are no longer the input metric, so they lose the name. */
function changesMetricSchema(op: BinaryOp): boolean {
  return op === '+' || op === '-' || op === '*' || op === '/' || op === '%' || op === '^' || op === 'atan2';
}

/** arithmetic computes an arithmetic operator on floats, as Go does. */
function arithmetic(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return goMod(a, b);
    case '^':
      return goPow(a, b);
    case 'atan2':
      return goAtan2(a, b);
    default:
      throw new Error(`operator "${op}" is not arithmetic`);
  }
}

/** compare evaluates a comparison operator; NaN compares unequal to everything. */
function compare(op: BinaryOp, a: number, b: number): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    default:
      throw new Error(`operator "${op}" is not a comparison`);
  }
}

/**
 * scalarBinaryOp is Prometheus's scalarBinop: arithmetic on two scalars, or a comparison giving
 * 1 or 0 (the parser only allows scalar comparisons with `bool`). Set operators are not defined
 * between scalars.
 */
export function scalarBinaryOp(op: BinaryOp, a: number, b: number): number {
  if (isComparisonOp(op)) return compare(op, a, b) ? 1 : 0;
  if (isSetOp(op)) throw new Error(`operator "${op}" not allowed for Scalar operations`);
  return arithmetic(op, a, b);
}

/**
 * vectorScalarOp is Prometheus's VectorscalarBinop: op applied to every sample of vector and the
 * scalar; scalarOnLeft says the scalar was written on the left (`2 - v`). A filtering comparison
 * keeps the samples it holds for, with their value and labels; `bool` keeps every sample with 1
 * or 0; arithmetic and `bool` mark the result's name for removal. Output follows input order.
 */
export function vectorScalarOp(
  op: BinaryOp,
  vector: Vector,
  scalar: number,
  scalarOnLeft: boolean,
  returnBool: boolean,
  t: number,
): Vector {
  const out: Vector = [];
  if (isSetOp(op)) throw new Error(`set operator "${op}" not allowed between a vector and a scalar`);
  if (isComparisonOp(op)) {
    for (let i = 0; i < vector.length; i++) {
      const s = vector[i]!;
      const keep = scalarOnLeft ? compare(op, scalar, s.v) : compare(op, s.v, scalar);
      if (returnBool) out.push({ metric: s.metric, t, v: keep ? 1 : 0, dropName: true });
      else if (keep) out.push(s.t === t ? s : { metric: s.metric, t, v: s.v, dropName: s.dropName === true });
    }
    return out;
  }
  for (let i = 0; i < vector.length; i++) {
    const s = vector[i]!;
    const v = scalarOnLeft ? arithmetic(op, scalar, s.v) : arithmetic(op, s.v, scalar);
    out.push({ metric: s.metric, t, v, dropName: true });
  }
  return out;
}

/**
 * vectorBinaryOp applies op between two instant vectors under the given matching.
 *
 * and / or / unless (many-to-many): `and` keeps left samples whose signature appears on the right;
 * `or` keeps all left samples, then right samples whose signature is not on the left; `unless`
 * keeps left samples whose signature is not on the right.
 *
 * Other operators pair each sample of the "many" side (the left, or the right for one-to-many)
 * with the sample of the other side that has the same signature, and throw PromQLError
 * ('execution') with Prometheus's messages when the "one" side has two samples with the same
 * signature, when one-to-one matching pairs a right sample twice, or when group_left/group_right
 * would produce the same label set twice. Output order is the "many" side's order.
 */
export function vectorBinaryOp(
  op: BinaryOp,
  lhs: Vector,
  rhs: Vector,
  matching: VectorMatching,
  returnBool: boolean,
  t: number,
): Vector {
  const m = matcherFor(matching);
  switch (op) {
    case 'and':
      return vectorAnd(lhs, rhs, m, t);
    case 'or':
      return vectorOr(lhs, rhs, m, t);
    case 'unless':
      return vectorUnless(lhs, rhs, m, t);
    default:
      return vectorMatch(op, lhs, rhs, m, returnBool, t);
  }
}

/** atTime returns s at evaluation time t, reusing s when it already is. */
function atTime(s: Sample, t: number): Sample {
  return s.t === t ? s : { metric: s.metric, t, v: s.v, dropName: s.dropName === true };
}

function signatures(m: Matcher, vec: Vector): Set<string> {
  const sigs = new Set<string>();
  for (let i = 0; i < vec.length; i++) sigs.add(m.signature(vec[i]!.metric));
  return sigs;
}

function vectorAnd(lhs: Vector, rhs: Vector, m: Matcher, t: number): Vector {
  if (lhs.length === 0 || rhs.length === 0) return [];
  const right = signatures(m, rhs);
  const out: Vector = [];
  for (let i = 0; i < lhs.length; i++) {
    const s = lhs[i]!;
    if (right.has(m.signature(s.metric))) out.push(atTime(s, t));
  }
  return out;
}

function vectorOr(lhs: Vector, rhs: Vector, m: Matcher, t: number): Vector {
  const out: Vector = [];
  if (lhs.length === 0 || rhs.length === 0) {
    const only = lhs.length === 0 ? rhs : lhs;
    for (let i = 0; i < only.length; i++) out.push(atTime(only[i]!, t));
    return out;
  }
  const left = new Set<string>();
  for (let i = 0; i < lhs.length; i++) {
    const s = lhs[i]!;
    left.add(m.signature(s.metric));
    out.push(atTime(s, t));
  }
  for (let i = 0; i < rhs.length; i++) {
    const s = rhs[i]!;
    if (!left.has(m.signature(s.metric))) out.push(atTime(s, t));
  }
  return out;
}

function vectorUnless(lhs: Vector, rhs: Vector, m: Matcher, t: number): Vector {
  const out: Vector = [];
  if (lhs.length === 0 || rhs.length === 0) {
    for (let i = 0; i < lhs.length; i++) out.push(atTime(lhs[i]!, t));
    return out;
  }
  const right = signatures(m, rhs);
  for (let i = 0; i < lhs.length; i++) {
    const s = lhs[i]!;
    if (!right.has(m.signature(s.metric))) out.push(atTime(s, t));
  }
  return out;
}

/** vectorMatch is Prometheus's VectorBinop for arithmetic and comparison operators. */
function vectorMatch(op: BinaryOp, lhs: Vector, rhs: Vector, m: Matcher, returnBool: boolean, t: number): Vector {
  const card = m.matching.card;
  if (card === 'many-to-many') throw new Error('many-to-many only allowed for set operators');
  if (lhs.length === 0 || rhs.length === 0) return []; // nothing can match
  // Pair from the "many" side; for one-to-many that is the right, and values are swapped back.
  const swapped = card === 'one-to-many';
  const many = swapped ? rhs : lhs;
  const one = swapped ? lhs : rhs;

  // The "one" side by signature, as indices into `one`.
  const oneBySig = new Map<string, number>();
  for (let j = 0; j < one.length; j++) {
    const s = one[j]!;
    const sig = m.signature(s.metric);
    const dup = oneBySig.get(sig);
    if (dup !== undefined) throw duplicateSeriesError(m, s.metric, one[dup]!.metric, swapped ? 'left' : 'right');
    oneBySig.set(sig, j);
  }

  const comparison = isComparisonOp(op);
  const schemaChange = changesMetricSchema(op);
  // One-to-one: which one-side samples are already paired. Many-to-one: per one-side sample,
  // the result label sets made from it, which must all differ.
  const paired = card === 'one-to-one' ? new Uint8Array(one.length) : undefined;
  const made = card === 'one-to-one' ? undefined : new Array<Set<string> | undefined>(one.length);
  const out: Vector = [];
  for (let i = 0; i < many.length; i++) {
    const ms = many[i]!;
    const j = oneBySig.get(m.signature(ms.metric));
    if (j === undefined) continue;
    const os = one[j]!;
    const l = swapped ? os.v : ms.v;
    const r = swapped ? ms.v : os.v;
    let v: number;
    let keep = true;
    if (comparison) {
      keep = compare(op, l, r);
      v = returnBool ? (keep ? 1 : 0) : l;
    } else {
      v = arithmetic(op, l, r);
    }
    const metric = m.resultMetric(ms.metric, os.metric, schemaChange);
    if (paired !== undefined) {
      if (paired[j] === 1) {
        throw new PromQLError('execution', 'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
      }
      paired[j] = 1;
    } else {
      let keys = made![j];
      if (keys === undefined) made![j] = keys = new Set<string>();
      else if (keys.has(metric.key)) {
        throw new PromQLError('execution', 'multiple matches for labels: grouping labels must ensure unique matches');
      }
      keys.add(metric.key);
    }
    if (!keep && !returnBool) continue;
    out.push({ metric, t, v, dropName: returnBool });
  }
  return out;
}

/**
 * duplicateSeriesError is Prometheus's many-to-many error. The two series are listed in label
 * order, so the message does not depend on input order.
 */
function duplicateSeriesError(m: Matcher, a: Labels, b: Labels, side: 'left' | 'right'): PromQLError {
  const [first, second] = a.compare(b) <= 0 ? [a, b] : [b, a];
  return new PromQLError(
    'execution',
    `found duplicate series for the match group ${m.matchGroup(a).toString()} on the ${side} hand-side of the operation: ` +
      `[${first.toString()}, ${second.toString()}];many-to-many matching not allowed: matching labels must be unique on one side`,
  );
}
