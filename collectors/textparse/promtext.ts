import {
  CHAR_CLASS,
  COMMA,
  EQUALS,
  HASH,
  LABEL_NAME_CHAR,
  LABEL_NAME_START,
  LBRACE,
  METRIC_NAME_START,
  NL,
  QUOTE,
  RBRACE,
  SPACE,
  TAB,
} from './chars.js';
import { ExpositionParser, LABELS_AT_FIRST_BRACE, METRIC_NAME_REST_SOURCE, PLAIN_LABEL_SET_SOURCE, quoteToken } from './exposition.js';
import { isInfLiteral, isNaNLiteral, type PlainDecimal, scanFloat, scanPlainDecimal } from './float.js';
import type { EntryKind, MetricType } from './parser.js';

const MAX_TIMESTAMP = Number.MAX_SAFE_INTEGER;

/**
 * PLAIN_SERIES matches a sample's series text as exporters write it, followed by a blank: a name
 * and, with no blank before its `{`, a plain label set (see PLAIN_LABEL_SET).
 */
const PLAIN_SERIES = new RegExp(String.raw`[a-zA-Z_:]${METRIC_NAME_REST_SOURCE}(?:${PLAIN_LABEL_SET_SOURCE})?(?=[ \t])`, 'y');

/**
 * PromTextParser reads the Prometheus text format 0.0.4 the way Prometheus's own parser
 * (model/textparse/promparse.go) does: blanks and tabs are allowed between any two tokens, a
 * trailing comma and a missing comma between labels are accepted, blank lines are skipped, and
 * `# ` lines other than HELP and TYPE are comments.
 *
 * Where Prometheus accepts what Go's expfmt (promtool) rejects, the body is accepted with a
 * ParseWarning: no final newline, a second HELP or TYPE for a family, labels not separated by a
 * comma, and unknown escape sequences (kept as written, like Prometheus).
 *
 * Deliberate differences from Prometheus 2.42: a timestamp may be negative (Prometheus's lexer
 * takes digits only), a label value may not span lines (Prometheus allows a raw newline in it,
 * expfmt and OpenMetrics do not), and names must be the classic `[a-zA-Z_:][a-zA-Z0-9_:]*` (the
 * quoted UTF-8 names of Prometheus 3 are rejected).
 */
export class PromTextParser extends ExpositionParser {
  private readonly plain: PlainDecimal = { value: 0, end: 0 };

  next(seriesHint?: string): EntryKind | null {
    const s = this.s;
    const len = this.len;
    let pos = this.pos;
    for (;;) {
      if (pos >= len) {
        this.pos = pos;
        this.finishWarnings();
        return null;
      }
      const c = s.charCodeAt(pos);
      if ((CHAR_CLASS[c]! & METRIC_NAME_START) !== 0) {
        this.entryLine = this.line;
        this.pos = (seriesHint !== undefined && this.scanHintedSample(pos, seriesHint)) || this.scanSample(pos);
        return 'series';
      }
      if (c === NL) {
        pos = this.newline(pos);
      } else if (c === SPACE || c === TAB) {
        pos++;
      } else if (c === HASH) {
        this.entryLine = this.line;
        return this.scanHashLine(pos);
      } else {
        this.fail(pos, 'invalid_metric_name', `expected a metric name or "#" at the start of a line, got ${this.describe(pos)}`);
      }
    }
  }

  protected sub(series: string): PromTextParser {
    return new PromTextParser(`${series} 0\n`);
  }

