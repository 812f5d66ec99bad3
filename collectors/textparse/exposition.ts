import { Labels, METRIC_NAME } from '../../model/labels.js';
import { BACKSLASH, CHAR_CLASS, COMMA, METRIC_NAME_CHAR, NL, QUOTE, RBRACE, describeChar } from './chars.js';
import { TextParseError, type ParseErrorCode } from './errors.js';
import { isInfLiteral, isNaNLiteral, parseFloatValue } from './float.js';
import { formatOpenMetricsFloat } from './format.js';
import { MetadataSeen } from './metadataseen.js';
import type { EntryKind, Exemplar, MetricType, ParseWarning, Parser } from './parser.js';

// A body with thousands of quirky lines should not hold thousands of warning objects.
const MAX_WARNINGS = 100;
// Past this many labels in one series, duplicate names are found with a Set, not pairwise.
const PAIRWISE_DUPLICATE_LIMIT = 32;

/**
 * PLAIN_LABEL_SET matches, at a `{`, a label set as exporters write it: `name="value"` pairs
 * separated by single commas (a trailing one allowed), no blanks, no backslashes. The regular
 * expression engine checks such a set about twice as fast as a loop over its characters; anything
 * else, valid or not, is left to the format's own lexer for its warnings and its error positions.
 */
export const PLAIN_LABEL_SET_SOURCE = String.raw`\{(?:[a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*")*,?)?\}`;
const PLAIN_LABEL_SET = new RegExp(PLAIN_LABEL_SET_SOURCE, 'y');

/** LABELS_AT_FIRST_BRACE is a value of ExpositionParser.lazyLabels: see there. */
export const LABELS_AT_FIRST_BRACE = -2;

/**
 * METRIC_NAME_REST_SOURCE matches the characters after a metric name's first, `[a-zA-Z0-9_:]*`,
 * spelled as a run of `[a-z_:]` first: the regular expression engine tests that smaller class
 * faster, and most names (`vllm:request_success_total`) are nothing else. The two parts cannot
 * share a character, so a failed match backtracks linearly, as the plain class does.
 */
export const METRIC_NAME_REST_SOURCE = String.raw`[a-z_:]*(?:[A-Z0-9][a-zA-Z0-9_:]*)?`;
// The regular expression engine scans a name faster than a loop over a table of character classes.
const METRIC_NAME_REST = new RegExp(METRIC_NAME_REST_SOURCE, 'y');

/**
 * ExpositionParser holds what both text formats share: the position and line bookkeeping, the
 * current entry as offsets into the body, the accessors of the Parser seam, label and escape
 * handling, and warnings. Subclasses implement next() for their format.
 *
 * A sample is kept as offsets (name, each label name and value) in a reused Int32Array, its value
 * and timestamp as numbers; strings are only cut from the body when an accessor asks for them.
 */
export abstract class ExpositionParser implements Parser {
  protected readonly s: string;
  protected readonly len: number;
  protected pos = 0;
  /** line is the 1-based line number of lineStart; every newline before pos has been counted. */
  protected line = 1;
  protected lineStart = 0;
  /** entryLine is the line on which the current entry starts. */
  protected entryLine = 0;

  protected nameStart = 0;
  protected nameEnd = 0;
  protected seriesEnd = 0;
  protected nLabels = 0;
  /**
   * Four offsets per label: name start, name end, value start, value end (without quotes). A
   * value holding a backslash, which labels() must unescape, has its end stored as -end - 1.
   * Allocated when the first label is stored: a pass that never asks for labels() never needs it,
   * and a typed array of this size costs a noticeable share of parsing a small body.
   */
  protected lab: Int32Array<ArrayBuffer> = NO_LABELS;
  /** valueEscaped is set by scanLabelValue for the value it last read. */
  protected valueEscaped = false;
  /** lineEnd is the offset of the newline (or end of input) ending the sample being read. */
  protected lineEnd = 0;
  /** nextBackslash is the offset of the first backslash at or after the read position, or len. */
  protected nextBackslash: number;
  protected val = 0;
  protected ts = 0;
  protected hasTs = false;

  protected hasExemplar = false;
  protected exLab: Int32Array<ArrayBuffer> = NO_LABELS;
  protected exN = 0;
  protected exVal = 0;
  protected exTs = 0;
  protected exHasTs = false;

