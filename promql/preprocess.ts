import type { Expr } from './ast.js';

/**
 * Functions whose value depends on the evaluation time even with fixed arguments: a call to one
 * is never step-invariant (Prometheus's AtModifierUnsafeFunctions).
 */
export const AT_MODIFIER_UNSAFE: ReadonlySet<string> = new Set([
  'days_in_month',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'hour',
  'minute',
  'month',
  'year',
  'predict_linear',
  'time',
  'timestamp',
]);

/**
 * preprocess resolves `@ start()` / `@ end()` to the query's bounds (ms) and wraps the largest
 * step-invariant subtrees (those fixed by `@`) in StepInvariantExpr, so they are evaluated once
 * instead of at every step, as Prometheus's PreprocessExpr does. It mutates and returns `expr`.
 */
export function preprocess(expr: Expr, start: number, end: number): Expr {
  const [, wrap] = helper(expr, start, end);
  return wrap ? invariant(expr) : expr;
}

function invariant(e: Expr): Expr {
  return { kind: 'StepInvariantExpr', pos: e.pos, expr: e };
}

/** helper returns [isStepInvariant, shouldWrap] for `e`, wrapping children where worthwhile. */
function helper(e: Expr, start: number, end: number): [boolean, boolean] {
  switch (e.kind) {
    case 'VectorSelector': {
      if (e.at !== undefined && 'atStartEnd' in e.at) e.at = { at: e.at.atStartEnd === 'start' ? start : end };
      return [e.at !== undefined, e.at !== undefined];
    }
    case 'AggregateExpr': {
      e.expr = unwrap(e.expr);
      if (e.param !== undefined) e.param = unwrap(e.param);
      return helper(e.expr, start, end);
    }
    case 'BinaryExpr': {
      const [li, lw] = helper(e.lhs, start, end);
      const [ri, rw] = helper(e.rhs, start, end);
      if (li && ri) return [true, true];
      if (lw) e.lhs = invariant(e.lhs);
      if (rw) e.rhs = invariant(e.rhs);
      return [false, false];
    }
    case 'Call': {
      let invariantCall = !AT_MODIFIER_UNSAFE.has(e.func);
      const wraps: boolean[] = [];
      for (let i = 0; i < e.args.length; i++) {
        e.args[i] = unwrap(e.args[i]!);
        const [ai, aw] = helper(e.args[i]!, start, end);
        invariantCall &&= ai;
        wraps.push(aw);
      }
      if (invariantCall) return [true, true];
      wraps.forEach((w, i) => {
        if (w) e.args[i] = invariant(e.args[i]!);
      });
      return [false, false];
    }
    case 'MatrixSelector': {
      const [inv] = helper(e.vectorSelector, start, end);
      return [inv, false];
    }
    case 'SubqueryExpr': {
      const [inv] = helper(e.expr, start, end);
      if (inv) e.expr = invariant(e.expr);
      if (e.at !== undefined && 'atStartEnd' in e.at) e.at = { at: e.at.atStartEnd === 'start' ? start : end };
      return [e.at !== undefined, e.at !== undefined];
    }
    case 'ParenExpr':
    case 'UnaryExpr':
      return helper(e.expr, start, end);
    case 'StringLiteral':
    case 'NumberLiteral':
      return [true, false];
    case 'StepInvariantExpr':
      return [true, false];
  }
}

function unwrap(e: Expr): Expr {
  while (e.kind === 'ParenExpr') e = e.expr;
  return e;
}