  private scanSample(start: number): number {
    const s = this.s;
    const len = this.len;
    this.nameStart = start;
    this.nLabels = 0;
    this.lazyLabels = -1;
    this.hasTs = false;
    this.hint = undefined;
    PLAIN_SERIES.lastIndex = start;
    if (PLAIN_SERIES.test(s)) {
      const end = PLAIN_SERIES.lastIndex;
      let pos = end + 1;
      let c = s.charCodeAt(pos);
      while (c === SPACE || c === TAB) c = s.charCodeAt(++pos);
      const labelled = s.charCodeAt(end - 1) === RBRACE;
      // `name {labels}` is one series spelled with a blank: the general path below reads it.
      if (labelled || c !== LBRACE) {
        this.seriesEnd = end;
        if (labelled) {
          this.nameEnd = -1;
          this.lazyLabels = LABELS_AT_FIRST_BRACE;
        } else {
          this.nameEnd = end;
        }
        return this.scanValue(start, pos);
      }
    }
    let pos = this.scanMetricName(start);
    this.nameEnd = pos;
    this.seriesEnd = pos;
    let c = pos < len ? s.charCodeAt(pos) : -1;
    while (c === SPACE || c === TAB) c = ++pos < len ? s.charCodeAt(pos) : -1;
    if (c === LBRACE) {
      // PLAIN_SERIES turned this line down: its label set is not plain, or a blank precedes it.
      this.lineEnd = this.findLineEnd(pos);
      pos = this.scanLabels(pos + 1);
      this.seriesEnd = pos;
      c = pos < len ? s.charCodeAt(pos) : -1;
      while (c === SPACE || c === TAB) c = ++pos < len ? s.charCodeAt(pos) : -1;
    }
    return this.scanValue(start, pos);
  }

  /**
   * scanHintedSample takes the series text of the line at `start` as read when it equals `hint`
   * and is followed by blanks and a value: the caller saw (and so validated) that exact text
   * before. It returns 0 when the line does not qualify, and the caller lexes it in full.
   */
  private scanHintedSample(start: number, hint: string): number {
    const s = this.s;
    const end = start + hint.length;
    let c = s.charCodeAt(end);
    if ((c !== SPACE && c !== TAB) || s.slice(start, end) !== hint) return 0;
    let pos = end;
    while (c === SPACE || c === TAB) c = s.charCodeAt(++pos);
    // `name {labels}` is one series spelled with a blank: only the full lexer reads it right.
    if (c === LBRACE) return 0;
    this.hintHit(start, hint);
    return this.scanValue(start, pos);
  }

  /** scanValue reads the value at `valueStart`, an optional timestamp, and the end of the line. */
  private scanValue(start: number, valueStart: number): number {
    const s = this.s;
    const len = this.len;
    let pos = valueStart;
    let c: number;
    const plain = this.plain;
    if (valueStart !== this.nameEnd && scanPlainDecimal(s, valueStart, plain, true)) {
      this.val = plain.value;
      pos = plain.end;
    } else {
      while (pos < len) {
        c = s.charCodeAt(pos);
        if (c === SPACE || c === TAB || c === NL || c === LBRACE) break;
        pos++;
      }
      if (pos === valueStart) this.fail(pos, 'missing_value', `expected a value after the metric, got ${this.describe(pos)}`);
      let v = scanFloat(s, valueStart, pos);
      if (v !== v || v === Infinity || v === -Infinity) {
        // A non-number glued to the name (`foo-bar 1`) means the name held a character names cannot.
        if (valueStart === this.nameEnd && !isNaNLiteral(s, valueStart, pos) && !isInfLiteral(s, valueStart, pos)) {
          this.fail(valueStart, 'invalid_metric_name', `invalid character ${this.describe(valueStart)} in metric name ${quoteToken(s, start, valueStart)}`);
        }
        v = this.checkValue(valueStart, pos, v, 'sample value', 'invalid_value');
      }
      this.val = v;
    }

    c = pos < len ? s.charCodeAt(pos) : -1;
    while (c === SPACE || c === TAB) c = ++pos < len ? s.charCodeAt(pos) : -1;
    if (c === NL) return this.newline(pos);
    if (c === -1) return this.endWithoutNewline(pos);

    pos = this.scanTimestamp(pos);
    c = pos < len ? s.charCodeAt(pos) : -1;
    while (c === SPACE || c === TAB) c = ++pos < len ? s.charCodeAt(pos) : -1;
    if (c === NL) return this.newline(pos);
    if (c === -1) return this.endWithoutNewline(pos);
    this.fail(pos, 'trailing_text', `unexpected ${this.describe(pos)} after the timestamp`);
  }

