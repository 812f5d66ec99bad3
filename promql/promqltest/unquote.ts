const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/**
 * unquoteGoString reads a quoted string as Go's strconv.Unquote does, which is how test scripts
 * spell label values and `expect string` literals: "double" or 'single' quotes with Go escapes
 * (\n \t \\ \" \xHH \NNN \uHHHH \UHHHHHHHH ...), or `back quotes` taken raw. It returns undefined
 * when the literal is malformed. Go's strconv.Unquote reads 'x' as a rune literal (exactly one
 * character); PromQL's own unquoting does not: pass `singleQuotedRune` for the former.
 */
export function unquoteGoString(raw: string, singleQuotedRune = false): string | undefined {
  const q = raw[0];
  if (raw.length < 2 || raw[raw.length - 1] !== q) return undefined;
  const body = raw.slice(1, -1);
  if (q === '`') return body.includes('`') ? undefined : body.replaceAll('\r', '');
  if (q !== '"' && q !== "'") return undefined;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === q || c === '\n') return undefined;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return undefined;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
    } else if (e === '"' || e === "'") {
      if (e !== q) return undefined;
      out += e;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
      const code = Number.parseInt(hex, 16);
      if (e !== 'x' && (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))) return undefined;
      // \xHH is one byte in Go; JavaScript strings hold code points, so it reads as Latin-1 here.
      out += String.fromCodePoint(code);
      i += n;
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      const code = Number.parseInt(oct, 8);
      if (code > 255) return undefined;
      out += String.fromCharCode(code);
      i += 2;
    } else {
      return undefined;
    }
  }
  if (singleQuotedRune && q === "'" && [...out].length !== 1) return undefined;
  return out;
}
