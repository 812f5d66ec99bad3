import { Labels, METRIC_NAME } from '../model/labels.js';
import type { VectorMatching } from './ast.js';

/**
 * Vector matching helpers shared by the binary operators: the join signature of a sample (which
 * labels must agree), the labels of a matched result, and the match group named in errors.
 * They follow Prometheus's rangeEval signature function, resultMetric and Labels.MatchLabels.
 */

export type { VectorMatching } from './ast.js';

/**
 * Matcher holds one VectorMatching's derived state. It is cached per VectorMatching object (the
 * engine passes the same AST node at every step), and caches per label set, so a range query
 * computes each series' signature and each result label set once rather than at every step.
 */
export class Matcher {
  /** names is the set compared (on) or left out (ignoring; `__name__` is always left out then). */
  private readonly names: ReadonlySet<string>;
  private readonly matchingSet: ReadonlySet<string>;
  private readonly sigCache = new WeakMap<Labels, string>();
  private readonly resultCache = new WeakMap<Labels, ResultEntry>();

  constructor(readonly matching: VectorMatching) {
    this.matchingSet = new Set(matching.matchingLabels);
    this.names = matching.on ? this.matchingSet : new Set([METRIC_NAME, ...matching.matchingLabels]);
  }

  /**
   * signature is the join key of a label set: equal keys match. With `on`, only the listed labels
   * count (`__name__` too, if listed); with `ignoring`, all labels but the listed ones and
   * `__name__`. The key has Labels.key's form, so a set with nothing to leave out is its own key.
   */
  signature(ls: Labels): string {
    let sig = this.sigCache.get(ls);
    if (sig === undefined) {
      sig = this.computeSignature(ls);
      this.sigCache.set(ls, sig);
    }
    return sig;
  }

  private computeSignature(ls: Labels): string {
    const flat = ls.toFlat();
    const on = this.matching.on;
    const names = this.names;
    if (!on) {
      let excluded = false;
      for (let i = 0; i < flat.length; i += 2) {
        if (names.has(flat[i]!)) {
          excluded = true;
          break;
        }
      }
      if (!excluded) return ls.key;
    }
    let sig = '';
    for (let i = 0; i < flat.length; i += 2) {
      const name = flat[i]!;
      if (names.has(name) !== on) continue;
      const value = flat[i + 1]!;
      sig += name + '\u0000' + (value.includes('\u0000') ? value.replaceAll('\u0000', '\u0000\u0000') : value) + '\u0000';
    }
    return sig;
  }

  /**
   * resultMetric is the label set of a matched pair's result (Prometheus's resultMetric): the
   * "many" side's labels (`many`; the left side for one-to-one); without `__name__`, `__type__`
   * and `__unit__` when the operator is arithmetic (schemaChange); reduced to the `on` labels or
   * stripped of the `ignoring` ones for one-to-one matching; then each group_x label set to its
   * value on the "one" side, or removed when the one side lacks it.
   */
  resultMetric(many: Labels, one: Labels, schemaChange: boolean): Labels {
    const cached = this.resultCache.get(many);
    if (cached !== undefined && cached.one === one && cached.schemaChange === schemaChange) return cached.result;
    const result = this.computeResult(many, one, schemaChange);
    this.resultCache.set(many, { one, schemaChange, result });
    return result;
  }

  private computeResult(many: Labels, one: Labels, schemaChange: boolean): Labels {
    const { card, on, include } = this.matching;
    const oneToOne = card === 'one-to-one';
    const flat = many.toFlat();
    const out: string[] = [];
    let changed = false;
    for (let i = 0; i < flat.length; i += 2) {
      const name = flat[i]!;
      if (schemaChange && (name === METRIC_NAME || name === '__type__' || name === '__unit__')) {
        changed = true;
        continue;
      }
      if (oneToOne && this.matchingSet.has(name) !== on) {
        changed = true;
        continue;
      }
      out.push(name, flat[i + 1]!);
    }
    for (const name of include) {
      changed = setSorted(out, name, one.get(name)) || changed;
    }
    return changed ? Labels.fromSorted(out) : many;
  }

  /** matchGroup is the match group named in duplicate-series errors (Labels.MatchLabels). */
  matchGroup(ls: Labels): Labels {
    const flat = ls.toFlat();
    const out: string[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      if (this.names.has(flat[i]!) === this.matching.on) out.push(flat[i]!, flat[i + 1]!);
    }
    return Labels.fromSorted(out);
  }
}

interface ResultEntry {
  readonly one: Labels;
  readonly schemaChange: boolean;
  readonly result: Labels;
}

/** setSorted sets (or, for "", deletes) name in an interleaved sorted pair list; true if it changed. */
function setSorted(flat: string[], name: string, value: string): boolean {
  let i = 0;
  while (i < flat.length && flat[i]! < name) i += 2;
  const present = i < flat.length && flat[i] === name;
  if (value === '') {
    if (!present) return false;
    flat.splice(i, 2);
    return true;
  }
  if (present) {
    if (flat[i + 1] === value) return false;
    flat[i + 1] = value;
    return true;
  }
  flat.splice(i, 0, name, value);
  return true;
}

const matchers = new WeakMap<VectorMatching, Matcher>();

/** matcherFor returns the (cached) Matcher of a VectorMatching. */
export function matcherFor(matching: VectorMatching): Matcher {
  let m = matchers.get(matching);
  if (m === undefined) {
    m = new Matcher(matching);
    matchers.set(matching, m);
  }
  return m;
}
