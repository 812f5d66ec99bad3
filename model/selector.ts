import { isValidLabelName, isValidMetricName, METRIC_NAME } from './labels.js';
import { Matcher, type MatchType } from './matcher.js';

/** SelectorError points at the 1-based column of a malformed series selector. */
export class SelectorError extends Error {
  constructor(
    readonly column: number,
    readonly reason: string,
  ) {
    super(`1:${column}: ${reason}`);
    this.name = 'SelectorError';
  }
}

/**
 * parseSeriesSelector reads a series selector such as `up{job="api", code=~"5.."}` into matchers,
 * for command-line flags like `--match`. (PromQL expressions are the engine's business; this is
 * just the selector subset.) Like Prometheus, at least one matcher must not match the empty string.
 */
export function parseSeriesSelector(text: string): Matcher[] {
  let i = 0;
  const s = text;
  const ws = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const fail = (reason: string): never => {
    throw new SelectorError(i + 1, reason);
  };
  const matchers: Matcher[] = [];
  ws();
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(s.slice(i))?.[0];
  if (name !== undefined) {
    if (!isValidMetricName(name)) fail(`invalid metric name ${JSON.stringify(name)}`);
    matchers.push(new Matcher('=', METRIC_NAME, name));
    i += name.length;
    ws();
  }
  if (s[i] === '{') {
    i++;
    ws();
    while (s[i] !== '}') {
      const label = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(s.slice(i))?.[0] ?? fail('expected a label name');
      if (!isValidLabelName(label)) fail(`invalid label name ${JSON.stringify(label)}`);
      i += label.length;
      ws();
      const op = (/^(=~|!~|!=|=)/.exec(s.slice(i))?.[0] ?? fail('expected one of =, !=, =~, !~')) as MatchType;
      i += op.length;
      ws();
      const quote = s[i];
      if (quote !== '"' && quote !== "'" && quote !== '`') fail('expected a quoted string');
      let j = i + 1;
      let value = '';
      while (j < s.length && s[j] !== quote) {
        if (s[j] === '\\' && quote !== '`') {
          const e = s[j + 1];
          value += e === 'n' ? '\n' : e === 't' ? '\t' : (e ?? '');
          j += 2;
        } else value += s[j++];
      }
      if (j >= s.length) fail('unterminated string');
      i = j + 1;
      try {
        matchers.push(new Matcher(op, label, value));
      } catch (err) {
        fail((err as Error).message);
      }
      ws();
      if (s[i] === ',') {
        i++;
        ws();
      } else if (s[i] !== '}') fail('expected "," or "}"');
    }
    i++;
    ws();
  }
  if (i < s.length) fail(`unexpected ${JSON.stringify(s.slice(i, i + 10))}`);
  if (matchers.length === 0) fail('empty selector');
  if (matchers.every((m) => m.matchesEmpty)) {
    throw new SelectorError(1, 'vector selector must contain at least one non-empty matcher');
  }
  return matchers;
}