  /** scanLabels reads the labels after `{` and returns the offset after the closing `}`. */
  private scanLabels(start: number): number {
    const s = this.s;
    let pos = start;
    let c: number;
    for (;;) {
      c = s.charCodeAt(pos);
      while (c === SPACE || c === TAB) c = s.charCodeAt(++pos);
      if (c === RBRACE) return pos + 1;
      if ((CHAR_CLASS[c & 0xffff]! & LABEL_NAME_START) === 0) {
        this.fail(pos, 'invalid_label_name', `expected a label name, got ${this.describe(pos)}`);
      }
      const nameStart = pos;
      while ((CHAR_CLASS[s.charCodeAt(++pos) & 0xffff]! & LABEL_NAME_CHAR) !== 0);
      const nameEnd = pos;
      c = s.charCodeAt(pos);
      if (c !== EQUALS) {
        if (!isSeparator(c)) {
          this.fail(pos, 'invalid_label_name', `invalid character ${this.describe(pos)} in label name ${quoteToken(s, nameStart, nameEnd)}`);
        }
        while (c === SPACE || c === TAB) c = s.charCodeAt(++pos);
        if (c !== EQUALS) {
          this.fail(pos, 'expected_equal', `expected "=" after label name ${quoteToken(s, nameStart, nameEnd)}, got ${this.describe(pos)}`);
        }
      }
      c = s.charCodeAt(++pos);
      if (c !== QUOTE) {
        while (c === SPACE || c === TAB) c = s.charCodeAt(++pos);
        if (c !== QUOTE) {
          this.fail(pos, 'expected_label_value', `expected a quoted value for label ${quoteToken(s, nameStart, nameEnd)}, got ${this.describe(pos)}`);
        }
      }
      const valueEnd = this.scanLabelValue(pos + 1);
      this.addLabel(nameStart, nameEnd, pos + 1, valueEnd, this.valueEscaped);
      pos = valueEnd + 1;
      c = s.charCodeAt(pos);
      if (c === COMMA) {
        pos++;
        continue;
      }
      while (c === SPACE || c === TAB) c = s.charCodeAt(++pos);
      if (c === COMMA) {
        pos++;
      } else if (c === RBRACE) {
        return pos + 1;
      } else if ((CHAR_CLASS[c & 0xffff]! & LABEL_NAME_START) !== 0) {
        this.warn(pos, `label ${this.describe(pos)}... is not separated from the previous label by a comma`);
      } else {
        this.fail(pos, 'expected_label_separator', `expected "," or "}" after a label value, got ${this.describe(pos)}`);
      }
    }
  }

  private scanTimestamp(start: number): number {
    const s = this.s;
    const len = this.len;
    let pos = start;
    while (pos < len) {
      const c = s.charCodeAt(pos);
      if (c === SPACE || c === TAB || c === NL) break;
      pos++;
    }
    let i = start;
    const first = s.charCodeAt(i);
    const negative = first === 45;
    if (negative) i++;
    let ts = 0;
    const digitsStart = i;
    for (; i < pos; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      ts = ts * 10 + d;
    }
    if (i !== pos || i === digitsStart) {
      if ((first >= 48 && first <= 57) || first === 45 || first === 43 || first === 46) {
        this.fail(start, 'invalid_timestamp', `invalid timestamp ${quoteToken(s, start, pos)}: expected an integer number of milliseconds`);
      }
      this.fail(start, 'trailing_text', `expected a timestamp or the end of the line after the value, got ${quoteToken(s, start, pos)}`);
    }
    if (ts > MAX_TIMESTAMP) this.fail(start, 'invalid_timestamp', `timestamp ${quoteToken(s, start, pos)} is out of range`);
    this.ts = negative ? -ts : ts;
    this.hasTs = true;
    return pos;
  }

  private scanHashLine(start: number): EntryKind {
    const s = this.s;
    const len = this.len;
    let pos = start + 1;
    let c = pos < len ? s.charCodeAt(pos) : -1;
    if (c === SPACE || c === TAB) {
      while (c === SPACE || c === TAB) c = ++pos < len ? s.charCodeAt(pos) : -1;
      const keyword = metadataKeyword(s, pos);
      if (keyword !== 0) {
        const after = pos + 4 < len ? s.charCodeAt(pos + 4) : -1;
        if (after === SPACE || after === TAB) return this.scanMetadata(pos + 4, keyword === HELP);
      }
    }
    let end = s.indexOf('\n', pos);
    if (end === -1) end = len;
    this.commentText = s.slice(pos, end);
    this.pos = end < len ? this.newline(end) : this.endWithoutNewline(end);
    return 'comment';
  }

