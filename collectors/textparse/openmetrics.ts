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
import { ExpositionParser, quoteToken } from './exposition.js';
import { isInfLiteral, isNaNLiteral, scanFloat } from './float.js';
import type { EntryKind, MetricType } from './parser.js';

/**
 * OpenMetricsParser reads OpenMetrics 1.0 text as Prometheus's openmetricsparse.go does: exactly
 * one space between tokens, no blanks inside braces, no blank lines, no comments other than HELP,
 * TYPE, UNIT and the final `# EOF` (which must be there, with nothing after it). Timestamps are
 * seconds, read as decimals and converted to integer milliseconds (truncated, as Prometheus does,
 * but scaled before rounding so that `1.001` is 1001 ms rather than 1000). Exemplars follow
 * ` # ` after the value or timestamp.
 */
export class OpenMetricsParser extends ExpositionParser {
  private done = false;

  next(seriesHint?: string): EntryKind | null {
    if (this.done) return null;
    const s = this.s;
    const pos = this.pos;
    if (pos >= this.len) this.fail(pos, 'missing_eof', 'data does not end with # EOF');
    const c = s.charCodeAt(pos);
    this.entryLine = this.line;
    if ((CHAR_CLASS[c]! & METRIC_NAME_START) !== 0) {
      this.pos = (seriesHint !== undefined && this.scanHintedSample(pos, seriesHint)) || this.scanSample(pos);
      return 'series';
    }
    if (c === HASH) return this.scanHashLine(pos);
    if (c === NL) this.fail(pos, 'blank_line', 'blank lines are not allowed in OpenMetrics');
    this.fail(pos, 'invalid_metric_name', `expected a metric name or "#" at the start of a line, got ${this.describe(pos)}`);
  }

  protected sub(series: string): OpenMetricsParser {
    return new OpenMetricsParser(`${series} 0\n# EOF\n`);
  }

  /**
   * scanHintedSample takes the series text of the line at `start` as read when it equals `hint`
   * and is followed by the one space before the value: the caller saw (and so validated) that
   * exact text before. It returns 0 when the line does not qualify, and the caller lexes it in full.
   */
  private scanHintedSample(start: number, hint: string): number {
    const s = this.s;
    const end = start + hint.length;
    if (s.charCodeAt(end) !== SPACE || s.slice(start, end) !== hint) return 0;
    this.hintHit(start, hint);
    this.lineEnd = this.findLineEnd(end);
    return this.scanValue(end);
  }

  private scanSample(start: number): number {
    const s = this.s;
    const len = this.len;
    let pos = this.scanMetricName(start);
    this.nameStart = start;
    this.nameEnd = pos;
    this.lineEnd = this.findLineEnd(pos);
    this.nLabels = 0;
    this.lazyLabels = -1;
    this.hasTs = false;
    this.hasExemplar = false;
    this.hint = undefined;
    let c = pos < len ? s.charCodeAt(pos) : -1;
    if (c === LBRACE) {
      const plainEnd = this.plainLabelSet(pos);
      pos = plainEnd >= 0 ? plainEnd : this.scanLabels(pos + 1, false);
      c = pos < len ? s.charCodeAt(pos) : -1;
    }
    this.seriesEnd = pos;
    if (c !== SPACE) {
      if (c === -1) this.fail(pos, 'missing_eof', 'data does not end with # EOF');
      if (pos === this.nameEnd && c !== NL && c !== TAB) {
        this.fail(pos, 'invalid_metric_name', `invalid character ${this.describe(pos)} in metric name ${quoteToken(s, start, pos)}`);
      }
      this.fail(pos, 'missing_value', `expected " " and a value after the metric, got ${this.describe(pos)}`);
    }
    return this.scanValue(pos);
  }

  /** scanValue reads from the space before the value: value, timestamp, exemplar, end of line. */
  private scanValue(space: number): number {
    const s = this.s;
    const len = this.len;
    let pos = space;
    let c: number;
    const valueStart = ++pos;
    pos = this.tokenEnd(pos);
    if (pos === valueStart) this.fail(pos, 'missing_value', `expected a value after the metric, got ${this.describe(pos)}`);
    let v = scanFloat(s, valueStart, pos);
    if (v !== v || v === Infinity || v === -Infinity) v = this.checkValue(valueStart, pos, v, 'sample value', 'invalid_value');
    this.val = v;

    c = pos < len ? s.charCodeAt(pos) : -1;
    if (c === NL) return this.newline(pos);
    if (c !== SPACE) this.fail(pos, 'missing_eof', 'data does not end with # EOF');
    pos++;
    if (s.charCodeAt(pos) !== HASH) {
      const tsStart = pos;
      pos = this.tokenEnd(pos);
      const t = this.scanSeconds(tsStart, pos, 'timestamp', 'invalid_timestamp');
      this.ts = t;
      this.hasTs = true;
      c = pos < len ? s.charCodeAt(pos) : -1;
      if (c === NL) return this.newline(pos);
      if (c === -1) this.fail(pos, 'missing_eof', 'data does not end with # EOF');
      if (s.charCodeAt(pos + 1) !== HASH) {
        this.fail(pos + 1, 'trailing_text', `expected an exemplar or the end of the line after the timestamp, got ${this.describe(pos + 1)}`);
      }
      pos++;
    }
    return this.scanExemplar(pos);
  }

