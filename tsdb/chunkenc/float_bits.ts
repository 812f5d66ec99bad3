/**
 * Float bits: the one place that turns a float64 into its two 32-bit halves and back. Values go
 * through a Float64Array so a NaN's payload (the staleness marker) is kept bit for bit; arithmetic
 * on the value would canonicalise it.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
f64[0] = 1; // 0x3ff00000_00000000: tells which half of the view holds the high word.
const HI = u32[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

/** floatHi returns the high 32 bits (sign, exponent, top of mantissa) of v. */
export function floatHi(v: number): number {
  f64[0] = v;
  return u32[HI]!;
}

/** floatLo returns the low 32 bits of the last value given to floatHi (call floatHi first). */
export function floatLoOfLast(): number {
  return u32[LO]!;
}

/** floatLo returns the low 32 bits of v. */
export function floatLo(v: number): number {
  f64[0] = v;
  return u32[LO]!;
}

/** floatFromBits builds the float64 whose bit pattern is hi:lo (unsigned 32-bit halves). */
export function floatFromBits(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[LO] = lo;
  return f64[0]!;
}

/** sameFloatBits says whether a and b have the same bit pattern (NaN payloads included). */
export function sameFloatBits(a: number, b: number): boolean {
  if (a === b) return a !== 0 || 1 / a === 1 / b; // +0 and -0 differ in bits
  if (a === a || b === b) return false; // exactly one is NaN, or different numbers
  f64[0] = a;
  const ah = u32[HI];
  const al = u32[LO];
  f64[0] = b;
  return ah === u32[HI] && al === u32[LO];
}
