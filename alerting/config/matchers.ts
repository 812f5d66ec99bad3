import { type MatchType, Matcher } from '../../model/matcher.js';
import { compileAnchoredRegex, RegexError } from '../../model/regex.js';

/**
 * Alertmanager 0.25's "classic" matcher syntax (pkg/labels/parse.go), used by route `matchers`,
 * inhibit rules, silences and amtool: `name="value"`, `name=~"re"`, `name!=v`, `name!~v`. The
 * name is a classic label name that may also hold ':'; the value may be quoted or not.
 */

/** MatcherParseError is a matcher that does not parse (or whose regular expression does not compile); the message quotes the offending text. */
export class MatcherParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatcherParseError';
  }
}

// Go's RE2 `\s` is [\t\n\f\r ], narrower than JavaScript's.
const MATCHER = /^[\t\n\f\r ]*([a-zA-Z_:][a-zA-Z0-9_:]*)[\t\n\f\r ]*(=~|=|!=|!~)[\t\n\f\r ]*([\s\S]*?)[\t\n\f\r ]*$/;

/**
 * parseMatcher parses one matcher as Alertmanager's ParseMatcher does. A quoted value takes the
 * OpenMetrics escapes `\"`, `\n` and `\\`; any other backslash is a literal backslash. An
 * unescaped double quote inside the value is an error. Throws MatcherParseError.
 */
export function parseMatcher(text: string): Matcher {
  const m = MATCHER.exec(text);
  if (m === null) throw new MatcherParseError(`bad matcher format: ${text}`);
  const name = m[1]!;
  const type = m[2] as MatchType;
  const raw = m[3]!;
  let rest = raw;
  let expectTrailingQuote = false;
  if (rest.startsWith('"')) {
    rest = rest.slice(1);
    expectTrailingQuote = true;
  }
  let value = '';
  let escaped = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (escaped) {
      escaped = false;
      if (c === 'n') value += '\n';
      else if (c === '"' || c === '\\') value += c;
      else value += '\\' + c; // a spurious escape is a literal backslash
      continue;
    }
    if (c === '\\') {
      if (i < rest.length - 1) escaped = true;
      else value += '\\';
    } else if (c === '"') {
      if (!expectTrailingQuote || i < rest.length - 1) throw new MatcherParseError(`matcher value contains unescaped double quote: ${raw}`);
      expectTrailingQuote = false;
    } else {
      value += c;
    }
  }
  if (expectTrailingQuote) throw new MatcherParseError(`matcher value contains unescaped double quote: ${raw}`);
  return newMatcher(type, name, value);
}

/**
 * newMatcher makes an AlertmanagerMatcher, turning a regular expression that does not compile
 * into a MatcherParseError that names the expression as written.
 */
export function newMatcher(type: MatchType, name: string, value: string): Matcher {
  try {
    return new AlertmanagerMatcher(type, name, value);
  } catch (err) {
    if (err instanceof RegexError) throw new MatcherParseError(`invalid regular expression ${JSON.stringify(value)}: ${regexReason(err)}`);
    throw err;
  }
}

/** regexReason is a RegexError's reason without the JavaScript pattern V8 puts in front of it. */
export function regexReason(err: RegexError): string {
  return err.reason.replace(/^\/[\s\S]*\/[a-z]*: /, '');
}

/**
 * parseMatchers parses a comma-separated list as Alertmanager's ParseMatchers does: an optional
 * leading `{` and trailing `}`, commas inside double quotes kept, a trailing comma allowed. An
 * empty list (``, `{}`) gives no matchers.
 */
export function parseMatchers(text: string): Matcher[] {
  let s = text.startsWith('{') ? text.slice(1) : text;
  if (s.endsWith('}')) s = s.slice(0, -1);
  const tokens: string[] = [];
  let token = '';
  let insideQuotes = false;
  let escaped = false;
  for (const c of s) {
    if (c === ',') {
      if (!insideQuotes) {
        tokens.push(token);
        token = '';
        continue;
      }
      // A comma inside quotes leaves `escaped` as it was, as Alertmanager's tokenizer does.
    } else if (c === '"') {
      if (!escaped) insideQuotes = !insideQuotes;
      else escaped = false;
    } else if (c === '\\') {
      escaped = !escaped;
    } else {
      escaped = false;
    }
    token += c;
  }
  const last = token.replace(GO_TRIM_SPACE, '');
  if (last !== '') tokens.push(last);
  return tokens.map(parseMatcher);
}

/** GO_TRIM_SPACE strips what Go's strings.TrimSpace does (Unicode White_Space). */
const GO_TRIM_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/**
 * formatMatcher is a matcher as Alertmanager 0.25 prints it in route keys and `routes show`:
 * `name="value"` with only `\`, newline and `"` escaped (OpenMetrics escaping). Tabs and other
 * control characters are printed as they are: amtool 0.25 does so, unlike Go's %q.
 */
export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.type}"${escapeValue(m.value)}"`;
}

/** formatMatchers is Alertmanager's Matchers.String(): `{a="1",b=~"x"}`, in the given order. */
export function formatMatchers(ms: readonly Matcher[]): string {
  return `{${ms.map(formatMatcher).join(',')}}`;
}

function escapeValue(v: string): string {
  return v.replace(/[\\\n"]/g, (c) => (c === '\n' ? '\\n' : '\\' + c));
}

/**
 * compareMatchers orders matchers as Alertmanager's Matchers.Less: by name, then value (byte-wise,
 * as Go compares strings), then operator in the order = != =~ !~.
 */
export function compareMatchers(a: Matcher, b: Matcher): number {
  return compareGoStrings(a.name, b.name) || compareGoStrings(a.value, b.value) || TYPE_ORDER[a.type] - TYPE_ORDER[b.type];
}

const TYPE_ORDER: Record<MatchType, number> = { '=': 0, '!=': 1, '=~': 2, '!~': 3 };

/** compareGoStrings compares by code point, which is the order of Go's byte-wise UTF-8 comparison. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/**
 * AlertmanagerMatcher is a Matcher with Alertmanager's regular-expression semantics: the
 * expression is anchored as `^(?:re)$` without the `s` flag, so `.` does not match a newline
 * (Prometheus, whose semantics model/matcher.ts has, adds `s`). Values without a newline match
 * the same either way, so only those take the slower path. toString is formatMatcher.
 */
export class AlertmanagerMatcher extends Matcher {
  private readonly newlineRegex: RegExp | undefined;

  constructor(type: MatchType, name: string, value: string) {
    super(type, name, value);
    this.newlineRegex = type === '=~' || type === '!~' ? withoutDotAll(value) : undefined;
  }

  override matches(value: string): boolean {
    if (this.newlineRegex === undefined || !value.includes('\n')) return super.matches(value);
    const hit = this.newlineRegex.test(value);
    return this.type === '=~' ? hit : !hit;
  }

  override toString(): string {
    return formatMatcher(this);
  }
}

/** withoutDotAll compiles an RE2 expression where `.` is [^\n], unless it opens with an s flag. */
function withoutDotAll(source: string): RegExp {
  const re = compileAnchoredRegex(source);
  if (/^\(\?[imU]*s/.test(source)) return re;
  let out = '';
  let inClass = false;
  const p = re.source;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      out += c + (p[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') out += p[++i];
      if (p[i + 1] === ']') out += p[++i];
    } else {
      out += c === '.' ? '[^\\n]' : c;
    }
  }
  return new RegExp(out, re.flags);
}