  protected metaName = '';
  protected metaText = '';
  /**
   * helpStart, when not -1, is where the current HELP entry's text starts in the body: help() cuts
   * it (s[helpStart, helpEnd), unescaped when helpEscaped) on first call, since most callers that
   * pull HELP entries only want the family name.
   */
  private helpStart = -1;
  private helpEnd = 0;
  private helpEscaped = false;
  private helpQuoteEscapes = false;
  protected metaType: MetricType = 'unknown';
  /** lastType is the type of the latest TYPE line; like Prometheus, it decides le/quantile normalisation. */
  protected lastType: MetricType = 'unknown';
  protected commentText = '';

  private readonly warningList: ParseWarning[] = [];
  private suppressedWarnings = 0;
  /** metadataSeen holds the metadata lines seen for each family: HELP 1, TYPE 2. */
  private readonly metadataSeen = new MetadataSeen();
  private nameSet: Set<string> | undefined;
  private nameFilterLo = 0;
  private nameFilterHi = 0;

  constructor(body: string) {
    this.s = body;
    this.len = body.length;
    this.nextBackslash = this.findBackslash(0);
  }

  abstract next(seriesHint?: string): EntryKind | null;

  /**
   * hint is the caller's series text when the current sample's text equalled it (see Parser.next):
   * the series was not lexed, so the label offsets are not set and labels() lexes on demand.
   */
  protected hint: string | undefined;

  /**
   * lazyLabels is the offset after `{` of the current sample's label set when the format's fast
   * path checked its syntax without recording offsets (a plain set: no blanks, escapes or oddities),
   * or -1. labels() lexes it then, and only then finds a repeated label name: Prometheus, too,
   * rejects those when it builds a new series' labels, and a scrape cache keyed by seriesKey()
   * builds the labels of every key it has not seen.
   *
   * LABELS_AT_FIRST_BRACE says the same of the set opening at the first `{` after nameStart, when
   * the fast path did not record where the name ends either (nameEnd is then not set): finding it
   * costs a search that only labels() needs.
   */
  protected lazyLabels = -1;

  /**
   * plainLabelSet tries the fast path (see lazyLabels) on the label set whose `{` is at `pos`: the
   * offset after its `}`, or -1 when the format's lexer must read it now.
   */
  protected plainLabelSet(pos: number): number {
    PLAIN_LABEL_SET.lastIndex = pos;
    if (!PLAIN_LABEL_SET.test(this.s)) return -1;
    this.lazyLabels = pos + 1;
    return PLAIN_LABEL_SET.lastIndex;
  }

  /**
   * lexPlainLabels records the offsets of the plain label set after `{` at `start` (see
   * lazyLabels). Its syntax was checked: each name ends at a `=`, each value at the next `"`.
   */
  private lexPlainLabels(start: number): void {
    const s = this.s;
    this.nLabels = 0;
    let pos = start;
    while (s.charCodeAt(pos) !== RBRACE) {
      const equals = s.indexOf('=', pos);
      const quote = s.indexOf('"', equals + 2);
      this.addLabel(pos, equals, equals + 2, quote, false);
      pos = quote + 1;
      if (s.charCodeAt(pos) === COMMA) pos++;
    }
  }

  /** hintHit records that the sample at `start` has exactly the series text `hint`. */
  protected hintHit(start: number, hint: string): void {
    this.hint = hint;
    this.nameStart = start;
    this.nameEnd = -1;
    this.seriesEnd = start + hint.length;
    this.nLabels = 0;
    this.lazyLabels = -1;
    this.hasTs = false;
    this.hasExemplar = false;
  }

  seriesKey(): string {
    return this.hint ?? this.s.slice(this.nameStart, this.seriesEnd);
  }

  value(): number {
    return this.val;
  }

  timestamp(): number | undefined {
    return this.hasTs ? this.ts : undefined;
  }

  labels(): Labels {
    if (this.hint !== undefined) return this.labelsOfHint(this.hint);
    const s = this.s;
    if (this.lazyLabels !== -1) {
      let start = this.lazyLabels;
      if (start === LABELS_AT_FIRST_BRACE) {
        this.nameEnd = s.indexOf('{', this.nameStart);
        start = this.nameEnd + 1;
      }
      this.lazyLabels = -1;
      this.lexPlainLabels(start);
    }
    const lab = this.lab;
    const n = this.nLabels;
    const normalise = this.lastType === 'histogram' ? 'le' : this.lastType === 'summary' ? 'quantile' : '';
    const flat: string[] = [METRIC_NAME, s.slice(this.nameStart, this.nameEnd)];
    for (let k = 0; k < n; k++) {
      const o = k << 2;
      const vs = lab[o + 2]!;
      let ve = lab[o + 3]!;
      const escaped = ve < 0;
      if (escaped) ve = -ve - 1;
      if (vs === ve) continue; // an empty value is an absent label
      const name = s.slice(lab[o]!, lab[o + 1]!);
      let value = escaped ? unescape(s, vs, ve, true) : s.slice(vs, ve);
      if (normalise !== '' && name === normalise) value = normaliseFloatLabel(value);
      insertSorted(flat, name, value);
    }
    return Labels.fromSorted(flat);
  }

