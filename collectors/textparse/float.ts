/**
 * Sample values are read with Go's strconv.ParseFloat syntax, minus what Prometheus refuses on top
 * of it (hex floats and `_` digit separators): an optional sign, decimal digits with an optional
 * point and exponent, or `inf`/`infinity`/`nan` in any case (a sign is allowed on infinities only).
 * JavaScript's Number() accepts other spellings (`Infinity`, `0x10`, `0b1`, whitespace, the empty
 * string), so syntax is checked here before any conversion.
 */

// Powers of ten that are exact doubles: a mantissa below 2^53 times or divided by one of these is
// rounded once, hence correctly (Clinger's fast path).
const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const MANTISSA_LIMIT = 9007199254740992; // 2^53
// Exponents beyond this overflow or underflow any double; capping keeps the accumulator finite.
const EXPONENT_CAP = 100000;

/**
 * scanFloat reads s[start, end) as a float. It returns NaN both for a NaN literal and for text that
 * is not a number: when the result is NaN, ask isNaNLiteral which it was. An out-of-range literal
 * such as `1e400` gives ±Infinity; isInfLiteral tells it from a written infinity.
 *
 * exp10 scales the result by 10^exp10 exactly (before rounding), which lets OpenMetrics timestamps
 * in seconds become milliseconds without a rounding error from a separate multiplication.
 */
export function scanFloat(s: string, start: number, end: number, exp10 = 0): number {
  let i = start;
  if (i >= end) return NaN;
  let c = s.charCodeAt(i);
  let negative = false;
  if (c === 43 || c === 45) {
    negative = c === 45;
    if (++i >= end) return NaN;
    c = s.charCodeAt(i);
  }
  if ((c < 48 || c > 57) && c !== 46) return scanSpecial(s, i, end, negative);

  let mantissa = 0;
  let exponent = exp10;
  let digits = 0;
  const intStart = i;
  for (; i < end; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    mantissa = mantissa * 10 + d;
    digits++;
  }
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < end && s.charCodeAt(i) === 46) {
    fracStart = ++i;
    for (; i < end; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      mantissa = mantissa * 10 + d;
      exponent--;
      digits++;
    }
    fracEnd = i;
  }
  if (digits === 0) return NaN;
  const exact = mantissa < MANTISSA_LIMIT;
  if (i < end) {
    c = s.charCodeAt(i);
    if (c !== 101 && c !== 69) return NaN;
    if (++i >= end) return NaN;
    c = s.charCodeAt(i);
    let expNegative = false;
    if (c === 43 || c === 45) {
      expNegative = c === 45;
      if (++i >= end) return NaN;
    }
    let e = 0;
    const expStart = i;
    for (; i < end; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return NaN;
      if (e < EXPONENT_CAP) e = e * 10 + d;
    }
    if (i === expStart) return NaN;
    exponent += expNegative ? -e : e;
  }
  if (exact) {
    if (mantissa === 0) return negative ? -0 : 0;
    let v: number;
    if (exponent === 0) v = mantissa;
    else if (exponent > 0 && exponent <= 22) v = mantissa * POW10[exponent]!;
    else if (exponent < 0 && exponent >= -22) v = mantissa / POW10[-exponent]!;
    else v = slowPath(s, intStart, intEnd, fracStart, fracEnd, exponent);
    return negative ? -v : v;
  }
  const v = slowPath(s, intStart, intEnd, fracStart, fracEnd, exponent);
  return negative ? -v : v;
}

// slowPath hands the validated digits to Number(), which rounds correctly: the value is the
// integer and fraction digits read as one integer, times 10^exponent.
function slowPath(s: string, intStart: number, intEnd: number, fracStart: number, fracEnd: number, exponent: number): number {
  return Number(s.slice(intStart, intEnd) + s.slice(fracStart, fracEnd) + 'e' + exponent);
}

