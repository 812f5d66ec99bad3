/**
 * Syntax checks for the Kubernetes selectors in `selectors:`, so a typo is reported with its
 * file:line:column when the config loads (as Prometheus rejects it then) instead of as a 400 from
 * the API server on every list. The API server does the matching; vigil only checks the grammar.
 */

/** SelectorProblem is why a selector is malformed; `index` is the 0-based offset in the selector string. */
export interface SelectorProblem {
  readonly index: number;
  readonly message: string;
}

type TokenKind = 'id' | 'in' | 'notin' | '!' | '!=' | '=' | '==' | '>' | '<' | '(' | ')' | ',' | 'end';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly index: number;
}

const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

/** lex splits a label selector into tokens as apimachinery's labels lexer does. */
function lex(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (WHITESPACE.has(ch)) {
      i++;
      continue;
    }
    if (SPECIAL.has(ch)) {
      const two = s.slice(i, i + 2);
      if (two === '!=' || two === '==') {
        out.push({ kind: two, text: two, index: i });
        i += 2;
      } else {
        out.push({ kind: ch as TokenKind, text: ch, index: i });
        i++;
      }
      continue;
    }
    const start = i;
    while (i < s.length && !WHITESPACE.has(s[i]!) && !SPECIAL.has(s[i]!)) i++;
    const text = s.slice(start, i);
    out.push({ kind: text === 'in' ? 'in' : text === 'notin' ? 'notin' : 'id', text, index: start });
  }
  out.push({ kind: 'end', text: 'end of string', index: s.length });
  return out;
}

class Fail {
  constructor(readonly problem: SelectorProblem) {}
}

/**
 * labelSelectorProblem checks a label selector (`app=vllm,tier in (gpu,cpu),!canary`) against
 * apimachinery's grammar: requirements separated by commas, each `key`, `!key`, `key=v`,
 * `key==v`, `key!=v`, `key in (...)`, `key notin (...)`, `key>N` or `key<N`, with qualified-name
 * keys and label-value values. It returns undefined when the selector is well formed.
 */
export function labelSelectorProblem(s: string): SelectorProblem | undefined {
  const tokens = lex(s);
  let pos = 0;
  // In value position the keywords are plain identifiers, as in apimachinery's Values context.
  const peek = (): Token => {
    const t = tokens[pos]!;
    return t.kind === 'in' || t.kind === 'notin' ? { ...t, kind: 'id' } : t;
  };
  const next = (): Token => {
    const t = peek();
    if (t.kind !== 'end') pos++;
    return t;
  };
  const fail = (t: Token, message: string): never => {
    throw new Fail({ index: t.index, message });
  };
  const found = (t: Token, expected: string): never => fail(t, `found '${t.text}', expected: ${expected}`);
  const value = (t: Token): void => {
    const why = labelValueProblem(t.text);
    if (why !== undefined) fail(t, `invalid label value: "${t.text}": ${why}`);
  };

  const requirement = (): void => {
    let t = next();
    const negated = t.kind === '!';
    if (negated) t = next();
    if (t.kind !== 'id') found(t, 'identifier');
    const keyWhy = qualifiedNameProblem(t.text);
    if (keyWhy !== undefined) fail(t, `invalid label key "${t.text}": ${keyWhy}`);
    const after = peek();
    if (negated || after.kind === 'end' || after.kind === ',') return;
    // The operator is read with keywords intact.
    const op = tokens[pos]!;
    pos++;
    switch (op.kind) {
      case 'in':
      case 'notin': {
        const open = next();
        if (open.kind !== '(') found(open, "'('");
        // `()` and empty items (`(a,,b)`) stand for the empty value, as in apimachinery.
        for (;;) {
          const v = next();
          if (v.kind === ')') return;
          if (v.kind === ',') continue;
          if (v.kind !== 'id') found(v, "',', ')' or identifier");
          value(v);
          const sep = peek();
          if (sep.kind !== ',' && sep.kind !== ')') found(sep, "',' or ')'");
        }
      }
      case '=':
      case '==':
      case '!=':
      case '>':
      case '<': {
        const v = peek();
        if (v.kind === 'end' || v.kind === ',') {
          if (op.kind === '>' || op.kind === '<') fail(v, "for 'Gt', 'Lt' operators, the value must be an integer");
          return;
        }
        next();
        if (v.kind !== 'id') found(v, 'identifier');
        if ((op.kind === '>' || op.kind === '<') && !/^-?\d+$/.test(v.text)) {
          fail(v, "for 'Gt', 'Lt' operators, the value must be an integer");
        }
        value(v);
        return;
      }
      default:
        found(op, '=, !=, ==, in, notin, >, <');
    }
  };

  try {
    for (;;) {
      const t = peek();
      if (t.kind === 'end') return undefined;
      if (t.kind !== 'id' && t.kind !== '!') found(t, "!, identifier, or 'end of string'");
      requirement();
      const sep = next();
      if (sep.kind === 'end') return undefined;
      if (sep.kind !== ',') found(sep, "',' or 'end of string'");
      const after = peek();
      if (after.kind !== 'id' && after.kind !== '!') found(after, "identifier after ','");
    }
  } catch (err) {
    if (err instanceof Fail) return err.problem;
    throw err;
  }
}

