import { type Expr, inspect } from '../../promql/ast.js';
import { parseExpr } from '../../promql/parse.js';
import { formatDuration } from '../../util/duration.js';
import { substitute, type Substitutions } from './variables.js';

/**
 * The query checks, on a target's expression after variable substitution, with vigil's PromQL
 * parser (which type-checks as Prometheus's does, so `sum(foo[5m])` and
 * `histogram_quantile(0.9, rate(x_bucket))` fail here, not only in Grafana).
 */

/**
 * RATE_INTERVAL_MARK stands for `$__rate_interval` while checking: a duration no one writes by
 * hand, so a rate whose range parses to it used the variable, and any other range did not.
 */
const RATE_INTERVAL_MARK_MS = 7_777_777;
const RATE_INTERVAL_MARK = `${RATE_INTERVAL_MARK_MS}ms`;

const RATE_FUNCS = new Set(['rate', 'irate', 'increase']);

/**
 * COUNTER_FUNCS may take a counter's raw value: the rates, and functions that read only when or
 * whether samples exist, or when the counter reset.
 */
const COUNTER_FUNCS = new Set(['rate', 'irate', 'increase', 'resets', 'changes', 'absent', 'absent_over_time', 'present_over_time', 'count_over_time', 'timestamp']);

/**
 * isCounter: a `_total` series is a counter (OpenMetrics); so are a raw histogram's `_bucket`,
 * `_count` and `_sum`, unless the name has a colon, the mark of a recording rule's output
 * (`ai:request_latency_seconds_bucket:rate5m` is already a rate).
 */
function isCounter(name: string): boolean {
  if (name.endsWith('_total')) return true;
  return !name.includes(':') && /_(bucket|count|sum)$/.test(name);
}

/** QueryProblem is one thing wrong with a query: a dashboard-linter rule and what. */
export interface QueryProblem {
  readonly rule: 'target-promql-rule' | 'target-rate-interval-rule' | 'target-counter-agg-rule';
  readonly message: string;
}

/**
 * checkQuery parses and type-checks `expr` with its variables substituted (`$__rate_interval`
 * marked) and checks that rates use `$__rate_interval` and counters are rated.
 */
export function checkQuery(expr: string, values: Substitutions): QueryProblem[] {
  const marked = new Map(values);
  marked.set('__rate_interval', RATE_INTERVAL_MARK);
  const text = substitute(expr, marked);
  let ast: Expr;
  try {
    ast = parseExpr(text);
  } catch (err) {
    return [{ rule: 'target-promql-rule', message: `invalid PromQL: ${(err as Error).message}` }];
  }
  const problems: QueryProblem[] = [];
  inspect(ast, (node, path) => {
    if (node.kind === 'Call' && RATE_FUNCS.has(node.func)) {
      const arg = node.args[0];
      const rangeMs = arg?.kind === 'MatrixSelector' || arg?.kind === 'SubqueryExpr' ? arg.rangeMs : undefined;
      if (rangeMs !== undefined && rangeMs !== RATE_INTERVAL_MARK_MS) {
        problems.push({ rule: 'target-rate-interval-rule', message: `${node.func}() over [${formatDuration(rangeMs)}] should use [$__rate_interval], which is never shorter than four scrape intervals` });
      }
    }
    if (node.kind === 'VectorSelector' && isCounter(node.name) && !path.some((a) => a.kind === 'Call' && COUNTER_FUNCS.has(a.func))) {
      problems.push({ rule: 'target-counter-agg-rule', message: `counter ${node.name} is used without rate(), irate() or increase(): its raw value only counts up since the process started` });
    }
  });
  return problems;
}

/**
 * checkVariableQuery checks a query variable's `label_values(...)`, `query_result(...)` or plain
 * series query, as dashboard-linter's template-label-promql-rule does.
 */
export function checkVariableQuery(query: string, values: Substitutions): string | undefined {
  const text = substitute(query.trim(), values);
  let expr = text;
  const lv = /^label_values\((.*)\)$/s.exec(text);
  if (lv !== null) {
    const args = lv[1]!;
    const comma = args.lastIndexOf(',');
    const label = (comma < 0 ? args : args.slice(comma + 1)).trim();
    if (!/^[a-zA-Z_]\w*$/.test(label)) return `label_values: ${JSON.stringify(label)} is not a label name`;
    if (comma < 0) return undefined;
    expr = args.slice(0, comma);
  } else {
    // metrics(regex) takes a regex of names, not PromQL.
    if (/^metrics\(/.test(text)) return undefined;
    const qr = /^(?:query_result|label_names)\((.*)\)$/s.exec(text);
    if (qr !== null) expr = qr[1]!;
  }
  if (expr.trim() === '') return undefined;
  try {
    parseExpr(expr);
    return undefined;
  } catch (err) {
    return `invalid PromQL: ${(err as Error).message}`;
  }
}
