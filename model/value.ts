/**
 * Staleness markers are a NaN with a fixed payload (0x7ff0000000000002), as in Prometheus. V8 keeps
 * a NaN's payload through plain variables, object fields, Maps and typed arrays, but canonicalises
 * it in arithmetic and in packed double arrays: carry markers only through those safe paths, and
 * test them with isStaleNaN, never with `===`.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

export const STALE_NAN_HI = 0x7ff00000;
export const STALE_NAN_LO = 0x00000002;

u32[1] = STALE_NAN_HI;
u32[0] = STALE_NAN_LO;
/** StaleNaN marks the end of a series. */
export const StaleNaN: number = f64[0]!;

/** isStaleNaN tells a staleness marker from any other value, including an ordinary NaN. */
export function isStaleNaN(v: number): boolean {
  if (v === v) return false; // not NaN at all
  f64[0] = v;
  return u32[1] === STALE_NAN_HI && u32[0] === STALE_NAN_LO;
}
