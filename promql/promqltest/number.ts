import { isStaleNaN } from '../../model/value.js';

/**
 * Number handling of Prometheus's test runner: how a script spells numbers, and when a result
 * value counts as equal to the expected one.
 */

/** EPSILON is the relative error test.go allows between an expected and a returned value. */
export const EPSILON = 1e-6;

/** MIN_NORMAL is the smallest positive normal float64 (Go's math.SmallestNormal equivalent). */
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * almostEqual is Prometheus's util/almost.Equal: two NaNs are equal unless exactly one is a
 * staleness marker; otherwise the relative difference must be below epsilon, and when either side
 * is 0 (or both are subnormal) the absolute difference must be below epsilon * MIN_NORMAL.
 */
export function almostEqual(a: number, b: number, epsilon = EPSILON): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return isStaleNaN(a) === isStaleNaN(b);
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

const GO_INT = /^[+-]?(?:0[xX](?:_?[0-9a-fA-F])+|0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0(?:_?[0-7])*|[1-9](?:_?[0-9])*)$/;
const GO_DEC_FLOAT = /^[+-]?(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?$/;
const GO_HEX_FLOAT = /^([+-]?)0[xX]((?:_?[0-9a-fA-F])*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/;
const GO_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * parseGoNumber reads a number the way Prometheus's parser and test runner do: first as a Go
 * integer literal with base prefix (strconv.ParseInt(s, 0, 64), so `010` is octal 8 and `0x1f`
 * is 31), then as a Go float (strconv.ParseFloat: decimal, hexadecimal with a `p` exponent,
 * `Inf`, `+Inf`, `-Infinity`, `NaN`, case-insensitive). It returns undefined when neither reads.
 */
export function parseGoNumber(text: string): number | undefined {
  if (GO_INT.test(text)) {
    const neg = text[0] === '-';
    let body = text.replace(/^[+-]/, '').replaceAll('_', '');
    let radix = 10;
    if (/^0[xX]/.test(body)) (radix = 16), (body = body.slice(2));
    else if (/^0[bB]/.test(body)) (radix = 2), (body = body.slice(2));
    else if (/^0[oO]/.test(body)) (radix = 8), (body = body.slice(2));
    else if (body.length > 1 && body[0] === '0') (radix = 8), (body = body.slice(1));
    const n = parseBigUnsigned(body, radix);
    // ParseInt fails beyond int64; ParseFloat then reads the decimal spelling (not the others).
    if (n <= (neg ? 2n ** 63n : 2n ** 63n - 1n)) return neg ? -Number(n) : Number(n);
  }
  if (GO_DEC_FLOAT.test(text) && text.includes('_') === false) return Number(text);
  const special = GO_SPECIAL.exec(text);
  if (special !== null) {
    if (special[2]!.toLowerCase() === 'nan') return special[1] === '' ? NaN : undefined;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  const hex = GO_HEX_FLOAT.exec(text.replaceAll('_', ''));
  if (hex !== null && (hex[2] !== '' || (hex[3] ?? '') !== '')) {
    const mantissa = Number.parseInt((hex[2] || '0') + (hex[3] ?? ''), 16);
    const value = mantissa * 2 ** (Number(hex[4]) - 4 * (hex[3] ?? '').length);
    return hex[1] === '-' ? -value : value;
  }
  return undefined;
}

function parseBigUnsigned(digits: string, radix: number): bigint {
  let n = 0n;
  const r = BigInt(radix);
  for (const c of digits) n = n * r + BigInt(Number.parseInt(c, radix));
  return n;
}

/** formatValue renders a sample value as Prometheus prints it in test failures: `+Inf`, `NaN`, `1.5`. */
export function formatValue(v: number): string {
  if (isStaleNaN(v)) return 'stale';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}
