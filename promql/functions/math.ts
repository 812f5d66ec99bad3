import type { Vector } from '../value.js';
import type { InstantFunction } from './types.js';
import { scalarArg, vectorArg } from './args.js';

/**
 * The element-wise math functions. Each maps every sample's value and marks the output for
 * (delayed) removal of its metric name, as Prometheus's simpleFloatFunc does.
 */

/** mapValues builds the output vector of an element-wise function. */
export function mapValues(vec: Vector, t: number, f: (v: number) => number): Vector {
  const out: Vector = new Array(vec.length);
  for (let i = 0; i < vec.length; i++) {
    const s = vec[i]!;
    out[i] = { metric: s.metric, t, v: f(s.v), dropName: true };
  }
  return out;
}

function simple(f: (v: number) => number): InstantFunction {
  return (args, ctx) => mapValues(vectorArg(args, 0), ctx.t, f);
}

const sgn = (v: number): number => (v < 0 ? -1 : v > 0 ? 1 : v);

/** MATH_FUNCTIONS are abs … atanh, deg, rad, sgn: one float in, one float out. */
export const MATH_FUNCTIONS: ReadonlyMap<string, InstantFunction> = new Map<string, InstantFunction>([
  ['abs', simple(Math.abs)],
  ['ceil', simple(Math.ceil)],
  ['floor', simple(Math.floor)],
  ['exp', simple(Math.exp)],
  ['sqrt', simple(Math.sqrt)],
  ['ln', simple(Math.log)],
  ['log2', simple(Math.log2)],
  ['log10', simple(Math.log10)],
  ['sin', simple(Math.sin)],
  ['cos', simple(Math.cos)],
  ['tan', simple(Math.tan)],
  ['asin', simple(Math.asin)],
  ['acos', simple(Math.acos)],
  ['atan', simple(Math.atan)],
  ['sinh', simple(Math.sinh)],
  ['cosh', simple(Math.cosh)],
  ['tanh', simple(Math.tanh)],
  ['asinh', simple(Math.asinh)],
  ['acosh', simple(Math.acosh)],
  ['atanh', simple(Math.atanh)],
  ['rad', simple((v) => (v * Math.PI) / 180)],
  ['deg', simple((v) => (v * 180) / Math.PI)],
  ['sgn', simple(sgn)],
]);

/**
 * round rounds to the nearest multiple of `to_nearest` (default 1), ties up. Like Prometheus it
 * multiplies by the inverse, which loses less precision than dividing.
 */
export const round: InstantFunction = (args, ctx) => {
  const toNearest = args.length >= 2 ? scalarArg(args, 1) : 1;
  const inverse = 1 / toNearest;
  return mapValues(vectorArg(args, 0), ctx.t, (v) => Math.floor(v * inverse + 0.5) / inverse);
};

/** clampVector limits values to [min, max]; when max < min the result is empty. NaN bounds give NaN. */
function clampVector(vec: Vector, t: number, min: number, max: number): Vector {
  if (max < min) return [];
  return mapValues(vec, t, (v) => Math.max(min, Math.min(max, v)));
}

export const clamp: InstantFunction = (args, ctx) => clampVector(vectorArg(args, 0), ctx.t, scalarArg(args, 1), scalarArg(args, 2));
export const clampMin: InstantFunction = (args, ctx) => clampVector(vectorArg(args, 0), ctx.t, scalarArg(args, 1), Infinity);
export const clampMax: InstantFunction = (args, ctx) => clampVector(vectorArg(args, 0), ctx.t, -Infinity, scalarArg(args, 1));