// scanSpecial reads the words Go's ParseFloat knows; text that is neither returns NaN as well, and
// the caller tells the two apart with isNaNLiteral.
function scanSpecial(s: string, i: number, end: number, negative: boolean): number {
  const n = end - i;
  if ((n === 3 || n === 8) && matchesIgnoreCase(s, i, end, 'infinity')) return negative ? -Infinity : Infinity;
  return NaN;
}

// matchesIgnoreCase compares s[i, end) with a prefix of `word` (lower case ASCII).
function matchesIgnoreCase(s: string, i: number, end: number, word: string): boolean {
  for (let k = 0; i + k < end; k++) {
    if (k >= word.length || (s.charCodeAt(i + k) | 0x20) !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** isNaNLiteral tells whether s[start, end) spells NaN (as Go's ParseFloat reads it: no sign). */
export function isNaNLiteral(s: string, start: number, end: number): boolean {
  return end - start === 3 && matchesIgnoreCase(s, start, end, 'nan');
}

/** isInfLiteral tells whether s[start, end) spells an infinity, such as `+Inf`, `-inf` or `Infinity`. */
export function isInfLiteral(s: string, start: number, end: number): boolean {
  let i = start;
  if (i < end && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) i++;
  const n = end - i;
  return (n === 3 || n === 8) && matchesIgnoreCase(s, i, end, 'infinity');
}

/**
 * parseFloatValue reads a whole string as a sample value with Prometheus's rules, returning
 * undefined when it is not a number there or is out of the float64 range (`1e400`).
 */
export function parseFloatValue(text: string): number | undefined {
  const v = scanFloat(text, 0, text.length);
  if (v !== v) return isNaNLiteral(text, 0, text.length) ? NaN : undefined;
  if ((v === Infinity || v === -Infinity) && !isInfLiteral(text, 0, text.length)) return undefined;
  return v;
}

/** PlainDecimal receives what scanPlainDecimal read; one object per parser, reused for every value. */
export interface PlainDecimal {
  value: number;
  end: number;
}

/**
 * scanPlainDecimal reads the spelling most values have, unsigned digits with an optional fraction
 * (`1980`, `18234.0`) and, when `exponent` is set, an optional exponent (`1.767e+09`), in one pass
 * that also finds where the token ends: at a blank or newline, whose offset goes to out.end.
 * Anything else (a sign, an exponent when not asked for, digits worth 2^53 or more, a power of ten
 * past 10^22 either way, a word, a stray character) returns false and is left to scanFloat. The
 * values it takes are correctly rounded by Clinger's fast path, as scanFloat's are.
 */
export function scanPlainDecimal(s: string, start: number, out: PlainDecimal, exponent = false): boolean {
  let i = start;
  let c = s.charCodeAt(i);
  let mantissa = 0;
  let digits = 0;
  while (c >= 48 && c <= 57) {
    mantissa = mantissa * 10 + (c - 48);
    digits++;
    c = s.charCodeAt(++i);
  }
  let fraction = 0;
  if (c === 46) {
    c = s.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      fraction++;
      c = s.charCodeAt(++i);
    }
  }
  let scale = -fraction;
  if ((c === 101 || c === 69) && exponent) {
    c = s.charCodeAt(++i);
    const negative = c === 45;
    if (negative || c === 43) c = s.charCodeAt(++i);
    let e = 0;
    const expStart = i;
    // Three digits settle it: past 10^22 either way is left to scanFloat.
    while (c >= 48 && c <= 57 && i - expStart < 3) {
      e = e * 10 + (c - 48);
      c = s.charCodeAt(++i);
    }
    if (i === expStart) return false;
    scale += negative ? -e : e;
  }
  if (c !== 32 && c !== 10 && c !== 9) return false;
  if (digits + fraction === 0 || mantissa >= MANTISSA_LIMIT || scale < -22 || scale > 22) return false;
  out.value = scale === 0 ? mantissa : scale > 0 ? mantissa * POW10[scale]! : mantissa / POW10[-scale]!;
  out.end = i;
  return true;
}