  /**
   * labelsOfHint lexes a hinted series text on its own. It was valid when the caller first saw it,
   * and `le`/`quantile` normalisation follows this body's latest TYPE line, as for any sample.
   */
  private labelsOfHint(hint: string): Labels {
    const sub = this.sub(hint);
    sub.lastType = this.lastType;
    sub.next();
    return sub.labels();
  }

  /** sub makes a parser of the same format for one sample line with this series text. */
  protected abstract sub(text: string): ExpositionParser;

  exemplar(): Exemplar | undefined {
    if (!this.hasExemplar) return undefined;
    const s = this.s;
    const flat: string[] = [];
    for (let k = 0; k < this.exN; k++) {
      const o = k << 2;
      const vs = this.exLab[o + 2]!;
      let ve = this.exLab[o + 3]!;
      const escaped = ve < 0;
      if (escaped) ve = -ve - 1;
      if (vs === ve) continue;
      const value = escaped ? unescape(s, vs, ve, true) : s.slice(vs, ve);
      insertSorted(flat, s.slice(this.exLab[o]!, this.exLab[o + 1]!), value);
    }
    const labels = Labels.fromSorted(flat);
    return this.exHasTs ? { labels, value: this.exVal, timestamp: this.exTs } : { labels, value: this.exVal };
  }

  metricFamily(): string {
    return this.metaName;
  }

  help(): string {
    const start = this.helpStart;
    if (start !== -1) {
      this.helpStart = -1;
      const end = this.helpEnd;
      this.metaText = this.helpEscaped ? unescape(this.s, start, end, this.helpQuoteEscapes) : this.s.slice(start, end);
    }
    return this.metaText;
  }

  /**
   * setHelp makes s[start, end) the current HELP text, cut when help() asks; `escaped` tells
   * whether it holds escape sequences (checked already), `quoteEscapes` whether `\"` is one.
   */
  protected setHelp(start: number, end: number, escaped: boolean, quoteEscapes: boolean): void {
    this.helpStart = start;
    this.helpEnd = end;
    this.helpEscaped = escaped;
    this.helpQuoteEscapes = quoteEscapes;
  }

  /** setUnit makes `unit` the current UNIT text. */
  protected setUnit(unit: string): void {
    this.helpStart = -1;
    this.metaText = unit;
  }

  type(): MetricType {
    return this.metaType;
  }

  unit(): string {
    return this.help();
  }

  comment(): string {
    return this.commentText;
  }

  warnings(): readonly ParseWarning[] {
    return this.warningList;
  }

  /** currentLine is the 1-based line of the current entry (not part of the Parser seam). */
  currentLine(): number {
    return this.entryLine;
  }

  /** fail throws the TextParseError for the character at `pos`. */
  protected fail(pos: number, code: ParseErrorCode, reason: string): never {
    const { line, column } = this.locate(pos);
    throw new TextParseError(line, column, code, reason);
  }

  protected warn(pos: number, message: string): void {
    if (this.warningList.length >= MAX_WARNINGS) {
      this.suppressedWarnings++;
      return;
    }
    this.warningList.push({ line: this.locate(pos).line, message });
  }

  /** finishWarnings records, once, how many warnings the cap swallowed. Call at the end of the body. */
  protected finishWarnings(): void {
    if (this.suppressedWarnings > 0) {
      this.warningList.push({ line: this.locate(this.len).line, message: `${this.suppressedWarnings} more warnings not shown` });
      this.suppressedWarnings = 0;
    }
  }

  /** locate turns an offset into a 1-based line and column (in UTF-16 code units). */
  protected locate(pos: number): { line: number; column: number } {
    const s = this.s;
    let line = this.line;
    if (pos >= this.lineStart) {
      for (let i = this.lineStart; i < pos && i < this.len; i++) if (s.charCodeAt(i) === NL) line++;
    } else {
      for (let i = pos; i < this.lineStart; i++) if (s.charCodeAt(i) === NL) line--;
    }
    const previousNewline = pos > 0 ? s.lastIndexOf('\n', Math.min(pos, this.len) - 1) : -1;
    return { line, column: pos - previousNewline };
  }

