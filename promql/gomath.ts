/**
 * Go's math.Pow, math.Mod and math.Atan2, as PromQL's `^`, `%` and `atan2` compute them.
 *
 * JavaScript's Math.pow disagrees with Go on special cases (Go: 1^NaN = 1, (-1)^±Inf = 1; JS:
 * NaN), and both Pow and Atan2 are computed differently enough that results can differ in the
 * last bit. These follow Go's code path by path (src/math/pow.go, atan.go, frexp.go, ldexp.go),
 * so that `x ^ 2 == y` compares the same way in vigil and in Prometheus. Only Pow's fractional
 * exponents go through Math.exp/Math.log, where Go's own Exp/Log (assembly on amd64) may still
 * differ by an ulp.
 */

const view = new DataView(new ArrayBuffer(8));

function bits(f: number): { hi: number; lo: number } {
  view.setFloat64(0, f, true);
  return { hi: view.getUint32(4, true), lo: view.getUint32(0, true) };
}

function fromBits(hi: number, lo: number): number {
  view.setUint32(4, hi >>> 0, true);
  view.setUint32(0, lo >>> 0, true);
  return view.getFloat64(0, true);
}

const SMALLEST_NORMAL = 2.2250738585072014e-308;

/** frexp is Go's math.Frexp: f = frac × 2^exp with |frac| in [0.5, 1). */
export function frexp(f: number): [number, number] {
  if (f === 0 || f !== f || f === Infinity || f === -Infinity) return [f, 0];
  let exp = 0;
  if (Math.abs(f) < SMALLEST_NORMAL) {
    f *= 2 ** 52;
    exp = -52;
  }
  const { hi, lo } = bits(f);
  exp += ((hi >>> 20) & 0x7ff) - 1023 + 1;
  return [fromBits((hi & ~(0x7ff << 20)) | (1022 << 20), lo), exp];
}

/** ldexp is Go's math.Ldexp: frac × 2^exp, rounding once on underflow as Go does. */
export function ldexp(frac: number, exp: number): number {
  if (frac === 0 || frac !== frac || frac === Infinity || frac === -Infinity) return frac;
  if (Math.abs(frac) < SMALLEST_NORMAL) {
    frac *= 2 ** 52;
    exp -= 52;
  }
  const { hi, lo } = bits(frac);
  exp += ((hi >>> 20) & 0x7ff) - 1023;
  if (exp < -1075) return frac < 0 ? -0 : 0;
  if (exp > 1023) return frac < 0 ? -Infinity : Infinity;
  let m = 1;
  if (exp < -1022) {
    exp += 53;
    m = 2 ** -53;
  }
  return m * fromBits((hi & ~(0x7ff << 20)) | ((exp + 1023) << 20), lo);
}

function isOddInt(x: number): boolean {
  // Go: xi, xf := Modf(x); xf == 0 && int64(xi)&1 == 1. Beyond 2^53 every float is even.
  return Number.isInteger(x) && Math.abs(x) < 2 ** 53 && Math.abs(x % 2) === 1;
}

