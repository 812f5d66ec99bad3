/**
 * Prometheus regular expressions are Go RE2, fully anchored, with `.` matching newlines
 * (Prometheus compiles `^(?s:<re>)$`). compileAnchoredRegex translates the RE2 spellings that
 * differ in JavaScript and rejects the ones JavaScript cannot express, so that an expression means
 * the same thing in vigil as in Prometheus or fails loudly.
 */
export function compileAnchoredRegex(source: string): RegExp {
  const { pattern, flags } = translateRe2(source);
  try {
    return new RegExp(`^(?:${pattern})$`, flags);
  } catch (err) {
    throw new RegexError(source, (err as Error).message.replace(/^Invalid regular expression: /, ''));
  }
}

/** RegexError reports a regular expression that is not valid RE2 or cannot be run here. */
export class RegexError extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
  ) {
    super(`invalid regular expression ${JSON.stringify(source)}: ${reason}`);
    this.name = 'RegexError';
  }
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

function translateRe2(source: string): { pattern: string; flags: string } {
  let flags = 's';
  let rest = source;
  // Leading flag groups such as (?i) apply to the whole expression, which JS flags can express.
  const lead = /^\(\?([imsU]+)\)/.exec(rest);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === 'i' && !flags.includes('i')) flags += 'i';
      else if (f === 'm' && !flags.includes('m')) flags += 'm';
      else if (f === 'U') throw new RegexError(source, 'the (?U) ungreedy flag is not supported');
    }
    rest = rest.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  // Case-insensitive scopes from (?i:...) groups or a (?i) inside a group; JavaScript (before
  // regexp modifiers) has no scoped flags, so letters in such scopes are spelled as [xX].
  const groups: boolean[] = [];
  let fold = false;
  const globalFold = flags.includes('i');
  const foldChar = (ch: string) => {
    if (!fold || globalFold) return ch;
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    if (lo === up) return ch;
    return inClass ? `${lo}${up}` : `[${lo}${up}]`;
  };
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (c === '\\') {
      const n = rest[i + 1];
      if (n === undefined) throw new RegexError(source, 'trailing backslash at end of expression');
      if (n === 'Q') {
        const end = rest.indexOf('\\E', i + 2);
        const literal = end < 0 ? rest.slice(i + 2) : rest.slice(i + 2, end);
        out += literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end < 0 ? rest.length : end + 1;
        continue;
      }
      if (!inClass && n === 'z') out += '$';
      else if (!inClass && n === 'A') out += '^';
      else if (n === 'C' || n === 'p' || n === 'P') {
        throw new RegexError(source, `\\${n} is not supported`);
      } else out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && rest[i + 1] === ':') {
        const end = rest.indexOf(':]', i + 2);
        if (end > 0) {
          let name = rest.slice(i + 2, end);
          const negated = name.startsWith('^');
          if (negated) name = name.slice(1);
          const cls = POSIX_CLASSES[name];
          if (cls === undefined) throw new RegexError(source, `invalid character class range [:${name}:]`);
          if (negated) throw new RegexError(source, `negated POSIX class [:^${name}:] is not supported`);
          out += cls;
          i = end + 1;
          continue;
        }
      }
      if (c === ']') {
        inClass = false;
        out += c;
        continue;
      }
      if (fold && !globalFold && rest[i + 1] === '-' && rest[i + 2] !== undefined && rest[i + 2] !== ']') {
        // A range such as a-z: add the same range in the other case.
        const to = rest[i + 2]!;
        out += `${c}-${to}`;
        const lo = `${c.toLowerCase()}-${to.toLowerCase()}`;
        const up = `${c.toUpperCase()}-${to.toUpperCase()}`;
        if (/^[a-zA-Z]-[a-zA-Z]$/.test(`${c}-${to}`)) out += lo === `${c}-${to}` ? up : lo;
        i += 2;
        continue;
      }
      out += foldChar(c);
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A ']' right after '[' or '[^' is a literal in RE2.
      if (rest[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (rest[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && rest[i + 1] === '?') {
      if (rest[i + 2] === 'P' && rest[i + 3] === '<') {
        groups.push(fold);
        out += '(?<';
        i += 3;
        continue;
      }
      const inline = /^\(\?(-?[ims]+|[ims]+-[ims]+)(:|\))/.exec(rest.slice(i));
      if (inline !== null) {
        const spec = inline[1]!;
        const [on, off = ''] = spec.split('-') as [string, string?];
        if (/[ms]/.test(on + off)) throw new RegexError(source, `inline flags (?${spec}) other than i are supported only at the start of the expression`);
        const next: boolean = on.includes('i') ? true : off.includes('i') ? false : fold;
        if (inline[2] === ':') {
          groups.push(fold);
          fold = next;
          out += '(?:';
        } else {
          fold = next; // (?i) applies to the rest of the enclosing group
        }
        i += inline[0].length - 1;
        continue;
      }
      if (rest[i + 2] !== ':' && rest[i + 2] !== '<' && rest[i + 2] !== '=' && rest[i + 2] !== '!') {
        throw new RegexError(source, `unsupported group syntax ${JSON.stringify(rest.slice(i, i + 4))}`);
      }
      groups.push(fold);
      out += c;
      continue;
    }
    if (c === '(') {
      groups.push(fold);
      out += c;
      continue;
    }
    if (c === ')') {
      fold = groups.pop() ?? false;
      out += c;
      continue;
    }
    out += foldChar(c);
  }
  return { pattern: out, flags };
}
