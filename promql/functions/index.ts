/** The PromQL function library: signatures for the parser, implementations for the engine. */
export type { CallContext, FunctionArg, InstantFunction, RangeFunction, RangeFunctionDef } from './types.js';
export type { FunctionSignature } from './signatures.js';
export { FUNCTION_SIGNATURES, isNativeHistogramFunction } from './signatures.js';
export type { RangeFunctionEntry } from './range.js';
export { RANGE_FUNCTIONS } from './range.js';
export type { InstantFunctionDef } from './instant.js';
export { INSTANT_FUNCTIONS } from './instant.js';
export type { AnnotatingCallContext, AnnotationKind, FunctionAnnotation, MonotonicityDetails } from './annotations.js';
export { formatAnnotation, mergeMonotonicity, possibleNonCounterInfo } from './annotations.js';
export { ERR_SAME_LABELSET } from './labels.js';