  /** newline records that the character at `pos` is a newline that ends the current line. */
  protected newline(pos: number): number {
    this.line++;
    this.lineStart = pos + 1;
    return pos + 1;
  }

  /**
   * scanLabelValue reads a quoted label value whose first character (after the quote) is at
   * `start`, and returns the offset of the closing quote. It sets valueEscaped. A newline before
   * the closing quote rejects the value, as Go's expfmt and the OpenMetrics parser do.
   *
   * The closing quote is found with indexOf, which is several times faster than a loop over
   * charCodeAt; lineEnd and nextBackslash say whether the span needs a closer look.
   */
  protected scanLabelValue(start: number): number {
    const q = this.s.indexOf('"', start);
    let backslash = this.nextBackslash;
    if (backslash < start) backslash = this.nextBackslash = this.findBackslash(start);
    if (q !== -1 && q < backslash && q < this.lineEnd) {
      this.valueEscaped = false;
      return q;
    }
    return this.scanEscapedLabelValue(start);
  }

  private scanEscapedLabelValue(start: number): number {
    const s = this.s;
    const len = this.len;
    let pos = start;
    let escaped = false;
    for (;;) {
      if (pos >= len) this.fail(start - 1, 'unterminated_label_value', 'unterminated label value: no closing quote before the end of input');
      const c = s.charCodeAt(pos);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        pos = this.checkEscape(pos, true);
        continue;
      }
      if (c === NL) this.fail(start - 1, 'unterminated_label_value', 'unterminated label value: no closing quote before the end of the line');
      pos++;
    }
    this.nextBackslash = this.findBackslash(pos);
    this.valueEscaped = escaped;
    return pos;
  }

  /** findBackslash is the offset of the next backslash from `pos`, or the body's length. */
  protected findBackslash(pos: number): number {
    const i = this.s.indexOf('\\', pos);
    return i === -1 ? this.len : i;
  }

  /** findLineEnd is the offset of the newline ending the line at `pos`, or the body's length. */
  protected findLineEnd(pos: number): number {
    const i = this.s.indexOf('\n', pos);
    return i === -1 ? this.len : i;
  }

  /**
   * checkEscape looks at the backslash at `pos` and returns the offset after its escape sequence.
   * `\\`, `\n` and (in label values, and OpenMetrics HELP) `\"` are the format's escapes;
   * Prometheus keeps any other sequence as written and so does vigil, with a warning, since Go's
   * expfmt rejects it. A backslash ending a label value's line is an error; one ending HELP text
   * is kept, as Prometheus does.
   */
  protected checkEscape(pos: number, quoteEscapes: boolean, inHelp = false): number {
    const next = pos + 1 < this.len ? this.s.charCodeAt(pos + 1) : -1;
    if (next === BACKSLASH || next === 110 || (quoteEscapes && next === QUOTE)) return pos + 2;
    if (next === -1 || next === NL) {
      if (!inHelp) this.fail(pos, 'invalid_escape', `invalid escape sequence: backslash at the end of ${next === -1 ? 'input' : 'a line'}`);
      this.warn(pos, 'backslash at the end of HELP text kept as written');
      return pos + 1;
    }
    this.warn(pos, `invalid escape sequence ${JSON.stringify(this.s.slice(pos, pos + 2))} kept as written`);
    return pos + 2;
  }

  /**
   * checkHelpEscapes checks the escape sequences of HELP text in s[start, end) and tells whether
   * there are any.
   */
  protected checkHelpEscapes(start: number, end: number, quoteEscapes: boolean): boolean {
    let i = this.nextBackslash;
    if (i < start) i = this.findBackslash(start);
    if (i >= end) {
      this.nextBackslash = i;
      return false;
    }
    while (i < end) i = this.findBackslash(this.checkEscape(i, quoteEscapes, true));
    this.nextBackslash = i;
    return true;
  }

  /**
   * addLabel records a label of the current series after rejecting a name seen before in the
   * series (Prometheus's TSDB: `label name "x" is not unique`), the metric name's `__name__`
   * included.
   */
  protected addLabel(nameStart: number, nameEnd: number, valueStart: number, valueEnd: number, escaped: boolean): void {
    this.checkDuplicate(nameStart, nameEnd);
    this.lab = storeLabel(this.lab, this.nLabels, nameStart, nameEnd, valueStart, valueEnd, escaped);
    this.nLabels++;
  }

  private checkDuplicate(nameStart: number, nameEnd: number): void {
    const n = this.nLabels;
    const s = this.s;
    const nameLen = nameEnd - nameStart;
    const first = s.charCodeAt(nameStart);
    if (nameLen === 8 && first === 95 && s.startsWith(METRIC_NAME, nameStart)) this.failDuplicate(nameStart, nameEnd);
    // A 64-bit filter on (length, first character) settles most names without comparing them to
    // every earlier name: only a name whose bit is already set can be a repeat.
    if (n === 0) {
      this.nameFilterLo = 0;
      this.nameFilterHi = 0;
    }
    const bit = (nameLen * 31 + first) & 63;
    if (bit < 32) {
      const mask = 1 << bit;
      if ((this.nameFilterLo & mask) === 0) {
        this.nameFilterLo |= mask;
        if (n < PAIRWISE_DUPLICATE_LIMIT) return;
      }
    } else {
      const mask = 1 << (bit - 32);
      if ((this.nameFilterHi & mask) === 0) {
        this.nameFilterHi |= mask;
        if (n < PAIRWISE_DUPLICATE_LIMIT) return;
      }
    }
    if (n >= PAIRWISE_DUPLICATE_LIMIT) {
      this.checkDuplicateWithSet(nameStart, nameEnd);
      return;
    }
    const lab = this.lab;
    for (let k = 0; k < n; k++) {
      const o = k << 2;
      const ks = lab[o]!;
      if (lab[o + 1]! - ks === nameLen && sameText(s, ks, nameStart, nameLen)) this.failDuplicate(nameStart, nameEnd);
    }
  }

  /** addExemplarLabel is addLabel for the exemplar's own label set. */
  protected addExemplarLabel(nameStart: number, nameEnd: number, valueStart: number, valueEnd: number, escaped: boolean): void {
    const n = this.exN;
    const s = this.s;
    const lab = this.exLab;
    for (let k = 0; k < n; k++) {
      const o = k << 2;
      if (lab[o + 1]! - lab[o]! === nameEnd - nameStart && sameText(s, lab[o]!, nameStart, nameEnd - nameStart)) {
        this.fail(nameStart, 'invalid_exemplar', `exemplar label name ${JSON.stringify(s.slice(nameStart, nameEnd))} is not unique`);
      }
    }
    this.exLab = storeLabel(lab, n, nameStart, nameEnd, valueStart, valueEnd, escaped);
    this.exN = n + 1;
  }

  private checkDuplicateWithSet(nameStart: number, nameEnd: number): void {
    let set = this.nameSet;
    if (set === undefined || this.nLabels === PAIRWISE_DUPLICATE_LIMIT) {
      set = new Set();
      for (let k = 0; k < this.nLabels; k++) set.add(this.s.slice(this.lab[k << 2]!, this.lab[(k << 2) + 1]!));
      this.nameSet = set;
    }
    const name = this.s.slice(nameStart, nameEnd);
    if (set.has(name)) this.failDuplicate(nameStart, nameEnd);
    set.add(name);
  }

  private failDuplicate(nameStart: number, nameEnd: number): never {
    this.fail(nameStart, 'duplicate_label_name', `label name ${JSON.stringify(this.s.slice(nameStart, nameEnd))} is not unique`);
  }

  /**
   * checkValue validates a value that scanned as NaN or ±Infinity: a written NaN or infinity is
   * kept; anything else is not a number, or (`1e400`) out of range, as Go's ParseFloat says.
   */
  protected checkValue(start: number, end: number, v: number, what: string, code: ParseErrorCode): number {
    if (v !== v) {
      if (isNaNLiteral(this.s, start, end)) return v;
      this.fail(start, code, `invalid ${what} ${quoteToken(this.s, start, end)}: not a number`);
    }
    if (isInfLiteral(this.s, start, end)) return v;
    this.fail(start, code, `${what} ${quoteToken(this.s, start, end)} is out of range`);
  }

  /** noteHelp and noteType warn about a second HELP or TYPE for one family (Go's expfmt rejects it). */
  protected noteHelp(pos: number, name: string): void {
    if (!this.metadataSeen.mark(name, 1)) this.warn(pos, `second HELP line for metric name ${JSON.stringify(name)}`);
  }

  protected noteType(pos: number, name: string): void {
    if (!this.metadataSeen.mark(name, 2)) this.warn(pos, `second TYPE line for metric name ${JSON.stringify(name)}`);
  }

  /**
   * scanFamilyName reads the family name of a metadata line, whose first character at `start` is
   * a valid name start, into metaName, and returns its end. A TYPE line names the family of the
   * HELP line before it: that string is compared whole and reused. A slice and `===` compare in
   * native code; both scanning the name and String.prototype.startsWith go a character at a time.
   */
  protected scanFamilyName(start: number): number {
    const last = this.metaName;
    const lastEnd = start + last.length;
    if (last !== '' && !this.isNameChar(lastEnd, METRIC_NAME_CHAR) && this.s.slice(start, lastEnd) === last) return lastEnd;
    const end = this.scanMetricName(start);
    this.metaName = this.s.slice(start, end);
    return end;
  }

  /**
   * scanMetricName returns the end of the metric name starting at `start` (whose first character
   * is a valid name start).
   */
  protected scanMetricName(start: number): number {
    METRIC_NAME_REST.lastIndex = start + 1;
    METRIC_NAME_REST.test(this.s);
    return METRIC_NAME_REST.lastIndex;
  }

  /** isNameChar tells whether the code unit at `pos` can continue a metric (or label) name. */
  protected isNameChar(pos: number, cls: number): boolean {
    return (CHAR_CLASS[this.s.charCodeAt(pos) & 0xffff]! & cls) !== 0;
  }

  protected describe(pos: number): string {
    return describeChar(this.s, pos);
  }
}