  /** scanExemplar reads ` # {labels} value [timestamp]` from the `#` at `start` to the end of the line. */
  private scanExemplar(start: number): number {
    const s = this.s;
    const len = this.len;
    if (s.charCodeAt(start + 1) !== SPACE || s.charCodeAt(start + 2) !== LBRACE) {
      this.fail(start, 'invalid_exemplar', `expected "# {" to start an exemplar, got ${quoteToken(s, start, this.tokenEnd(start + 2))}`);
    }
    this.exN = 0;
    let pos = this.scanLabels(start + 3, true);
    if (pos >= len || s.charCodeAt(pos) !== SPACE) {
      this.fail(pos, 'invalid_exemplar', `expected " " and a value after the exemplar labels, got ${this.describe(pos)}`);
    }
    const valueStart = ++pos;
    pos = this.tokenEnd(pos);
    if (pos === valueStart) this.fail(pos, 'invalid_exemplar', `expected an exemplar value, got ${this.describe(pos)}`);
    let v = scanFloat(s, valueStart, pos);
    if (v !== v || v === Infinity || v === -Infinity) v = this.checkValue(valueStart, pos, v, 'exemplar value', 'invalid_exemplar');
    this.exVal = v;
    this.exHasTs = false;
    let c = pos < len ? s.charCodeAt(pos) : -1;
    if (c === SPACE) {
      const tsStart = ++pos;
      pos = this.tokenEnd(pos);
      this.exTs = this.scanSeconds(tsStart, pos, 'exemplar timestamp', 'invalid_exemplar');
      this.exHasTs = true;
      c = pos < len ? s.charCodeAt(pos) : -1;
      if (c === SPACE) this.fail(pos + 1, 'trailing_text', `unexpected ${this.describe(pos + 1)} after the exemplar`);
    }
    if (c === -1) this.fail(pos, 'missing_eof', 'data does not end with # EOF');
    this.hasExemplar = true;
    return this.newline(pos);
  }

  /**
   * scanLabels reads `name="value",...}` after `{` into the series' (or the exemplar's) labels and
   * returns the offset after `}`. A trailing comma is allowed, as in Prometheus.
   */
  private scanLabels(start: number, exemplar: boolean): number {
    const s = this.s;
    const len = this.len;
    let pos = start;
    for (;;) {
      let c = pos < len ? s.charCodeAt(pos) : -1;
      if (c === RBRACE) return pos + 1;
      if ((CHAR_CLASS[c & 0xffff]! & LABEL_NAME_START) === 0) {
        this.fail(pos, 'invalid_label_name', `expected a label name, got ${this.describe(pos)}`);
      }
      const nameStart = pos;
      while ((CHAR_CLASS[s.charCodeAt(++pos) & 0xffff]! & LABEL_NAME_CHAR) !== 0);
      const nameEnd = pos;
      c = pos < len ? s.charCodeAt(pos) : -1;
      if (c !== EQUALS) {
        if (c === -1 || c === QUOTE || c === COMMA || c === RBRACE || c === SPACE || c === NL) {
          this.fail(pos, 'expected_equal', `expected "=" after label name ${quoteToken(s, nameStart, nameEnd)}, got ${this.describe(pos)}`);
        }
        this.fail(pos, 'invalid_label_name', `invalid character ${this.describe(pos)} in label name ${quoteToken(s, nameStart, nameEnd)}`);
      }
      pos = nameEnd + 1;
      if (pos >= len || s.charCodeAt(pos) !== QUOTE) {
        this.fail(pos, 'expected_label_value', `expected a quoted value for label ${quoteToken(s, nameStart, nameEnd)}, got ${this.describe(pos)}`);
      }
      const valueEnd = this.scanLabelValue(pos + 1);
      if (exemplar) this.addExemplarLabel(nameStart, nameEnd, pos + 1, valueEnd, this.valueEscaped);
      else this.addLabel(nameStart, nameEnd, pos + 1, valueEnd, this.valueEscaped);
      pos = valueEnd + 1;
      c = pos < len ? s.charCodeAt(pos) : -1;
      if (c === COMMA) pos++;
      else if (c === RBRACE) return pos + 1;
      else this.fail(pos, 'expected_label_separator', `expected "," or "}" after a label value, got ${this.describe(pos)}`);
    }
  }

  // tokenEnd returns the end of the token at `pos`: the next space, newline or the end of input.
  private tokenEnd(pos: number): number {
    const s = this.s;
    const len = this.len;
    while (pos < len) {
      const c = s.charCodeAt(pos);
      if (c === SPACE || c === NL) break;
      pos++;
    }
    return pos;
  }