  private scanMetadata(start: number, isHelp: boolean): EntryKind {
    const s = this.s;
    const len = this.len;
    let pos = start;
    let c = s.charCodeAt(pos);
    while (c === SPACE || c === TAB) c = ++pos < len ? s.charCodeAt(pos) : -1;
    if ((CHAR_CLASS[c & 0xffff]! & METRIC_NAME_START) === 0) {
      this.fail(pos, 'invalid_metric_name', `expected a metric name after ${isHelp ? 'HELP' : 'TYPE'}, got ${this.describe(pos)}`);
    }
    const nameStart = pos;
    pos = this.scanFamilyName(pos);
    const nameEnd = pos;
    c = pos < len ? s.charCodeAt(pos) : -1;
    let textStart = pos;
    if (c === SPACE || c === TAB) textStart = pos + 1;
    else if (c !== NL && c !== -1) {
      this.fail(pos, 'invalid_metric_name', `invalid character ${this.describe(pos)} in metric name ${quoteToken(s, nameStart, nameEnd)}`);
    }
    let end = s.indexOf('\n', textStart);
    if (end === -1) end = len;
    let kind: EntryKind;
    if (isHelp) {
      this.setHelp(textStart, end, this.checkHelpEscapes(textStart, end, false), false);
      this.noteHelp(start, this.metaName);
      kind = 'help';
    } else {
      const type = textType(s, textStart, end);
      if (type === undefined) this.fail(textStart, 'invalid_metric_type', `invalid metric type ${quoteToken(s, textStart, end)}`);
      this.metaType = type;
      this.lastType = type;
      this.noteType(start, this.metaName);
      kind = 'type';
    }
    this.pos = end < len ? this.newline(end) : this.endWithoutNewline(end);
    return kind;
  }

  private endWithoutNewline(pos: number): number {
    this.warn(pos, 'no newline at the end of the input (promtool rejects this: "unexpected end of input stream")');
    return pos;
  }

}

const HELP = 1;
const TYPE = 2;

/** metadataKeyword tells whether `HELP` (1) or `TYPE` (2) is written at `pos`, or neither (0). */
function metadataKeyword(s: string, pos: number): number {
  const c = s.charCodeAt(pos);
  if (c === 72) return s.charCodeAt(pos + 1) === 69 && s.charCodeAt(pos + 2) === 76 && s.charCodeAt(pos + 3) === 80 ? HELP : 0;
  if (c === 84) return s.charCodeAt(pos + 1) === 89 && s.charCodeAt(pos + 2) === 80 && s.charCodeAt(pos + 3) === 69 ? TYPE : 0;
  return 0;
}

/** textType reads the type word of a TYPE line in place, by its first letter and length. */
function textType(s: string, start: number, end: number): MetricType | undefined {
  const n = end - start;
  switch (s.charCodeAt(start)) {
    case 99: // c
      return n === 7 && sameWord(s, start, 'counter') ? 'counter' : undefined;
    case 103: // g
      return n === 5 && sameWord(s, start, 'gauge') ? 'gauge' : undefined;
    case 104: // h
      return n === 9 && sameWord(s, start, 'histogram') ? 'histogram' : undefined;
    case 115: // s
      return n === 7 && sameWord(s, start, 'summary') ? 'summary' : undefined;
    case 117: // u
      return n === 7 && sameWord(s, start, 'untyped') ? 'unknown' : undefined;
    default:
      return undefined;
  }
}

// sameWord tells whether `word` is written at `start`; the caller matched its first letter and its length.
function sameWord(s: string, start: number, word: string): boolean {
  for (let i = 1; i < word.length; i++) if (s.charCodeAt(start + i) !== word.charCodeAt(i)) return false;
  return true;
}

// isSeparator tells whether a code unit may follow a name in the text format without being part of it.
function isSeparator(c: number): boolean {
  return c !== c || c === -1 || c === SPACE || c === TAB || c === NL || c === LBRACE || c === RBRACE || c === EQUALS || c === COMMA || c === QUOTE;
}
