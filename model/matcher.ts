import { compileAnchoredRegex } from './regex.js';

/** MatchType is one of PromQL's four label matcher operators. */
export type MatchType = '=' | '!=' | '=~' | '!~';

/**
 * Matcher selects label values, with Prometheus semantics: an absent label has the value "", and
 * regular expressions are fully anchored RE2.
 */
export class Matcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
  /** For regex matchers: the literal values it can match when it is a plain alternation, else undefined. */
  readonly setMatches: readonly string[] | undefined;
  private readonly test: (value: string) => boolean;

  constructor(type: MatchType, name: string, value: string) {
    this.type = type;
    this.name = name;
    this.value = value;
    if (type === '=' || type === '!=') {
      this.setMatches = undefined;
      this.test = (v) => v === value;
    } else {
      const fast = fastRegex(value);
      this.setMatches = fast.set;
      this.test = fast.test;
    }
  }

  matches(value: string): boolean {
    const hit = this.test(value);
    return this.type === '=' || this.type === '=~' ? hit : !hit;
  }

  /** matchesEmpty says whether a series without this label is selected. */
  get matchesEmpty(): boolean {
    return this.matches('');
  }

  toString(): string {
    return `${this.name}${this.type}${JSON.stringify(this.value)}`;
  }
}

const META = /[\\^$.|?*+()[\]{}]/;

/** fastRegex recognises the regex shapes that need no regex engine, as Prometheus's FastRegexMatcher does. */
function fastRegex(source: string): { test: (v: string) => boolean; set: string[] | undefined } {
  if (source === '.*') return { test: () => true, set: undefined };
  if (source === '.+') return { test: (v) => v.length > 0, set: undefined };
  const alternatives = source.split('|');
  if (alternatives.every((a) => !META.test(a))) {
    const set = new Set(alternatives);
    return { test: (v) => set.has(v), set: alternatives };
  }
  const prefix = /^([^\\^$.|?*+()[\]{}]+)\.\*$/.exec(source);
  if (prefix) {
    const p = prefix[1]!;
    return { test: (v) => v.startsWith(p), set: undefined };
  }
  const re = compileAnchoredRegex(source);
  return { test: (v) => re.test(v), set: undefined };
}
