import { children, type Expr, typeOf } from '../../promql/ast.js';
import { ParseError, PromQLError } from '../../promql/errors.js';
import { parseExpr } from '../../promql/parse.js';
import { type ValueType, valueTypeName } from '../../promql/value.js';
import type { Field } from '../../util/yamlreader.js';
import type { DecodeContext } from './kinds.js';

/** CheckExprOptions say what a PromQL expression in a rule file must be. */
export interface CheckExprOptions {
  /** types the expression may have; default instant vector or scalar, as a rule's `expr`. */
  readonly types?: readonly ValueType[];
  /**
   * text is the PromQL to parse when it is not the field's value as written (a Sloth query with
   * `{{.window}}` filled in); mapIndex then maps an index in `text` back to one in the value.
   */
  readonly text?: string;
  readonly mapIndex?: (index: number) => number;
  /** counterWarning warns about counters used without rate() (on for rule expressions). */
  readonly counterWarning?: boolean;
}

/**
 * checkExpr parses and type-checks the PromQL in `field` with vigil's parser. A syntax error is
 * reported as Prometheus's rulefmt words it (`could not parse expression: 1:15: parse error: ...`)
 * at the exact file:line:column of the fault inside the expression; a wrong type (a range vector
 * as a rule's result) with Prometheus's evaluation-time message. Metric names with two colons (the
 * recording-rule convention `level:metric:operations`; exporters such as vLLM use one colon in raw
 * names) are noted through ctx.selects. Returns the tree, or undefined
 * after reporting a problem.
 */
export function checkExpr(field: Field, ctx: DecodeContext, opts: CheckExprOptions = {}): Expr | undefined {
  const text = opts.text ?? field.string();
  if (text === undefined) return undefined;
  // An error at the end of input points just past the last character, not into trailing newlines.
  const last = text.trimEnd().length;
  const at = (index: number): number => {
    const i = Math.min(index, last);
    return ctx.valueOffset(field, opts.mapIndex === undefined ? i : opts.mapIndex(i));
  };
  let expr: Expr;
  try {
    expr = parseExpr(text);
  } catch (err) {
    if (err instanceof ParseError) return field.failAt(at(err.position.start), `could not parse expression: ${err.message}`);
    if (err instanceof PromQLError) return field.fail(`could not parse expression: ${err.message}`);
    throw err;
  }
  const types = opts.types ?? ['vector', 'scalar'];
  const type = typeOf(expr);
  if (!types.includes(type)) {
    const want = types.map(valueTypeName).join(' or ');
    const prefix = types.length === 2 && types.includes('vector') && types.includes('scalar') ? 'rule result is not a vector or scalar: ' : '';
    field.failAt(at(expr.pos.start), `${prefix}expected ${want}, got ${valueTypeName(type)}`);
    return undefined;
  }
  walkSelectors(expr, false, (sel, rated) => {
    const name = selectorName(sel);
    if (name === undefined) return;
    const offset = at(sel.pos.start);
    if (name.split(':').length >= 3) {
      const { line, column } = field.position(offset);
      ctx.selects({ name, file: field.file, line, column, path: field.path });
    }
    if (opts.counterWarning === true && !rated) {
      const suffix = COUNTER_SUFFIXES.find((s) => name.endsWith(s));
      if (suffix !== undefined) {
        ctx.warn(
          field,
          `${JSON.stringify(name)} looks like a counter (its name ends in ${suffix}) but is used without rate(), increase() or irate(); a counter's raw value only grows and resets on restart`,
          offset,
        );
      }
    }
  });
  return expr;
}

const COUNTER_SUFFIXES = ['_total', '_count', '_bucket', '_sum'];

/** Functions through which a counter's raw value is used as intended (or only its presence). */
const COUNTER_SAFE_FUNCTIONS: ReadonlySet<string> = new Set([
  'rate',
  'increase',
  'irate',
  'resets',
  'changes',
  'absent',
  'absent_over_time',
  'present_over_time',
  'count_over_time',
  'timestamp',
]);

type Selector = Extract<Expr, { kind: 'VectorSelector' }>;

function walkSelectors(e: Expr, rated: boolean, visit: (s: Selector, rated: boolean) => void): void {
  if (e.kind === 'VectorSelector') {
    visit(e, rated);
    return;
  }
  let inner = rated;
  if (e.kind === 'Call' && COUNTER_SAFE_FUNCTIONS.has(e.func)) inner = true;
  // count and group look only at which series exist, never at their values.
  if (e.kind === 'AggregateExpr' && (e.op === 'count' || e.op === 'group')) inner = true;
  for (const c of children(e)) walkSelectors(c, inner, visit);
}

/** selectorName is the metric name a selector selects: written before the braces or as `__name__="..."`. */
function selectorName(s: Selector): string | undefined {
  if (s.name !== '') return s.name;
  const m = s.matchers.find((x) => x.name === '__name__' && x.type === '=');
  return m?.value;
}
