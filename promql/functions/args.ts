import type { Vector } from '../value.js';
import type { FunctionArg } from './types.js';

/**
 * Typed access to an instant function's evaluated arguments. The parser has type-checked the call,
 * so a mismatch is an engine bug and is reported as such rather than silently coerced.
 */

export function vectorArg(args: readonly FunctionArg[], i: number): Vector {
  const a = args[i];
  if (!Array.isArray(a)) throw new TypeError(`argument ${i} is not an instant vector`);
  return a;
}

export function scalarArg(args: readonly FunctionArg[], i: number): number {
  const a = args[i];
  if (typeof a !== 'number') throw new TypeError(`argument ${i} is not a scalar`);
  return a;
}

export function stringArg(args: readonly FunctionArg[], i: number): string {
  const a = args[i];
  if (typeof a !== 'string') throw new TypeError(`argument ${i} is not a string`);
  return a;
}
