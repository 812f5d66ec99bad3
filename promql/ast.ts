import type { Matcher } from '../model/matcher.js';
import type { PositionRange } from './errors.js';
import type { ValueType } from './value.js';

/**
 * vigil's typed PromQL syntax tree, built from @prometheus-io/lezer-promql's concrete tree by
 * parse.ts. Every node keeps its [start, end) position in the query text, so errors point at it.
 * Durations and timestamps are integer milliseconds.
 */
export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | Call
  | AggregateExpr
  | BinaryExpr
  | UnaryExpr
  | ParenExpr
  | StepInvariantExpr;

interface Base {
  readonly pos: PositionRange;
}

export interface NumberLiteral extends Base {
  readonly kind: 'NumberLiteral';
  readonly value: number;
}

export interface StringLiteral extends Base {
  readonly kind: 'StringLiteral';
  readonly value: string;
}

/** AtModifier is `@ <time>` (ms) or `@ start()` / `@ end()`, resolved per query. */
export type AtModifier = { readonly at: number } | { readonly atStartEnd: 'start' | 'end' };

export interface VectorSelector extends Base {
  readonly kind: 'VectorSelector';
  /** name is the metric name written before the braces, or "". */
  readonly name: string;
  readonly matchers: readonly Matcher[];
  /** offsetMs is the `offset` as written (positive looks back). */
  offsetMs: number;
  at: AtModifier | undefined;
}

export interface MatrixSelector extends Base {
  readonly kind: 'MatrixSelector';
  readonly vectorSelector: VectorSelector;
  readonly rangeMs: number;
}

export interface SubqueryExpr extends Base {
  readonly kind: 'SubqueryExpr';
  expr: Expr;
  readonly rangeMs: number;
  /** stepMs is the resolution, 0 when omitted (the engine's default applies). */
  readonly stepMs: number;
  offsetMs: number;
  at: AtModifier | undefined;
}

export interface Call extends Base {
  readonly kind: 'Call';
  readonly func: string;
  readonly args: Expr[];
  readonly returnType: ValueType;
}

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'count'
  | 'min'
  | 'max'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'quantile'
  | 'count_values'
  | 'limitk'
  | 'limit_ratio';

export interface AggregateExpr extends Base {
  readonly kind: 'AggregateExpr';
  readonly op: AggregateOp;
  expr: Expr;
  param: Expr | undefined;
  readonly grouping: readonly string[];
  readonly without: boolean;
}

export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | 'atan2'
  | '=='
  | '!='
  | '>'
  | '<'
  | '>='
  | '<='
  | 'and'
  | 'or'
  | 'unless';

/** VectorMatching is how two instant vectors' samples are paired (Prometheus's parser.VectorMatching). */
export interface VectorMatching {
  readonly card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  /** on: matchingLabels are the only labels compared; otherwise they are the ignored ones. */
  readonly on: boolean;
  readonly matchingLabels: readonly string[];
  /** include are group_left/group_right's labels copied from the "one" side. */
  readonly include: readonly string[];
}

export interface BinaryExpr extends Base {
  readonly kind: 'BinaryExpr';
  readonly op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  /** matching is set when both sides are instant vectors. */
  readonly matching: VectorMatching | undefined;
  readonly returnBool: boolean;
}

export interface UnaryExpr extends Base {
  readonly kind: 'UnaryExpr';
  readonly op: '-' | '+';
  expr: Expr;
}

export interface ParenExpr extends Base {
  readonly kind: 'ParenExpr';
  expr: Expr;
}

/** StepInvariantExpr wraps a subtree whose value is the same at every step (it uses @): evaluated once. */
export interface StepInvariantExpr extends Base {
  readonly kind: 'StepInvariantExpr';
  expr: Expr;
}

/** typeOf is an expression's static type, as PromQL's type checker sees it. */
export function typeOf(e: Expr): ValueType {
  switch (e.kind) {
    case 'NumberLiteral':
      return 'scalar';
    case 'StringLiteral':
      return 'string';
    case 'VectorSelector':
      return 'vector';
    case 'MatrixSelector':
    case 'SubqueryExpr':
      return 'matrix';
    case 'Call':
      return e.returnType;
    case 'AggregateExpr':
      return 'vector';
    case 'BinaryExpr':
      return typeOf(e.lhs) === 'scalar' && typeOf(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'UnaryExpr':
    case 'ParenExpr':
    case 'StepInvariantExpr':
      return typeOf(e.expr);
  }
}

/** children lists an expression's direct sub-expressions, in evaluation order. */
export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'NumberLiteral':
    case 'StringLiteral':
    case 'VectorSelector':
      return [];
    case 'MatrixSelector':
      return [e.vectorSelector];
    case 'SubqueryExpr':
    case 'UnaryExpr':
    case 'ParenExpr':
    case 'StepInvariantExpr':
      return [e.expr];
    case 'Call':
      return e.args;
    case 'AggregateExpr':
      return e.param === undefined ? [e.expr] : [e.param, e.expr];
    case 'BinaryExpr':
      return [e.lhs, e.rhs];
  }
}

/** inspect visits every node depth-first with the path of its ancestors (outermost first). */
export function inspect(e: Expr, visit: (node: Expr, path: readonly Expr[]) => void, path: Expr[] = []): void {
  visit(e, path);
  path.push(e);
  for (const c of children(e)) inspect(c, visit, path);
  path.pop();
}