  /** scanSeconds reads a timestamp in seconds as integer milliseconds. */
  private scanSeconds(start: number, end: number, what: string, code: 'invalid_timestamp' | 'invalid_exemplar'): number {
    const s = this.s;
    if (start === end) this.fail(start, code, `expected ${what === 'timestamp' ? 'a timestamp' : 'an exemplar timestamp'}, got ${this.describe(start)}`);
    const ms = scanFloat(s, start, end, 3);
    if (ms !== ms || ms === Infinity || ms === -Infinity) {
      const written = isNaNLiteral(s, start, end) || isInfLiteral(s, start, end);
      const why = written ? 'must be finite' : ms === ms ? 'out of range' : 'not a number';
      this.fail(start, code, `invalid ${what} ${quoteToken(s, start, end)}: ${why}`);
    }
    const t = Math.trunc(ms);
    if (t > Number.MAX_SAFE_INTEGER || t < -Number.MAX_SAFE_INTEGER) this.fail(start, code, `invalid ${what} ${quoteToken(s, start, end)}: out of range`);
    return t === 0 ? 0 : t;
  }

  private scanHashLine(start: number): EntryKind | null {
    const s = this.s;
    const len = this.len;
    if (start + 1 >= len || s.charCodeAt(start + 1) !== SPACE) {
      this.fail(start, 'invalid_comment', 'expected "# HELP", "# TYPE", "# UNIT" or "# EOF"');
    }
    const pos = start + 2;
    if (s.startsWith('EOF', pos)) {
      let end = pos + 3;
      if (end < len && s.charCodeAt(end) === NL) end++;
      if (end < len) this.fail(end, 'data_after_eof', 'unexpected data after # EOF');
      this.done = true;
      this.pos = len;
      this.finishWarnings();
      return null;
    }
    let kind: 'help' | 'type' | 'unit';
    if (s.startsWith('HELP ', pos)) kind = 'help';
    else if (s.startsWith('TYPE ', pos)) kind = 'type';
    else if (s.startsWith('UNIT ', pos)) kind = 'unit';
    else this.fail(pos, 'invalid_comment', `expected HELP, TYPE, UNIT or EOF after "# ", got ${quoteToken(s, pos, this.tokenEnd(pos))}`);
    return this.scanMetadata(pos + 5, kind);
  }

  private scanMetadata(start: number, kind: 'help' | 'type' | 'unit'): EntryKind {
    const s = this.s;
    const len = this.len;
    const keyword = kind.toUpperCase();
    let pos = start;
    if (!this.isNameChar(pos, METRIC_NAME_START)) {
      this.fail(pos, 'invalid_metric_name', `expected a metric name after ${keyword}, got ${this.describe(pos)}`);
    }
    pos = this.scanFamilyName(pos);
    const nameEnd = pos;
    const c = pos < len ? s.charCodeAt(pos) : -1;
    if (c !== SPACE) {
      if (c === -1) this.fail(pos, 'missing_eof', 'data does not end with # EOF');
      if (c === NL) this.fail(pos, 'invalid_metadata', `expected " " and text after the metric name in ${keyword}`);
      this.fail(pos, 'invalid_metric_name', `invalid character ${this.describe(pos)} in metric name ${quoteToken(s, start, nameEnd)}`);
    }
    const textStart = pos + 1;
    const end = s.indexOf('\n', textStart);
    if (end === -1) this.fail(len, 'missing_eof', 'data does not end with # EOF');
    if (kind === 'help') {
      this.setHelp(textStart, end, this.checkHelpEscapes(textStart, end, true), true);
      this.noteHelp(start, this.metaName);
    } else if (kind === 'type') {
      const type = openMetricsTypes.get(s.slice(textStart, end));
      if (type === undefined) this.fail(textStart, 'invalid_metric_type', `invalid metric type ${quoteToken(s, textStart, end)}`);
      this.metaType = type;
      this.lastType = type;
      this.noteType(start, this.metaName);
    } else {
      const unit = s.slice(textStart, end);
      const name = this.metaName;
      if (unit !== '' && !(name.length > unit.length + 1 && name.endsWith(unit) && name.charCodeAt(name.length - unit.length - 1) === 95)) {
        this.fail(textStart, 'invalid_unit', `unit ${JSON.stringify(unit)} not a suffix of metric ${JSON.stringify(name)}`);
      }
      this.setUnit(unit);
    }
    this.pos = this.newline(end);
    return kind;
  }
}

const openMetricsTypes = new Map<string, MetricType>([
  ['counter', 'counter'],
  ['gauge', 'gauge'],
  ['histogram', 'histogram'],
  ['gaugehistogram', 'gaugehistogram'],
  ['summary', 'summary'],
  ['info', 'info'],
  ['stateset', 'stateset'],
  ['unknown', 'unknown'],
]);