/** goPow is Go's math.Pow(x, y). */
export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x !== x || y !== y) return NaN;
  if (x === 0) {
    if (y < 0) return isOddInt(y) ? (Object.is(x, -0) ? -Infinity : Infinity) : Infinity;
    return isOddInt(y) ? x : 0; // y > 0
  }
  if (y === Infinity || y === -Infinity) {
    if (x === -1) return 1;
    return Math.abs(x) < 1 === (y === Infinity) ? 0 : Infinity;
  }
  if (x === Infinity || x === -Infinity) {
    if (x === -Infinity) return goPow(1 / x, -y); // Pow(-0, -y)
    return y < 0 ? 0 : Infinity;
  }
  if (y === 0.5) return Math.sqrt(x);
  if (y === -0.5) return 1 / Math.sqrt(x);
  if (Number.isInteger(y) && y >= -128 && y <= 127) {
    // Go's fast path for exponents that fit an int8: squarings and multiplications in this order.
    let n = Math.abs(y);
    let r = 1;
    while (n > 1) {
      let tmp = x;
      let c = 1;
      const half = n >>> 1;
      while (c <= half) {
        tmp *= tmp;
        c *= 2;
      }
      n -= c;
      r *= tmp;
    }
    for (let i = 0; i < n; i++) r *= x;
    return y < 0 ? 1 / r : r;
  }
  let yi = Math.trunc(Math.abs(y));
  let yf = Math.abs(y) - yi;
  if (yf !== 0 && x < 0) return NaN;
  if (yi >= 2 ** 63) {
    if (x === -1) return 1;
    return Math.abs(x) < 1 === y > 0 ? 0 : Infinity;
  }
  let a1 = 1;
  let ae = 0;
  if (yf !== 0) {
    if (yf > 0.5) {
      yf--;
      yi++;
    }
    a1 = Math.exp(yf * Math.log(x));
  }
  let [x1, xe] = frexp(x);
  // yi < 2^63 may exceed 2^53; its bits are walked as a float (exact: it is an integer).
  for (let i = yi; i !== 0; i = Math.floor(i / 2)) {
    if (xe < -(1 << 12) || 1 << 12 < xe) {
      ae += xe;
      break;
    }
    if (i % 2 === 1) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe *= 2;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return ldexp(a1, ae);
}

/**
 * goMod is Go's math.Mod: the remainder of x/y with the sign of x. JavaScript's % is the same
 * IEEE fmod (exact, sign of the dividend, NaN for ±Inf % y and x % 0, x for x % ±Inf).
 */
export function goMod(x: number, y: number): number {
  return x % y;
}

function xatan(x: number): number {
  const P0 = -8.750608600031904122785e-1;
  const P1 = -1.615753718733365076637e1;
  const P2 = -7.50085579231470466734e1;
  const P3 = -1.22886668449013617341e2;
  const P4 = -6.485021904942025371773e1;
  const Q0 = +2.485846490142306297962e1;
  const Q1 = +1.650270098316988542046e2;
  const Q2 = +4.328810604912902668951e2;
  const Q3 = +4.853903996359136964868e2;
  const Q4 = +1.945506571482613964425e2;
  let z = x * x;
  z = (z * ((((P0 * z + P1) * z + P2) * z + P3) * z + P4)) / (((((z + Q0) * z + Q1) * z + Q2) * z + Q3) * z + Q4);
  return x * z + x;
}

function satan(x: number): number {
  const Morebits = 6.12323399573676588613e-17;
  const Tan3pio8 = 2.4142135623730950488;
  if (x <= 0.66) return xatan(x);
  if (x > Tan3pio8) return Math.PI / 2 - xatan(1 / x) + Morebits;
  return Math.PI / 4 + xatan((x - 1) / (x + 1)) + 0.5 * Morebits;
}

function atan(x: number): number {
  if (x === 0) return x;
  return x > 0 ? satan(x) : -satan(-x);
}

/** THREE_PI_4 is Go's constant 3*Pi/4, folded exactly and rounded once. */
const THREE_PI_4 = 2.356194490192345;

function copysign(mag: number, sign: number): number {
  return sign < 0 || Object.is(sign, -0) ? -Math.abs(mag) : Math.abs(mag);
}

/** goAtan2 is Go's math.Atan2(y, x). */
export function goAtan2(y: number, x: number): number {
  if (y !== y || x !== x) return NaN;
  if (y === 0) return x >= 0 && !Object.is(x, -0) ? copysign(0, y) : copysign(Math.PI, y);
  if (x === 0) return copysign(Math.PI / 2, y);
  if (x === Infinity || x === -Infinity) {
    const yInf = y === Infinity || y === -Infinity;
    if (x === Infinity) return yInf ? copysign(Math.PI / 4, y) : copysign(0, y);
    return yInf ? copysign(THREE_PI_4, y) : copysign(Math.PI, y);
  }
  if (y === Infinity || y === -Infinity) return copysign(Math.PI / 2, y);
  const q = atan(y / x);
  if (x < 0) return q <= 0 ? q + Math.PI : q - Math.PI;
  return q;
}
