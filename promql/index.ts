// The PromQL engine's public surface. The HTTP API has its own surface in api/index.ts, the
// promqltest runner in promqltest/index.ts and the function library in functions/index.ts.
export { Engine } from './engine.js';
export type { EngineOptions, QueryResult } from './engine.js';
export { parseExpr, parseMetricSelector, parseNumberLiteral } from './parse.js';
export { typeOf, children, inspect } from './ast.js';
export type {
  AggregateExpr,
  AggregateOp,
  AtModifier,
  BinaryExpr,
  BinaryOp,
  Call,
  Expr,
  MatrixSelector,
  NumberLiteral,
  ParenExpr,
  StepInvariantExpr,
  StringLiteral,
  SubqueryExpr,
  UnaryExpr,
  VectorMatching,
  VectorSelector,
} from './ast.js';
export { ParseError, PromQLError, locate, ERR_TIMEOUT, ERR_TOO_MANY_SAMPLES } from './errors.js';
export type { PositionRange, PromQLErrorType } from './errors.js';
export { valueTypeName } from './value.js';
export type { Matrix, Sample, Scalar, Series, StringValue, Value, ValueType, Vector } from './value.js';
export { unquoteString } from './strings.js';
