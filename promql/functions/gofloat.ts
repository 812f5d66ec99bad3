/**
 * Go's float parsing and formatting, where PromQL's results depend on them: `le` bucket labels are
 * parsed with strconv.ParseFloat, histogram_quantiles labels its output with
 * FormatOpenMetricsFloat, and annotation and error texts print numbers with %g and %f.
 */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^([+-]?)0[xX]((?:[0-9a-fA-F]|_(?=[0-9a-fA-F]))*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/;
const SPECIAL = /^([+-]?)(inf|infinity)$/i;

/**
 * parseGoFloat parses `s` as strconv.ParseFloat(s, 64) does, returning undefined where Go returns
 * an error: no surrounding space, case-insensitive "inf"/"infinity" (optionally signed) and "nan"
 * (unsigned), decimal and hexadecimal (with a mandatory p exponent) forms. Out-of-range values
 * become ±Inf as in Go (which reports ErrRange but still yields ±Inf: Prometheus treats that as a
 * malformed label, so it is undefined here too).
 */
export function parseGoFloat(s: string): number | undefined {
  if (s.length === 0) return undefined;
  if (DECIMAL.test(s)) {
    const v = Number(s);
    return Number.isFinite(v) ? v : undefined;
  }
  const special = SPECIAL.exec(s);
  if (special) return special[1] === '-' ? -Infinity : Infinity;
  if (s.length === 3 && s.toLowerCase() === 'nan') return NaN;
  const hex = HEX.exec(s);
  if (hex) {
    const intPart = hex[2]!.replaceAll('_', '');
    const frac = hex[3] ?? '';
    if (intPart.length === 0 && frac.length === 0) return undefined;
    let mantissa = 0;
    for (const d of intPart + frac) mantissa = mantissa * 16 + parseInt(d, 16);
    const v = mantissa * 2 ** (Number(hex[4]) - 4 * frac.length);
    if (!Number.isFinite(v)) return undefined;
    return hex[1] === '-' ? -v : v;
  }
  return undefined;
}

/**
 * formatGoFloat formats `v` as strconv.FormatFloat(v, 'g', -1, 64) and fmt's %g do: the shortest
 * digits that round-trip, in exponent form (at least two exponent digits) when the decimal exponent
 * is below -4 or at least 6, else in plain decimal form. NaN is "NaN", infinities "+Inf" / "-Inf".
 */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  // toExponential() without an argument gives the shortest digits that round-trip, as Go does.
  const [mant, expStr] = v.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const sign = neg ? '-' : '';
  // For the shortest form Go decides with a precision of 6 (strconv's eprec).
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** formatOpenMetricsFloat is Prometheus's labels.FormatOpenMetricsFloat: %g, with ".0" added to integers. */
export function formatOpenMetricsFloat(v: number): string {
  const s = formatGoFloat(v);
  if (!Number.isFinite(v) || s.includes('e') || s.includes('.')) return s;
  return s + '.0';
}

/** formatGoFixed6 formats `v` as fmt's %f (six decimals; NaN, +Inf, -Inf spelled as Go does). */
export function formatGoFixed6(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Math.abs(v) < 1e21) return v.toFixed(6);
  // toFixed switches to exponent form from 1e21 on; such a float is an integer, printed exactly.
  return BigInt(v).toString() + '.000000';
}
