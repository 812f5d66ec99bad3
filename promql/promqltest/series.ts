import { Labels, METRIC_NAME } from '../../model/labels.js';
import { parseGoNumber } from './number.js';
import { type Sequence, SequenceBuilder } from './sequence.js';
import { unquoteString as unquoteGoString } from '../strings.js';

/** SeriesSyntaxError is a malformed series line; `column` is 1-based within the line. */
export class SeriesSyntaxError extends Error {
  constructor(
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${column}: ${reason}`);
    this.name = 'SeriesSyntaxError';
  }
}

/** SeriesDesc is one `<labels> <points>` line of a script. */
export interface SeriesDesc {
  readonly labels: Labels;
  readonly points: Sequence;
}

const IDENT_START = /[a-zA-Z_:]/;
const IDENT_PART = /[a-zA-Z0-9_:]/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
/** A limit on `xN` so a typo cannot allocate gigabytes. */
const MAX_REPEAT = 10_000_000;

/**
 * parseSeriesDesc reads a series in Prometheus's test notation (parser.ParseSeriesDesc): a label
 * set written as `metric`, `metric{a="b"}`, `{__name__="m"}`, `{"utf8.name", a="b"}` or `{}`, then
 * whitespace, then point items:
 *
 * - `v` one float (`1`, `-2.5`, `1e3`, `Inf`, `-Inf`, `NaN`; integers read as Go literals);
 * - `vxN` N+1 copies of v; `a+bxN` / `a-bxN` N+1 points from a, adding b each time (accumulated as
 *   Prometheus does, not multiplied);
 * - `_` one gap, `_xN` N gaps; `stale` a staleness marker;
 * - `{{...}}`, `{{...}}xN`, `{{...}}+{{...}}xN` native-histogram samples (kept as text).
 */
export function parseSeriesDesc(line: string): SeriesDesc {
  let i = 0;
  const fail = (reason: string, at = i): never => {
    throw new SeriesSyntaxError(at + 1, reason);
  };
  let name: string | undefined;
  if (i < line.length && IDENT_START.test(line[i]!)) {
    const start = i;
    while (i < line.length && IDENT_PART.test(line[i]!)) i++;
    name = line.slice(start, i);
  }
  const entries: [string, string][] = [];
  if (line[i] === '{') {
    i = parseLabelSet(line, i, entries, fail);
  } else if (name === undefined) {
    fail('expected a metric name or "{"');
  }
  if (name !== undefined) entries.push([METRIC_NAME, name]);
  if (i >= line.length) fail('missing point values after the series labels');
  if (line[i] !== ' ' && line[i] !== '\t') fail(`unexpected character ${JSON.stringify(line[i])} after the series labels`);
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  const points = parsePoints(line, i, fail);
  return { labels: Labels.from(entries), points };
}

/** parseLabelSet reads `{...}` starting at `i` (the brace) into entries; returns the index after `}`. */
function parseLabelSet(line: string, i: number, entries: [string, string][], fail: (reason: string, at?: number) => never): number {
  i++; // {
  const ws = () => {
    while (i < line.length && /\s/.test(line[i]!)) i++;
  };
  ws();
  if (line[i] === '}') return i + 1;
  for (;;) {
    ws();
    let labelName: string;
    let quotedName = false;
    const c = line[i];
    if (c === '"' || c === "'" || c === '`') {
      const { value, end } = readString(line, i, fail);
      labelName = value;
      quotedName = true;
      i = end;
    } else {
      const m = LABEL_NAME.exec(line.slice(i));
      if (m === null) fail('expected a label name or "}" in the label set');
      labelName = m![0];
      i += labelName.length;
    }
    ws();
    if (line[i] === '=') {
      i++;
      ws();
      const q = line[i];
      if (q !== '"' && q !== "'" && q !== '`') fail('expected a quoted label value');
      const { value, end } = readString(line, i, fail);
      entries.push([labelName, value]);
      i = end;
    } else if (quotedName) {
      // A lone quoted string is the metric name in the UTF-8 syntax: {"my.metric", a="b"}.
      entries.push([METRIC_NAME, labelName]);
    } else {
      fail('expected "=" after the label name');
    }
    ws();
    if (line[i] === ',') {
      i++;
      ws();
      if (line[i] === '}') return i + 1;
      continue;
    }
    if (line[i] === '}') return i + 1;
    fail('expected "," or "}" in the label set');
  }
}

