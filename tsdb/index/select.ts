import type { Matcher } from '../../model/matcher.js';
import type { MemPostings } from './mem_postings.js';
import { EMPTY_POSTINGS, intersect, subtract, union } from './postings.js';

/**
 * postingsForMatchers returns the sorted ids of the series that match every matcher, with
 * Prometheus's semantics: a matcher that matches the empty string also selects series without the
 * label. Positive matchers are intersected first (smallest first) and the others subtracted;
 * `all` (every live id, sorted) is the start only when every matcher matches the empty string.
 */
export function postingsForMatchers(index: MemPostings, matchers: readonly Matcher[], all: () => Uint32Array): Uint32Array {
  if (matchers.length === 0) return all();
  const positive: Uint32Array[] = [];
  const negative: Uint32Array[] = [];
  for (const m of matchers) {
    if (m.matchesEmpty) {
      // Selects series without the label too: subtract the series whose value does not match.
      negative.push(postingsWhere(index, m.name, (v) => !m.matches(v), m.type === '!=' || m.type === '!~' ? inverseSet(m) : undefined));
    } else {
      const p = postingsWhere(index, m.name, (v) => m.matches(v), m.type === '=' ? [m.value] : m.type === '=~' ? m.setMatches : undefined);
      if (p.length === 0) return EMPTY_POSTINGS;
      positive.push(p);
    }
  }
  let result: Uint32Array;
  if (positive.length === 0) result = all();
  else {
    positive.sort((a, b) => a.length - b.length);
    result = positive[0]!;
    for (let i = 1; i < positive.length && result.length > 0; i++) result = intersect(result, positive[i]!);
  }
  for (const n of negative) {
    if (result.length === 0) break;
    result = subtract(result, n);
  }
  return result;
}

/**
 * inverseSet is the literal set of values a negative matcher rejects, when it has one (`l!="x"`,
 * `l!~"a|b"`): those postings can be looked up directly instead of scanning every value.
 */
function inverseSet(m: Matcher): readonly string[] | undefined {
  return m.type === '!=' ? [m.value] : m.setMatches;
}

/**
 * postingsWhere unions the postings of the values of `name` accepted by `accept`. With `literals`
 * (the exact values that can be accepted) it looks them up instead of scanning every value.
 */
function postingsWhere(
  index: MemPostings,
  name: string,
  accept: (value: string) => boolean,
  literals: readonly string[] | undefined,
): Uint32Array {
  const lists: Uint32Array[] = [];
  if (literals !== undefined) {
    for (const v of new Set(literals)) {
      if (v === '' || !accept(v)) continue;
      const p = index.get(name, v);
      if (p.length > 0) lists.push(p);
    }
  } else {
    for (const v of index.values(name)) {
      if (accept(v)) lists.push(index.get(name, v));
    }
  }
  // Views into the index may change on the next write: copy when returning one as is.
  if (lists.length === 1) return lists[0]!.slice();
  return union(lists);
}
