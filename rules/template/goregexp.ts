/**
 * Go's regexp for the template functions `match` and `reReplaceAll`: unanchored, `.` not matching
 * a newline. JavaScript's syntax covers what alert templates use; RE2's `(?P<name>` and a leading
 * `(?i)` are translated.
 */
export function compileGoRegexp(pattern: string): RegExp {
  let flags = 'gu';
  let src = pattern.replace(/\(\?P</g, '(?<');
  const lead = /^\(\?([ims]+)\)/.exec(src);
  if (lead !== null) {
    for (const f of new Set(lead[1])) flags += f;
    src = src.slice(lead[0].length);
  }
  try {
    return new RegExp(src, flags);
  } catch (err) {
    throw new Error(`regexp: Compile(${quoteBackticks(pattern)}): error parsing regexp: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
}

function quoteBackticks(s: string): string {
  return s.includes('`') ? JSON.stringify(s) : '`' + s + '`';
}

/**
 * replaceAllString is Go's Regexp.ReplaceAllString: in `repl`, `$1`, `${1}`, `$name` and
 * `${name}` insert a group (the longest name wins, so `$1x` is the group named `1x`, usually
 * empty), `$$` is a dollar sign.
 */
export function replaceAllString(re: RegExp, src: string, repl: string): string {
  re.lastIndex = 0;
  return src.replace(re, (...m: unknown[]) => {
    const hasGroups = typeof m[m.length - 1] === 'object' && m[m.length - 1] !== null;
    const groups = (hasGroups ? m[m.length - 1] : undefined) as Record<string, string | undefined> | undefined;
    const numbered = m.slice(0, hasGroups ? -3 : -2) as (string | undefined)[];
    let out = '';
    for (let i = 0; i < repl.length; i++) {
      const c = repl[i]!;
      if (c !== '$' || i + 1 >= repl.length) {
        out += c;
        continue;
      }
      if (repl[i + 1] === '$') {
        out += '$';
        i++;
        continue;
      }
      let name: string | undefined;
      let end = i + 1;
      if (repl[i + 1] === '{') {
        const close = repl.indexOf('}', i + 2);
        const inner = close < 0 ? '' : repl.slice(i + 2, close);
        if (close >= 0 && /^[A-Za-z0-9_]+$/.test(inner)) {
          name = inner;
          end = close + 1;
        }
      } else {
        const w = /^[A-Za-z0-9_]+/.exec(repl.slice(i + 1));
        if (w !== null) {
          name = w[0];
          end = i + 1 + w[0].length;
        }
      }
      if (name === undefined) {
        out += c;
        continue;
      }
      if (/^\d+$/.test(name)) out += numbered[Number(name)] ?? '';
      else out += groups?.[name] ?? '';
      i = end - 1;
    }
    return out;
  });
}
