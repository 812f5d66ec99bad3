/**
 * Go's float formatting (strconv.FormatFloat), digit for digit: `%e`, `%f` and `%g` with a
 * precision round the exact binary value half-to-even; precision -1 is the shortest form that
 * reads back as the same float64. Prometheus's humanize functions and `{{ $value }}` print
 * through it, so vigil's labels and annotations read exactly as Prometheus's.
 */
export function formatFloat(v: number, fmt: 'e' | 'E' | 'f' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  const shortest = prec < 0;
  let d: Decimal;
  if (shortest) {
    d = shortestDecimal(Math.abs(v));
  } else {
    d = exactDecimal(Math.abs(v));
    const lower = fmt.toLowerCase();
    if (lower === 'e') roundTo(d, prec + 1);
    else if (lower === 'f') roundTo(d, d.dp + prec);
    else roundTo(d, prec === 0 ? 1 : prec);
  }
  switch (fmt) {
    case 'e':
    case 'E':
      return fmtE(neg, d, shortest ? Math.max(d.digits.length - 1, 0) : prec, fmt);
    case 'f':
      return fmtF(neg, d, shortest ? Math.max(d.digits.length - d.dp, 0) : prec);
    default: {
      let p = shortest ? d.digits.length : prec === 0 ? 1 : prec;
      let eprec = p;
      if (eprec > d.digits.length && d.digits.length >= d.dp) eprec = d.digits.length;
      if (shortest) eprec = 6;
      const exp = d.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (p > d.digits.length) p = d.digits.length;
        return fmtE(neg, d, p - 1, fmt === 'g' ? 'e' : 'E');
      }
      if (p > d.dp) p = d.digits.length;
      return fmtF(neg, d, Math.max(p - d.dp, 0));
    }
  }
}

/** Decimal is digits d1 d2 ... (no leading or trailing zeros) times 10^(dp - len): 0.d1d2... × 10^dp. */
interface Decimal {
  digits: string;
  dp: number;
}

function shortestDecimal(v: number): Decimal {
  if (v === 0) return { digits: '', dp: 0 };
  // toExponential() with no argument gives the shortest digits that read back as v, as Go's shortest does.
  const [mant, exp] = v.toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '').replace(/0+$/, '');
  return { digits, dp: Number(exp) + 1 };
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** exactDecimal is the exact decimal value of a finite, non-negative float64. */
function exactDecimal(v: number): Decimal {
  if (v === 0) return { digits: '', dp: 0 };
  f64[0] = v;
  const hi = u32[1]!;
  const lo = u32[0]!;
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  let digits: string;
  let dp: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-exp)).toString();
    dp = digits.length + exp;
  }
  digits = digits.replace(/0+$/, '');
  return { digits, dp };
}

/** roundTo keeps nd significant digits, rounding half to even as Go's decimal.Round does on an exact value. */
function roundTo(d: Decimal, nd: number): void {
  if (nd < 0 || nd >= d.digits.length) return;
  const next = d.digits.charCodeAt(nd) - 48;
  let up: boolean;
  if (next === 5 && nd + 1 === d.digits.length) up = nd > 0 && (d.digits.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = next >= 5;
  if (!up) {
    d.digits = d.digits.slice(0, nd).replace(/0+$/, '');
    return;
  }
  let i = nd - 1;
  while (i >= 0 && d.digits[i] === '9') i--;
  if (i < 0) {
    d.digits = '1';
    d.dp++;
    return;
  }
  d.digits = d.digits.slice(0, i) + String.fromCharCode(d.digits.charCodeAt(i) + 1);
}

function fmtE(neg: boolean, d: Decimal, prec: number, e: 'e' | 'E'): string {
  let out = neg ? '-' : '';
  out += d.digits.length > 0 ? d.digits[0] : '0';
  if (prec > 0) {
    out += '.';
    const frac = d.digits.slice(1, prec + 1);
    out += frac + '0'.repeat(prec - frac.length);
  }
  let exp = d.digits.length === 0 ? 0 : d.dp - 1;
  out += e;
  if (exp < 0) {
    out += '-';
    exp = -exp;
  } else out += '+';
  return out + (exp < 10 ? '0' + exp : String(exp));
}

function fmtF(neg: boolean, d: Decimal, prec: number): string {
  let out = neg ? '-' : '';
  if (d.dp > 0) {
    const m = Math.min(d.digits.length, d.dp);
    out += d.digits.slice(0, m) + '0'.repeat(d.dp - m);
  } else out += '0';
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) {
      const j = d.dp + i - 1;
      out += j >= 0 && j < d.digits.length ? d.digits[j] : '0';
    }
  }
  return out;
}
