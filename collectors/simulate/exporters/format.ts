import { formatGoFloat } from '../../textparse/index.js';

/**
 * Number formats of the exporters the simulator plays, so a body reads like the real one:
 *
 *   - vLLM (Python prometheus_client): `floatToGoString`, which is Python's repr() of a float
 *     (`12.0`, `0.1`, `1e-05`) except that positive values of 1e6 and above whose repr has no
 *     exponent are rewritten with one the way Go would (`3.119259e+06`). Its exponent is printed as
 *     `e+0<digits - 1>`, so 1e10 up to 1e16 come out as `e+010` and up: the client's own quirk.
 *   - dcgm-exporter (Go): integers with `%d`, doubles with `%f` (six decimals).
 *   - kube-state-metrics (Go): strconv 'g' shortest, as client_golang.
 *   - RabbitMQ (Erlang prometheus.erl): integers as written, floats in shortest form.
 */

/** pythonRepr is Python's repr() of a float. */
export function pythonRepr(v: number): string {
  if (v !== v) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const sign = v < 0 ? '-' : '';
  const e = Math.abs(v).toExponential();
  const at = e.indexOf('e');
  const mantissa = e.slice(0, at);
  const digits = mantissa.replace('.', '');
  const exp = Number(e.slice(at + 1));
  if (exp < -4 || exp >= 16) {
    const abs = Math.abs(exp);
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  const point = exp + 1;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** pythonFloat is prometheus_client's floatToGoString, the form of every value and `le` it writes. */
export function pythonFloat(v: number): string {
  // Whole numbers below 1e6 are most values (counts): repr is the digits and ".0".
  if (Number.isInteger(v) && v > 0 && v < 1e6) return v + '.0';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v !== v) return 'NaN';
  const s = pythonRepr(v);
  const dot = s.indexOf('.');
  if (v > 0 && dot > 6) {
    const mantissa = `${s[0]}.${s.slice(1, dot)}${s.slice(dot + 1)}`.replace(/[0.]+$/, '');
    return `${mantissa}e+0${dot - 1}`;
  }
  return s;
}

/** goInt is Go's `%d` of a whole number (the value is rounded first). */
export function goInt(v: number): string {
  return Math.round(v).toFixed(0);
}

/** goFixed is Go's `%f`: six decimals. */
export function goFixed(v: number): string {
  return v.toFixed(6);
}

/** goFloat is strconv.FormatFloat(v, 'g', -1, 64), as client_golang and kube-state-metrics write values. */
export function goFloat(v: number): string {
  return formatGoFloat(v);
}

/** erlangNumber writes an integer as is and a float in its shortest form with at least one decimal. */
export function erlangNumber(v: number): string {
  if (Number.isInteger(v)) return v.toFixed(0);
  const s = String(v);
  return s.includes('.') || s.includes('e') ? s : s + '.0';
}
