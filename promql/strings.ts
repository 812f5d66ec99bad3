/**
 * unquoteString reads a PromQL string literal as Go's strconv.Unquote does: double or single
 * quotes with Go escapes (\a \b \f \n \r \t \v \\ \' \" \xHH \NNN \uHHHH \UHHHHHHHH), or back
 * quotes taken raw. It returns undefined when the literal is malformed. With `singleQuotedRune`,
 * a single-quoted literal must be one character, as Go reads it (promqltest scripts do).
 */
export function unquoteString(raw: string, singleQuotedRune = false): string | undefined {
  const v = unquote(raw);
  // Go's strconv.Unquote reads 'x' as a rune literal: exactly one character. PromQL does not.
  if (v !== undefined && singleQuotedRune && raw[0] === "'" && [...v].length !== 1) return undefined;
  return v;
}

function unquote(raw: string): string | undefined {
  const q = raw[0];
  if (raw.length < 2 || raw[raw.length - 1] !== q) return undefined;
  const body = raw.slice(1, -1);
  // Go drops carriage returns from raw strings.
  if (q === '`') return body.includes('`') ? undefined : body.replaceAll('\r', '');
  if (q !== '"' && q !== "'") return undefined;
  if (!body.includes('\\')) return body.includes(q) || body.includes('\n') ? undefined : body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === q || c === '\n') return undefined;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      case '"':
      case "'":
        if (e !== q) return undefined;
        out += e;
        break;
      case 'x':
      case 'u':
      case 'U': {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = body.slice(i + 1, i + 1 + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) return undefined;
        const code = Number.parseInt(hex, 16);
        if (e === 'x') {
          out += byteChar(code);
        } else {
          if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
          out += String.fromCodePoint(code);
        }
        i += n;
        break;
      }
      default: {
        if (e !== undefined && e >= '0' && e <= '7') {
          const oct = body.slice(i, i + 3);
          if (!/^[0-7]{3}$/.test(oct)) return undefined;
          const code = Number.parseInt(oct, 8);
          if (code > 255) return undefined;
          out += byteChar(code);
          i += 2;
          break;
        }
        return undefined;
      }
    }
  }
  return decodeByteRuns(out);
}

/**
 * Go strings are bytes: `\xc3\xa9` is "é", while a lone `\xff` is not valid UTF-8. Escaped bytes
 * are first kept as placeholders (U+F780 + byte, in a private-use block), then each run of them is
 * decoded as UTF-8; bytes that do not decode become lone surrogates (U+DC80 + byte, Python's
 * "surrogateescape"), which no validity check accepts as text, as Prometheus rejects invalid UTF-8.
 */
const BYTE_BASE = 0xf700;

function byteChar(b: number): string {
  return b < 0x80 ? String.fromCharCode(b) : String.fromCharCode(BYTE_BASE + b);
}

function decodeByteRuns(s: string): string {
  if (!/[\uf780-\uf7ff]/.test(s)) return s;
  return s.replace(/[\uf780-\uf7ff]+/g, (run) => {
    const bytes = Uint8Array.from(run, (c) => c.charCodeAt(0) - BYTE_BASE);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return Array.from(bytes, (b) => String.fromCharCode(0xdc00 + b)).join('');
    }
  });
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/**
 * goQuote is Go's strconv.Quote (the %q verb), which Prometheus uses for names and values in its
 * messages: escapes for quotes, backslashes and control characters, printable Unicode kept, other
 * runes as \u or \U escapes, and a byte that is not UTF-8 (a lone surrogate here, see
 * unquoteString) as \xHH.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (PRINTABLE.test(ch)) out += ch;
    else if (c < 0x80) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c >= 0xdc80 && c <= 0xdcff) out += '\\x' + (c - 0xdc00).toString(16).padStart(2, '0');
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if (c < 0x10000) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += '\\U' + c.toString(16).padStart(8, '0');
  }
  return out + '"';
}