/** unescape resolves `\\`, `\n` and (when quoteEscapes) `\"` in s[start, end); other sequences stay as written. */
export function unescape(s: string, start: number, end: number, quoteEscapes: boolean): string {
  let out = '';
  let from = start;
  let i = s.indexOf('\\', start);
  while (i !== -1 && i < end - 1) {
    const next = s.charCodeAt(i + 1);
    if (next === BACKSLASH || next === 110 || (quoteEscapes && next === QUOTE)) {
      out += s.slice(from, i) + (next === 110 ? '\n' : next === BACKSLASH ? '\\' : '"');
      from = i + 2;
    }
    i = s.indexOf('\\', i + 2);
  }
  return from === start ? s.slice(start, end) : out + s.slice(from, end);
}

function sameText(s: string, a: number, b: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (s.charCodeAt(a + i) !== s.charCodeAt(b + i)) return false;
  return true;
}

// insertSorted appends a pair to interleaved [name, value, ...] and moves it to its place by name;
// exporters mostly write labels sorted, so this is usually one comparison.
function insertSorted(flat: string[], name: string, value: string): void {
  let j = flat.length;
  flat.push(name, value);
  while (j > 0 && flat[j - 2]! > name) {
    flat[j] = flat[j - 2]!;
    flat[j + 1] = flat[j - 1]!;
    j -= 2;
  }
  flat[j] = name;
  flat[j + 1] = value;
}

