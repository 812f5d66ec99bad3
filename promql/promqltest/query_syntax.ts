import { parser } from '@prometheus-io/lezer-promql';
import { METRIC_NAME } from '../../model/labels.js';
import { Matcher, type MatchType } from '../../model/matcher.js';
import { unquoteString as unquoteGoString } from '../strings.js';
import { AT_MODIFIER_UNSAFE } from '../preprocess.js';

/**
 * What the runner needs to know about a query's syntax, read from @prometheus-io/lezer-promql's
 * concrete tree (the runner never depends on the engine's own parser): which series it selects,
 * which experimental constructs it uses, and its `@`-pinned variant for test.go's extra checks.
 */

type Tree = ReturnType<typeof parser.parse>;
type SyntaxNode = Tree['topNode'];

/** Functions Prometheus flags Experimental (promql/parser/functions.go). */
const EXPERIMENTAL_FUNCTIONS = new Set([
  'double_exponential_smoothing',
  'end',
  'first_over_time',
  'histogram_quantiles',
  'info',
  'integral',
  'mad_over_time',
  'range',
  'sort_by_label',
  'sort_by_label_desc',
  'start',
  'step',
  'ts_of_first_over_time',
  'ts_of_last_over_time',
  'ts_of_max_over_time',
  'ts_of_min_over_time',
]);

/**
 * promql.AtModifierUnsafeFunctions (results that depend on the evaluation time itself), plus
 * start() and end(): the query's own bounds change with the evaluation time exactly as time() does.
 * Prometheus 3.14's functions.test evaluates `start()` and `end()` as instant queries and expects
 * their own time, which only holds if its runner makes no @ variants of them.
 */
const AT_MODIFIER_UNSAFE_FUNCTIONS: ReadonlySet<string> = new Set([...AT_MODIFIER_UNSAFE, 'start', 'end']);

const DURATION_NODES = new Set(['DurationExpr', 'OffsetDurationExpr']);
const PLAIN_DURATION = /^[+-]?\s*(?:[0-9]+(?:\.[0-9]+)?|(?:[0-9]+[a-z]+)+)$/;
/** Wrappers through which a selector still owns its modifiers: `x offset 1m @ 5`. */
const MODIFIER_WRAPPERS = new Set(['OffsetExpr', 'StepInvariantExpr', 'AnchoredExpr', 'SmoothedExpr']);

/**
 * lezerReadable rewrites what Prometheus reads and lezer-promql does not, keeping every position:
 * a number literal ending in a dot (`2.`, `1./6.`) loses the dot to a space. String literals are
 * left alone.
 */
export function lezerReadable(query: string): string {
  if (!/[0-9]\./.test(query)) return query;
  const chars = [...query];
  let quote = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (quote !== '') {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      quote = c;
      continue;
    }
    if (c !== '.' || !/[0-9]/.test(chars[i - 1] ?? '') || /[\w.]/.test(chars[i + 1] ?? '')) continue;
    let j = i - 1;
    while (j >= 0 && /[0-9]/.test(chars[j]!)) j--;
    // Digits that end a name (`foo1.`) or follow another dot are not a number literal of their own.
    if (j < 0 || !/[\w.:]/.test(chars[j]!)) chars[i] = ' ';
  }
  return chars.join('');
}

export interface QueryAnalysis {
  /** parsed: lezer-promql read the query without a syntax error. */
  readonly parsed: boolean;
  /** selectors: the matchers of every vector selector (metric name as a `__name__` matcher). */
  readonly selectors: readonly (readonly Matcher[])[];
  /** experimental: the experimental constructs used, e.g. "function mad_over_time()". */
  readonly experimental: readonly string[];
}

function hasError(tree: Tree): boolean {
  let found = false;
  tree.iterate({
    enter(n) {
      if (n.type.isError) found = true;
      return !found;
    },
  });
  return found;
}

function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c !== null; c = c.nextSibling) out.push(c);
  return out;
}

function text(query: string, node: SyntaxNode): string {
  return query.slice(node.from, node.to);
}

/** analyzeQuery reads a query's selectors and experimental constructs. */
export function analyzeQuery(written: string): QueryAnalysis {
  const query = lezerReadable(written);
  const tree = parser.parse(query);
  const top = tree.topNode;
  const parsed = !hasError(tree);
  const selectors: Matcher[][] = [];
  const experimental = new Set<string>();
  const visit = (node: SyntaxNode): void => {
    switch (node.name) {
      case 'VectorSelector':
        selectors.push(selectorMatchers(query, node));
        break;
      case 'FunctionCall': {
        const id = node.getChild('FunctionIdentifier');
        const name = id === null ? '' : text(query, id);
        if (EXPERIMENTAL_FUNCTIONS.has(name)) experimental.add(`function ${name}()`);
        break;
      }
      case 'AggregateOp': {
        const op = text(query, node);
        if (op === 'limitk' || op === 'limit_ratio') experimental.add(`aggregation ${op}`);
        break;
      }
      case 'AnchoredExpr':
        experimental.add('anchored modifier');
        break;
      case 'SmoothedExpr':
        experimental.add('smoothed modifier');
        break;
      case 'FillModifier':
        experimental.add('fill() binary-operator modifier');
        break;
      default:
        if (DURATION_NODES.has(node.name) && !DURATION_NODES.has(node.parent?.name ?? '')) {
          if (!PLAIN_DURATION.test(text(query, node).trim())) experimental.add('duration expression');
          return;
        }
    }
    for (const c of childrenOf(node)) visit(c);
  };
  visit(top);
  if (!parsed) {
    // lezer stops understanding at the first unknown construct; spot experimental names by text.
    for (const m of query.matchAll(/(@\s*)?\b([a-z_][a-z0-9_]*)\s*\(/gi)) {
      const name = m[2]!;
      if (m[1] === undefined && EXPERIMENTAL_FUNCTIONS.has(name)) experimental.add(`function ${name}()`);
      if (name === 'limitk' || name === 'limit_ratio') experimental.add(`aggregation ${name}`);
      if (name === 'fill' || name === 'fill_left' || name === 'fill_right') experimental.add('fill() binary-operator modifier');
    }
    if (/\]\s*(anchored|smoothed)\b/.test(query)) experimental.add('anchored/smoothed modifier');
  }
  return { parsed, selectors, experimental: [...experimental] };
}

