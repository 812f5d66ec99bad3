import type { MatchType, Matcher } from '../../model/matcher.js';
import type { Field } from '../../util/yamlreader.js';
import { checkLabelName } from './fields.js';
import { MatcherParseError, newMatcher, parseMatchers } from './matchers.js';

/**
 * decodeMatchersList reads a `matchers` list (routes, inhibit rules): each item is one or more
 * comma-separated matchers in Alertmanager's syntax. An item that does not parse is reported at
 * its position with the parser's message, which quotes the offending text.
 */
export function decodeMatchersList(f: Field): Matcher[] {
  const out: Matcher[] = [];
  f.list((item) => {
    const s = item.string();
    if (s === undefined) return undefined;
    try {
      out.push(...parseMatchers(s));
    } catch (err) {
      if (err instanceof MatcherParseError) item.fail(err.message);
      else throw err;
    }
    return undefined;
  });
  return out;
}

/**
 * matchMap reads the legacy `match` (type '=') or `match_re` (type '=~') mapping of label names to
 * values. A match_re value is kept as Alertmanager keeps it, anchored: `^(?:re)$`.
 */
export function matchMap(f: Field, type: Extract<MatchType, '=' | '=~'>): Matcher[] {
  const out: Matcher[] = [];
  for (const [name, field] of f.entries() ?? []) {
    if (!checkLabelName(field, name, `invalid label name ${JSON.stringify(name)}`)) continue;
    // A null value is "" for match (Go's zero value) and an error for match_re, as in Alertmanager.
    if (!field.present && type === '=~') {
      field.fail(`invalid regexp value for ${JSON.stringify(name)}`);
      continue;
    }
    const value = field.present ? field.string() : '';
    if (value === undefined) continue;
    try {
      if (type === '=~') newMatcher('=~', name, value); // reports the expression as written
      out.push(newMatcher(type, name, type === '=~' ? `^(?:${value})$` : value));
    } catch (err) {
      if (err instanceof MatcherParseError) field.fail(err.message);
      else throw err;
    }
  }
  return out;
}