/**
 * fieldSelectorProblem checks a field selector (`spec.nodeName=gpu-1,status.phase!=Failed`) as
 * apimachinery's fields.ParseSelector does: comma-separated terms (a backslash escapes `,`, `=`
 * and itself), each `key=value`, `key==value` or `key!=value`. Which keys a resource supports is
 * the API server's to say.
 */
export function fieldSelectorProblem(s: string): SelectorProblem | undefined {
  let start = 0;
  for (const term of splitTerms(s)) {
    const at = start;
    start += term.length + 1;
    if (term === '') continue;
    const split = splitTerm(term);
    if (split === undefined) return { index: at, message: `invalid selector: '${s}'; can't understand '${term}'` };
    const problem = unescapeProblem(split.value);
    if (problem !== undefined) return { index: at + split.valueAt + problem.index, message: problem.message };
  }
  return undefined;
}

function splitTerms(s: string): string[] {
  if (s === '') return [];
  const terms: string[] = [];
  let current = '';
  let escaped = false;
  for (const ch of s) {
    if (escaped) {
      current += ch;
      escaped = false;
    } else if (ch === '\\') {
      current += ch;
      escaped = true;
    } else if (ch === ',') {
      terms.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  terms.push(current);
  return terms;
}

function splitTerm(term: string): { value: string; valueAt: number } | undefined {
  let escaped = false;
  for (let i = 0; i < term.length; i++) {
    if (escaped) {
      escaped = false;
      continue;
    }
    if (term[i] === '\\') {
      escaped = true;
      continue;
    }
    for (const op of ['!=', '==', '=']) {
      if (term.startsWith(op, i)) return { value: term.slice(i + op.length), valueAt: i + op.length };
    }
  }
  return undefined;
}

function unescapeProblem(v: string): SelectorProblem | undefined {
  for (let i = 0; i < v.length; i++) {
    const ch = v[i];
    if (ch === '\\') {
      const e = v[i + 1];
      if (e !== '\\' && e !== ',' && e !== '=') return { index: i, message: `invalid field selector value: invalid escape sequence "\\${e ?? ''}"` };
      i++;
    } else if (ch === '=' || ch === ',') {
      return { index: i, message: `invalid field selector value: "${ch}" must be escaped as "\\${ch}"` };
    }
  }
  return undefined;
}

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** qualifiedNameProblem checks a label key: an optional DNS subdomain prefix and `/`, then a name of at most 63 characters. */
function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'a qualified name must be a name with an optional DNS subdomain prefix and "/", such as "example.com/MyName"';
  let name = parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix === '') return 'prefix part must be non-empty';
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return 'prefix part must be a lowercase DNS subdomain of at most 253 characters';
  }
  if (name === '') return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!NAME.test(name)) return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return undefined;
}

function labelValueProblem(v: string): string | undefined {
  if (v === '') return undefined;
  if (v.length > 63) return 'must be no more than 63 characters';
  if (!NAME.test(v)) return "a valid label value must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return undefined;
}