const MATCH_OPS: Record<string, MatchType> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

/** selectorMatchers turns a VectorSelector node into matchers; an unreadable regex matches all. */
function selectorMatchers(query: string, node: SyntaxNode): Matcher[] {
  const out: Matcher[] = [];
  const add = (type: MatchType, name: string, value: string) => {
    try {
      out.push(new Matcher(type, name, value));
    } catch {
      // A regex JavaScript cannot run: leave it out, so the selector is read more broadly.
    }
  };
  const ident = node.getChild('Identifier');
  if (ident !== null) add('=', METRIC_NAME, text(query, ident));
  const list = node.getChild('LabelMatchers');
  if (list === null) return out;
  for (const m of childrenOf(list)) {
    if (m.name === 'QuotedLabelName') {
      const value = unquoteGoString(text(query, m));
      if (value !== undefined) add('=', METRIC_NAME, value);
      continue;
    }
    if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') continue;
    const nameNode = m.firstChild;
    const opNode = m.getChild('MatchOp')?.firstChild;
    const valueNode = m.lastChild;
    if (nameNode === null || opNode === null || opNode === undefined || valueNode === null) continue;
    const name = nameNode.name === 'LabelName' ? text(query, nameNode) : unquoteGoString(text(query, nameNode));
    const value = unquoteGoString(text(query, valueNode));
    const type = MATCH_OPS[opNode.name];
    if (name !== undefined && value !== undefined && type !== undefined) add(type, name, value);
  }
  return out;
}

/** AtVariant is test.go's `@`-pinned form of a query, or why there is none. */
export type AtVariant = { readonly query: string } | { readonly skip: 'at-unsafe' | 'unparsable' };

/** formatAt renders an `@` timestamp as Prometheus's printer does: seconds with 3 decimals. */
export function formatAt(tsMs: number): string {
  return (tsMs / 1000).toFixed(3);
}

/**
 * atModifierVariant rewrites a query as test.go's atModifierTestCases does: every vector selector,
 * range selector and subquery without a numeric `@` gets `@ <ts>` (an `@ start()` / `@ end()`
 * becomes `@ <ts>` too); selectors inside subqueries are left alone, since the subquery is pinned.
 * A call to a function whose result depends on the evaluation time (time(), timestamp(),
 * predict_linear(), hour(), ...) outside subqueries means there is no variant ('at-unsafe').
 * The rewrite inserts text and keeps the rest of the query as written (but for lezerReadable).
 */
export function atModifierVariant(written: string, tsMs: number): AtVariant {
  const query = lezerReadable(written);
  const tree = parser.parse(query);
  if (hasError(tree)) return { skip: 'unparsable' };
  const top = tree.topNode;
  const at = formatAt(tsMs);
  const edits: { from: number; to: number; text: string }[] = [];
  let unsafe = false;
  const pin = (node: SyntaxNode) => {
    // Walk up through the modifier wrappers this node heads, looking for an existing `@`.
    let current = node;
    for (let p = node.parent; p !== null && MODIFIER_WRAPPERS.has(p.name) && p.firstChild?.from === current.from && p.firstChild.to === current.to; p = p.parent) {
      if (p.name === 'StepInvariantExpr') {
        const pre = p.getChild('AtModifierPreprocessors');
        if (pre !== null) edits.push({ from: pre.from, to: p.to, text: at });
        return;
      }
      current = p;
    }
    edits.push({ from: node.to, to: node.to, text: ` @ ${at}` });
  };
  const visit = (node: SyntaxNode): void => {
    switch (node.name) {
      case 'SubqueryExpr':
        pin(node);
        return; // test.go leaves everything inside a pinned subquery alone
      case 'MatrixSelector':
        pin(node);
        return;
      case 'VectorSelector':
        pin(node);
        return;
      case 'FunctionCall': {
        const id = node.getChild('FunctionIdentifier');
        if (id !== null && AT_MODIFIER_UNSAFE_FUNCTIONS.has(text(query, id))) unsafe = true;
        break;
      }
    }
    for (const c of childrenOf(node)) visit(c);
  };
  visit(top);
  if (unsafe) return { skip: 'at-unsafe' };
  edits.sort((a, b) => b.from - a.from);
  let out = query;
  for (const e of edits) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return { query: out };
}

/** QUERY_CONTEXT_FUNCS is test.go's reQueryContextFuncs: such queries skip the range-mode check. */
const QUERY_CONTEXT_FUNCS = /(start|end|range|step)\(\)/;

/** usesQueryContextFunctions says whether a query calls start(), end(), range() or step(). */
export function usesQueryContextFunctions(query: string): boolean {
  return QUERY_CONTEXT_FUNCS.test(query);
}