function normaliseFloatLabel(value: string): string {
  const f = parseFloatValue(value);
  return f === undefined ? value : formatOpenMetricsFloat(f);
}

/** quoteToken quotes s[start, end) for a message, shortened when long. */
export function quoteToken(s: string, start: number, end: number): string {
  const max = 40;
  return end - start > max ? JSON.stringify(s.slice(start, start + max)).slice(0, -1) + '..."' : JSON.stringify(s.slice(start, end));
}

// NO_LABELS is the label offsets array of a parser that has stored none yet; storeLabel replaces it.
const NO_LABELS = new Int32Array(0);
// INITIAL_LABEL_SLOTS holds the offsets of 16 labels.
const INITIAL_LABEL_SLOTS = 64;

/**
 * storeLabel writes the offsets of label `n` into `lab` (four per label; an escaped value's end as
 * -end - 1), growing it when full, and returns the array to keep.
 */
function storeLabel(
  lab: Int32Array<ArrayBuffer>,
  n: number,
  nameStart: number,
  nameEnd: number,
  valueStart: number,
  valueEnd: number,
  escaped: boolean,
): Int32Array<ArrayBuffer> {
  const o = n << 2;
  if (o + 4 > lab.length) {
    const grown = new Int32Array(Math.max(INITIAL_LABEL_SLOTS, lab.length * 2));
    grown.set(lab);
    lab = grown;
  }
  lab[o] = nameStart;
  lab[o + 1] = nameEnd;
  lab[o + 2] = valueStart;
  lab[o + 3] = escaped ? -valueEnd - 1 : valueEnd;
  return lab;
}
