/**
 * Float formatting as Go prints it, so that what vigil writes looks like what client_golang and
 * Prometheus write: the exposition formats use Go's `%g` (strconv 'g', shortest), Prometheus's
 * JSON API uses strconv 'f' (shortest), and `le`/`quantile` label values are normalised with
 * OpenMetrics' rule (Go 'g' plus ".0" on integers). Every form reads back to the same float64.
 */

interface Decimal {
  negative: boolean;
  /** digits are the shortest round-trip significant digits, without leading or trailing zeros. */
  digits: string;
  /** point is where the decimal point goes: the value is 0.digits × 10^point. */
  point: number;
}

function decompose(f: number): Decimal {
  const negative = f < 0 || Object.is(f, -0);
  // toExponential() with no argument gives the shortest digits that read back as the same double.
  const e = Math.abs(f).toExponential();
  const at = e.indexOf('e');
  const mantissa = e.slice(0, at);
  const digits = mantissa.length > 1 ? mantissa[0]! + mantissa.slice(2) : mantissa;
  return { negative, digits, point: Number(e.slice(at + 1)) + 1 };
}

function special(f: number): string | undefined {
  if (f !== f) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  return undefined;
}

/** formatGoFloat formats like Go's strconv.FormatFloat(f, 'g', -1, 64), with Prometheus's `+Inf`. */
export function formatGoFloat(f: number): string {
  const sp = special(f);
  if (sp !== undefined) return sp;
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const { negative, digits, point } = decompose(f);
  const sign = negative ? '-' : '';
  const exp = point - 1;
  // Go switches to the exponent form below 1e-4 and, for shortest output, from 1e6 (eprec = 6).
  if (exp < -4 || exp >= 6) {
    const mantissa = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const abs = Math.abs(exp);
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  return sign + fixed(digits, point);
}

/** formatPromAPIFloat formats like Prometheus's JSON API: strconv 'f' shortest, and NaN, +Inf, -Inf. */
export function formatPromAPIFloat(f: number): string {
  const sp = special(f);
  if (sp !== undefined) return sp;
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const { negative, digits, point } = decompose(f);
  return (negative ? '-' : '') + fixed(digits, point);
}

/**
 * formatOpenMetricsFloat is Prometheus's FormatOpenMetricsFloat: Go's 'g' form, with ".0" added
 * when that has neither a point nor an exponent. Prometheus 3 rewrites `le` and `quantile` label
 * values with it, so `le="1"` and `le="1.0"` name the same series.
 */
export function formatOpenMetricsFloat(f: number): string {
  if (f === 0) return '0.0'; // -0 too, as in Go, where -0 == 0 picks the same case
  const s = formatGoFloat(f);
  if (f !== f || f === Infinity || f === -Infinity) return s;
  return s.includes('.') || s.includes('e') ? s : s + '.0';
}

function fixed(digits: string, point: number): string {
  if (point <= 0) return '0.' + '0'.repeat(-point) + digits;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return digits.slice(0, point) + '.' + digits.slice(point);
}