function readString(line: string, start: number, fail: (reason: string, at?: number) => never): { value: string; end: number } {
  const q = line[start]!;
  let j = start + 1;
  while (j < line.length && line[j] !== q) j += line[j] === '\\' && q !== '`' ? 2 : 1;
  if (j >= line.length) fail('unterminated string', start);
  const value = unquoteGoString(line.slice(start, j + 1));
  if (value === undefined) fail('invalid string literal', start);
  return { value: value!, end: j + 1 };
}

/** parsePoints expands the whitespace-separated point items from `i` to the end of the line. */
function parsePoints(line: string, i: number, fail: (reason: string, at?: number) => never): Sequence {
  const out = new SequenceBuilder();
  while (i < line.length) {
    const start = i;
    if (line.startsWith('{{', i)) {
      i = parseHistogramItem(line, i, out, fail);
    } else {
      while (i < line.length && line[i] !== ' ' && line[i] !== '\t') i++;
      parseFloatItem(line.slice(start, i), start, out, fail);
    }
    if (i < line.length && line[i] !== ' ' && line[i] !== '\t') fail('expected whitespace between point items');
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  }
  return out.build();
}

/** NUMBER is the series lexer's number (no hexadecimal: `0x5` is 0 repeated). */
const NUMBER = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/;
const KEYWORD_NUMBER = /^(?:inf|nan)(?![a-zA-Z0-9_])/i;

function parseFloatItem(item: string, at: number, out: SequenceBuilder, fail: (reason: string, at?: number) => never): void {
  if (item === '_') return out.omitted();
  if (item.startsWith('_x')) {
    const n = readRepeat(item.slice(2), at + 2, fail);
    for (let k = 0; k < n; k++) out.omitted();
    return;
  }
  if (item === 'stale') return out.stale();
  let pos = 0;
  const readNumber = (signRequired: boolean): number => {
    const sign = item[pos];
    const hasSign = sign === '+' || sign === '-';
    if (signRequired && !hasSign) fail(`invalid point ${JSON.stringify(item)}`, at + pos);
    if (hasSign) pos++;
    const rest = item.slice(pos);
    let text: string;
    const kw = KEYWORD_NUMBER.exec(rest);
    if (kw !== null) text = kw[0];
    else {
      const m = NUMBER.exec(rest);
      if (m === null) fail(`invalid point ${JSON.stringify(item)}: expected a number or "stale"`, at + pos);
      text = m![0];
    }
    const v = parseGoNumber(text);
    if (v === undefined) fail(`invalid number ${JSON.stringify(text)}`, at + pos);
    pos += text.length;
    return sign === '-' ? -v! : v!;
  };
  const first = readNumber(false);
  if (pos === item.length) return out.float(first);
  let delta = 0;
  if (item[pos] === '+' || item[pos] === '-') delta = readNumber(true);
  if (item[pos] !== 'x') fail(`invalid point ${JSON.stringify(item)}: expected "x<count>"`, at + pos);
  const n = readRepeat(item.slice(pos + 1), at + pos + 1, fail);
  let v = first;
  for (let k = 0; k <= n; k++) {
    out.float(v);
    v += delta;
  }
}

function readRepeat(text: string, at: number, fail: (reason: string, at?: number) => never): number {
  if (!/^[0-9]+$/.test(text)) fail(`invalid repetition in series values: ${JSON.stringify(text)}`, at);
  const n = Number(text);
  if (n > MAX_REPEAT) fail(`repetition ${n} is too large`, at);
  return n;
}

function parseHistogramItem(line: string, i: number, out: SequenceBuilder, fail: (reason: string, at?: number) => never): number {
  const readLiteral = (): string => {
    const end = line.indexOf('}}', i);
    if (end < 0) fail('unterminated native histogram literal "{{"');
    const text = line.slice(i, end + 2);
    i = end + 2;
    return text;
  };
  const first = readLiteral();
  if (line[i] === '+' || line[i] === '-') {
    i++;
    if (!line.startsWith('{{', i)) fail('expected "{{" after the histogram sign');
    readLiteral();
    if (line[i] !== 'x') fail('expected "x<count>" after a histogram increment');
  }
  if (line[i] === 'x') {
    const start = ++i;
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t') i++;
    const n = readRepeat(line.slice(start, i), start, fail);
    for (let k = 0; k <= n; k++) out.histogram(first);
    return i;
  }
  out.histogram(first);
  return i;
}
