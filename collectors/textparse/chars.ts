/**
 * Character classes of the exposition formats, as a table indexed by any UTF-16 code unit. Names
 * are ASCII-only in both formats, so only the first 128 entries are set; the table covers all
 * 65536 so that a scanning loop needs no range check: `CHAR_CLASS[s.charCodeAt(i) & 0xffff]` is
 * in bounds even past the end of the string (NaN & 0xffff is 0) or for -1 (65535), and both
 * belong to no class.
 */
export const METRIC_NAME_START = 1;
export const METRIC_NAME_CHAR = 2;
export const LABEL_NAME_START = 4;
export const LABEL_NAME_CHAR = 8;

export const CHAR_CLASS: Uint8Array = buildTable();

function buildTable(): Uint8Array {
  const t = new Uint8Array(65536);
  for (let c = 0; c < 128; c++) {
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    const digit = c >= 48 && c <= 57;
    let flags = 0;
    if (letter || c === 58) flags |= METRIC_NAME_START | METRIC_NAME_CHAR;
    if (digit) flags |= METRIC_NAME_CHAR | LABEL_NAME_CHAR;
    if (letter) flags |= LABEL_NAME_START | LABEL_NAME_CHAR;
    t[c] = flags;
  }
  return t;
}

export const NL = 10;
export const CR = 13;
export const SPACE = 32;
export const TAB = 9;
export const HASH = 35;
export const QUOTE = 34;
export const BACKSLASH = 92;
export const LBRACE = 123;
export const RBRACE = 125;
export const COMMA = 44;
export const EQUALS = 61;

/** describeChar renders the code unit at `pos` for an error message, or "end of input". */
export function describeChar(s: string, pos: number): string {
  if (pos >= s.length) return 'end of input';
  const c = s.charCodeAt(pos);
  if (c === NL) return 'end of line';
  return JSON.stringify(s[pos]);
}
