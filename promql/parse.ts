import type { SyntaxNode } from '@lezer/common';
import { parser as lezer } from '@prometheus-io/lezer-promql';
import { isValidLabelName, METRIC_NAME } from '../model/labels.js';
import { Matcher, type MatchType } from '../model/matcher.js';
import { RegexError } from '../model/regex.js';
import { DurationError, parseDuration } from '../util/duration.js';
import {
  type AggregateOp,
  type AtModifier,
  type BinaryOp,
  type Expr,
  type MatrixSelector,
  type SubqueryExpr,
  typeOf,
  type VectorMatching,
  type VectorSelector,
} from './ast.js';
import { locate, ParseError, PromQLError } from './errors.js';
import { FUNCTION_SIGNATURES } from './functions/signatures.js';
import { unquoteString } from './strings.js';
import { type ValueType, valueTypeName } from './value.js';

/**
 * parseExpr parses a PromQL expression into vigil's AST and type-checks it as Prometheus's parser
 * does. Syntax and type errors throw ParseError (`1:7: parse error: ...`); syntax Prometheus marks
 * experimental and vigil does not run (duration arithmetic, `anchored`/`smoothed`, `fill()`
 * modifiers, `info()`, histogram trimming operators) throws PromQLError of type 'unsupported'.
 */
export function parseExpr(query: string): Expr {
  return new Converter(query).parse();
}

/**
 * parseMetricSelector parses a series selector such as `up{job="api"}`, as the HTTP API's
 * `match[]` parameters are, and returns its matchers (the metric name as a `__name__` matcher).
 */
export function parseMetricSelector(text: string): Matcher[] {
  const e = parseExpr(text);
  if (e.kind !== 'VectorSelector' || e.offsetMs !== 0 || e.at !== undefined) {
    throw parseErrorAt(text, e.pos.start, `expected type vector selector, got ${e.kind === 'VectorSelector' ? 'selector with modifiers' : valueTypeName(typeOf(e))}`);
  }
  return [...e.matchers];
}

function parseErrorAt(query: string, offset: number, reason: string, end = offset): ParseError {
  const { line, column } = locate(query, offset);
  return new ParseError({ start: offset, end }, line, column, reason);
}

const AGGREGATE_OPS: Record<string, AggregateOp> = {
  Sum: 'sum',
  Avg: 'avg',
  Count: 'count',
  Min: 'min',
  Max: 'max',
  Group: 'group',
  Stddev: 'stddev',
  Stdvar: 'stdvar',
  Topk: 'topk',
  Bottomk: 'bottomk',
  Quantile: 'quantile',
  CountValues: 'count_values',
  LimitK: 'limitk',
  LimitRatio: 'limit_ratio',
};

const PARAMETRIC: ReadonlySet<AggregateOp> = new Set(['topk', 'bottomk', 'quantile', 'count_values', 'limitk', 'limit_ratio']);

const BINARY_OPS: Record<string, BinaryOp> = {
  Add: '+',
  Sub: '-',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Pow: '^',
  Atan2: 'atan2',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};

const COMPARISON: ReadonlySet<BinaryOp> = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS: ReadonlySet<BinaryOp> = new Set(['and', 'or', 'unless']);

const MATCH_OPS: Record<string, MatchType> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

class Converter {
  constructor(private readonly q: string) {}

  parse(): Expr {
    if (this.q.trim() === '') throw parseErrorAt(this.q, 0, 'no expression found in input');
    const tree = lezer.parse(withoutTrailingDots(this.q));
    const top = tree.topNode;
    this.rejectSyntaxErrors(top);
    const first = top.firstChild;
    if (first === null) throw parseErrorAt(this.q, 0, 'no expression found in input');
    return this.expr(first);
  }

  private text(n: SyntaxNode): string {
    return this.q.slice(n.from, n.to);
  }

  private fail(n: { from: number; to: number }, reason: string): never {
    throw parseErrorAt(this.q, n.from, reason, n.to);
  }

  private unsupported(what: string): never {
    throw new PromQLError('unsupported', `${what} is experimental in Prometheus and not supported by vigil`);
  }

  /** rejectSyntaxErrors reports the first error node lezer's recovery produced, Prometheus-style. */
  private rejectSyntaxErrors(top: SyntaxNode): void {
    let first: SyntaxNode | undefined;
    const cursor = top.cursor();
    do {
      if (cursor.type.isError) {
        first = cursor.node;
        break;
      }
    } while (cursor.next());
    if (first === undefined) return;
    // `foo(bar)` with an unknown name reads as a selector followed by junk.
    const prev = first.prevSibling;
    if (this.q[first.from] === '(' && prev?.name === 'Identifier' && prev.parent?.name === 'VectorSelector') {
      const name = this.text(prev);
      if (FUNCTION_SIGNATURES.get(name)?.experimental === true) this.unsupported(`the ${name}() function`);
      this.fail(prev, `unknown function with name ${JSON.stringify(name)}`);
    }
    if (first.from >= this.q.trimEnd().length) this.fail(first, `unexpected end of input${this.inside(first)}`);
    const token = /^(?:[a-zA-Z_:][a-zA-Z0-9_:]*|\d[\w.+-]*|"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|`[^`]*`?|[=!<>]=|=~|!~|\S)/.exec(this.q.slice(first.from))?.[0] ?? '';
    this.fail(first, `unexpected ${describeToken(token)}${this.inside(first)}`);
  }

  private inside(n: SyntaxNode): string {
    for (let p: SyntaxNode | null = n.parent; p !== null; p = p.parent) {
      if (p.name === 'LabelMatchers') return ' inside braces';
      if (p.name === 'GroupingLabels') return ' in grouping opts';
    }
    return '';
  }

  private childrenOf(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c !== null; c = c.nextSibling) out.push(c);
    return out;
  }

  private expr(n: SyntaxNode): Expr {
    const pos = { start: n.from, end: n.to };
    switch (n.name) {
      case 'PromQL':
        return this.expr(n.firstChild!);
      case 'ParenExpr':
        return { kind: 'ParenExpr', pos, expr: this.expr(n.firstChild!) };
      case 'NumberDurationLiteral':
        return { kind: 'NumberLiteral', pos, value: this.number(n) };
      case 'StringLiteral':
        return { kind: 'StringLiteral', pos, value: this.string(n) };
      case 'VectorSelector':
        return this.vectorSelector(n);
      case 'MatrixSelector':
        return this.matrixSelector(n);
      case 'SubqueryExpr':
        return this.subquery(n);
      case 'OffsetExpr':
        return this.offset(n);
      case 'StepInvariantExpr':
        return this.at(n);
      case 'FunctionCall':
        return this.call(n);
      case 'AggregateExpr':
        return this.aggregate(n);
      case 'BinaryExpr':
        return this.binaryChain(n);
      case 'UnaryExpr':
        return this.unary(n);
      case 'AnchoredExpr':
        return this.unsupported('the anchored modifier');
      case 'SmoothedExpr':
        return this.unsupported('the smoothed modifier');
      default:
        return this.fail(n, `unexpected ${JSON.stringify(this.text(n))}`);
    }
  }

  private number(n: SyntaxNode): number {
    const text = this.text(n);
    const v = parseNumberLiteral(text);
    if (v === undefined) this.fail(n, `bad number or duration syntax: ${JSON.stringify(text)}`);
    return v;
  }

  private string(n: SyntaxNode): string {
    const v = unquoteString(this.text(n));
    if (v === undefined) this.fail(n, `invalid syntax in string literal ${this.text(n)}`);
    return v;
  }

  /** duration reads a DurationExpr / OffsetDurationExpr as integer ms; arithmetic is unsupported. */
  private duration(n: SyntaxNode): number {
    if (n.name === 'NumberDurationLiteralInDurationContext' || n.name === 'NumberDurationLiteral') return this.durationLiteral(n);
    const kids = this.childrenOf(n);
    if ((n.name === 'DurationExpr' || n.name === 'OffsetDurationExpr') && kids.length === 1) return this.duration(kids[0]!);
    if (n.name === 'OffsetDurationExpr' && kids.length === 2 && kids[0]!.name === 'UnaryOp') {
      const sign = this.text(kids[0]!) === '-' ? -1 : 1;
      return sign * this.duration(kids[1]!);
    }
    return this.unsupported('duration arithmetic');
  }

  private durationLiteral(n: SyntaxNode): number {
    const text = this.text(n);
    try {
      return parseDuration(text);
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
    }
    // A plain number is seconds, as Prometheus 3 accepts (`foo[300]`).
    const seconds = Number(text);
    if (!Number.isFinite(seconds) || text.trim() === '') this.fail(n, `bad duration syntax: ${JSON.stringify(text)}`);
    return Math.round(seconds * 1000);
  }

  private vectorSelector(n: SyntaxNode): VectorSelector {
    let name = '';
    const matchers: Matcher[] = [];
    let nameNode: SyntaxNode | undefined;
    for (const c of this.childrenOf(n)) {
      if (c.name === 'Identifier') {
        name = this.text(c);
        nameNode = c;
        matchers.push(new Matcher('=', METRIC_NAME, name));
      } else if (c.name === 'LabelMatchers') {
        for (const m of this.childrenOf(c)) {
          if (m.name === 'QuotedLabelName') {
            // `{"metric.name"}`: a quoted metric name (Prometheus 3's UTF-8 names).
            const quoted = this.string(m.firstChild!);
            if (name !== '') this.fail(m, `metric name must not be set twice: ${JSON.stringify(name)} or ${JSON.stringify(quoted)}`);
            name = quoted;
            matchers.push(new Matcher('=', METRIC_NAME, quoted));
          } else if (m.name === 'UnquotedLabelMatcher' || m.name === 'QuotedLabelMatcher') {
            matchers.push(this.labelMatcher(m));
          }
        }
      }
    }
    if (nameNode !== undefined) {
      const dup = matchers.slice(1).find((m) => m.name === METRIC_NAME);
      if (dup !== undefined) this.fail(n, `metric name must not be set twice: ${JSON.stringify(name)} or ${JSON.stringify(dup.value)}`);
    }
    if (matchers.every((m) => m.matchesEmpty)) this.fail(n, 'vector selector must contain at least one non-empty matcher');
    return { kind: 'VectorSelector', pos: { start: n.from, end: n.to }, name, matchers, offsetMs: 0, at: undefined };
  }

  private labelMatcher(m: SyntaxNode): Matcher {
    const kids = this.childrenOf(m);
    const nameNode = kids[0]!;
    const label = nameNode.name === 'QuotedLabelName' ? this.string(nameNode.firstChild!) : this.text(nameNode);
    const opNode = kids.find((k) => k.name === 'MatchOp');
    const valueNode = kids.find((k) => k.name === 'StringLiteral' && k !== nameNode.firstChild);
    if (opNode === undefined || valueNode === undefined) this.fail(m, 'unexpected label matcher');
    const op = MATCH_OPS[opNode.firstChild?.name ?? ''];
    if (op === undefined) this.fail(opNode, `unexpected ${JSON.stringify(this.text(opNode))} in label matching, expected label matching operator`);
    const value = this.string(valueNode);
    try {
      return new Matcher(op, label, value);
    } catch (err) {
      if (err instanceof RegexError) this.fail(valueNode, `error parsing regexp: ${err.reason}`);
      throw err;
    }
  }

  private matrixSelector(n: SyntaxNode): MatrixSelector {
    const [inner, range] = this.childrenOf(n);
    if (inner === undefined || range === undefined) this.fail(n, 'unexpected range selector');
    if (inner.name !== 'VectorSelector') {
      if (inner.name === 'OffsetExpr' || inner.name === 'StepInvariantExpr') this.fail(n, 'no offset modifiers allowed before range');
      this.fail(n, 'ranges only allowed for vector selectors');
    }
    const rangeMs = this.duration(range);
    if (rangeMs <= 0) this.fail(range, `range must be greater than 0, got ${this.text(range)}`);
    return { kind: 'MatrixSelector', pos: { start: n.from, end: n.to }, vectorSelector: this.vectorSelector(inner), rangeMs };
  }

  private subquery(n: SyntaxNode): SubqueryExpr {
    const kids = this.childrenOf(n);
    const inner = this.expr(kids[0]!);
    const durations = kids.slice(1).filter((k) => k.name === 'DurationExpr');
    const rangeMs = this.duration(durations[0]!);
    const stepMs = durations[1] === undefined ? 0 : this.duration(durations[1]);
    if (rangeMs <= 0) this.fail(durations[0]!, `range must be greater than 0, got ${this.text(durations[0]!)}`);
    if (durations[1] !== undefined && stepMs <= 0) this.fail(durations[1], `step must be greater than 0, got ${this.text(durations[1])}`);
    if (typeOf(inner) !== 'vector') this.fail(n, `subquery is only allowed on instant vector, got ${valueTypeName(typeOf(inner))} instead`);
    return { kind: 'SubqueryExpr', pos: { start: n.from, end: n.to }, expr: inner, rangeMs, stepMs, offsetMs: 0, at: undefined };
  }

  /**
   * modifiable finds the selector or subquery an `offset` or `@` applies to. lezer's grammar lets a
   * modifier follow a whole binary or unary expression, where Prometheus binds it to the operand
   * written just before it: `-foo @ 5` is `-(foo @ 5)`, `a + b offset 1m` is `a + (b offset 1m)`.
   */
  private modifiable(e: Expr, n: SyntaxNode, what: string): VectorSelector | SubqueryExpr {
    switch (e.kind) {
      case 'VectorSelector':
      case 'SubqueryExpr':
        return e;
      case 'MatrixSelector':
        return e.vectorSelector;
      case 'BinaryExpr':
        return this.modifiable(e.rhs, n, what);
      case 'UnaryExpr':
        return this.modifiable(e.expr, n, what);
      default:
        return this.fail(n, `${what} modifier must be preceded by an instant vector selector or range vector selector or a subquery`);
    }
  }

  private offset(n: SyntaxNode): Expr {
    const kids = this.childrenOf(n);
    if (isChain(kids[0]!)) return this.binaryChain(n);
    return this.applyOffset(this.expr(kids[0]!), n);
  }

  private applyOffset(e: Expr, n: SyntaxNode): Expr {
    const target = this.modifiable(e, n, 'offset');
    const d = this.childrenOf(n).find((k) => k.name === 'OffsetDurationExpr');
    if (d === undefined) this.fail(n, 'unexpected offset');
    if (target.offsetMs !== 0) this.fail(n, 'offset may not be set multiple times');
    target.offsetMs = this.duration(d);
    return widen(e, n);
  }

  private at(n: SyntaxNode): Expr {
    const kids = this.childrenOf(n);
    if (isChain(kids[0]!)) return this.binaryChain(n);
    return this.applyAt(this.expr(kids[0]!), n);
  }

  private applyAt(e: Expr, n: SyntaxNode): Expr {
    const kids = this.childrenOf(n);
    const target = this.modifiable(e, n, '@');
    if (target.at !== undefined) this.fail(n, '@ <timestamp> may not be set multiple times');
    const arg = kids[kids.length - 1]!;
    let at: AtModifier;
    if (arg.name === 'AtModifierPreprocessors') {
      at = { atStartEnd: arg.firstChild?.name === 'AtEnd' ? 'end' : 'start' };
    } else {
      const seconds = this.number(arg);
      if (!Number.isFinite(seconds)) this.fail(arg, `timestamp out of bounds for @ modifier: ${seconds}`);
      const ms = Math.round(seconds * 1000);
      if (!Number.isSafeInteger(ms)) this.fail(arg, `timestamp out of bounds for @ modifier: ${seconds}`);
      at = { at: ms };
    }
    target.at = at;
    return widen(e, n);
  }

  /**
   * binaryChain rebuilds a chain of binary operators with Prometheus's precedence. lezer's grammar
   * lets `offset` and `@` follow a whole binary expression (`a + b @ 5 * 2` reads as
   * `((a + b) @ 5) * 2`), where Prometheus binds a modifier to the operand just before it and then
   * applies operator precedence (`a + ((b @ 5) * 2)`). The chain is flattened into operands and
   * operators, each modifier is applied to the operand it follows, and the tree is rebuilt by
   * precedence climbing; a chain without modifiers comes out as lezer parsed it.
   */
  private binaryChain(n: SyntaxNode): Expr {
    const items: ChainItem[] = [];
    this.flatten(n, items);
    let i = 0;
    const climb = (minPrec: number): Expr => {
      let lhs = items[i++] as Expr;
      for (;;) {
        const op = items[i] as ChainOp | undefined;
        if (op === undefined) return lhs;
        const prec = PRECEDENCE[op.op];
        if (prec < minPrec) return lhs;
        i++;
        // ^ is right-associative; every other operator left-associative.
        const rhs = climb(op.op === '^' ? prec : prec + 1);
        lhs = this.makeBinary(lhs, op, rhs);
      }
    };
    return climb(0);
  }

  private flatten(n: SyntaxNode, items: ChainItem[]): void {
    if (n.name === 'BinaryExpr') {
      const kids = this.childrenOf(n);
      const opNode = kids.find((k) => BINARY_OPS[k.name] !== undefined);
      if (kids.some((k) => k.name === 'TrimUpper' || k.name === 'TrimLower')) this.unsupported('histogram trimming');
      if (opNode === undefined) this.fail(n, 'unexpected binary operator');
      if (kids.some((k) => k.name === 'FillModifier')) this.unsupported('the fill() modifier');
      this.flatten(kids[0]!, items);
      items.push({
        kind: 'op',
        op: BINARY_OPS[opNode.name]!,
        node: n,
        returnBool: kids.some((k) => k.name === 'BoolModifier'),
        clause: kids.find((k) => k.name === 'MatchingModifierClause'),
      });
      this.flatten(kids[kids.length - 1]!, items);
      return;
    }
    const first = n.firstChild;
    if ((n.name === 'StepInvariantExpr' || n.name === 'OffsetExpr') && first !== null && isChain(first)) {
      this.flatten(first, items);
      const last = items.length - 1;
      const operand = items[last] as Expr;
      items[last] = n.name === 'OffsetExpr' ? this.applyOffset(operand, n) : this.applyAt(operand, n);
      return;
    }
    items.push(this.expr(n));
  }

  private makeBinary(lhs: Expr, item: ChainOp, rhs: Expr): Expr {
    const { op, returnBool, clause, node: n } = item;
    const lt = typeOf(lhs);
    const rt = typeOf(rhs);
    const pos = { start: lhs.pos.start, end: rhs.pos.end };
    const at = { from: pos.start, to: pos.end };
    if (returnBool && !COMPARISON.has(op)) this.fail(at, 'bool modifier can only be used on comparison operators');
    if ((lt !== 'scalar' && lt !== 'vector') || (rt !== 'scalar' && rt !== 'vector')) {
      this.fail(at, 'binary expression must contain only scalar and instant vector types');
    }
    if (COMPARISON.has(op) && lt === 'scalar' && rt === 'scalar' && !returnBool) {
      this.fail(at, 'comparisons between scalars must use BOOL modifier');
    }
    if (SET_OPS.has(op) && (lt === 'scalar' || rt === 'scalar')) {
      this.fail(at, `set operator ${JSON.stringify(op)} not allowed in binary scalar expression`);
    }
    let matching: VectorMatching | undefined;
    if (clause !== undefined && (lt !== 'vector' || rt !== 'vector')) this.fail(at, 'vector matching only allowed between instant vectors');
    if (lt === 'vector' && rt === 'vector') matching = this.matching(clause, op, n);
    return { kind: 'BinaryExpr', pos, op, lhs, rhs, matching, returnBool };
  }

  private call(n: SyntaxNode): Expr {
    const kids = this.childrenOf(n);
    const ident = kids.find((k) => k.name === 'FunctionIdentifier')!;
    const name = this.text(ident);
    const body = kids.find((k) => k.name === 'FunctionCallBody');
    const args = body === undefined ? [] : this.childrenOf(body).map((a) => this.expr(a));
    const sig = FUNCTION_SIGNATURES.get(name);
    if (sig === undefined) this.fail(ident, `unknown function with name ${JSON.stringify(name)}`);
    if (name === 'info') this.unsupported('the info() function');
    const pos = { start: n.from, end: n.to };
    // Prometheus's rule: with variadic n > 0, the last argument type may be left out or repeated
    // up to n times in all; with -1, repeated any number of times.
    if (sig.variadic === 0) {
      if (args.length !== sig.argTypes.length) {
        this.fail(n, `expected ${sig.argTypes.length} argument(s) in call to ${JSON.stringify(name)}, got ${args.length}`);
      }
    } else {
      const min = sig.argTypes.length - 1;
      if (args.length < min) this.fail(n, `expected at least ${min} argument(s) in call to ${JSON.stringify(name)}, got ${args.length}`);
      if (sig.variadic > 0 && args.length > min + sig.variadic) {
        this.fail(n, `expected at most ${min + sig.variadic} argument(s) in call to ${JSON.stringify(name)}, got ${args.length}`);
      }
    }
    args.forEach((a, i) => {
      const want = sig.argTypes[Math.min(i, sig.argTypes.length - 1)]!;
      this.expectType(a, want, `call to function ${JSON.stringify(name)}`);
    });
    return { kind: 'Call', pos, func: name, args, returnType: sig.returnType };
  }

  private expectType(e: Expr, want: ValueType, context: string): void {
    const got = typeOf(e);
    if (got !== want) {
      this.fail({ from: e.pos.start, to: e.pos.end }, `expected type ${valueTypeName(want)} in ${context}, got ${valueTypeName(got)}`);
    }
  }

  private aggregate(n: SyntaxNode): Expr {
    const kids = this.childrenOf(n);
    const opNode = kids.find((k) => k.name === 'AggregateOp')!;
    const op = AGGREGATE_OPS[opNode.firstChild?.name ?? ''];
    if (op === undefined) this.fail(opNode, `unknown aggregation ${JSON.stringify(this.text(opNode))}`);
    const modifier = kids.find((k) => k.name === 'AggregateModifier');
    let without = false;
    let grouping: string[] = [];
    if (modifier !== undefined) {
      without = modifier.firstChild?.name === 'Without';
      grouping = this.groupingLabels(this.childrenOf(modifier).find((k) => k.name === 'GroupingLabels'));
    }
    const body = kids.find((k) => k.name === 'FunctionCallBody');
    const args = body === undefined ? [] : this.childrenOf(body).map((a) => this.expr(a));
    const want = PARAMETRIC.has(op) ? 2 : 1;
    if (args.length !== want) {
      this.fail(n, `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`);
    }
    const expr = args[args.length - 1]!;
    const param = want === 2 ? args[0] : undefined;
    this.expectType(expr, 'vector', 'aggregation expression');
    if (param !== undefined) this.expectType(param, op === 'count_values' ? 'string' : 'scalar', 'aggregation parameter');
    return { kind: 'AggregateExpr', pos: { start: n.from, end: n.to }, op, expr: unwrapParens(expr), param: param === undefined ? undefined : unwrapParens(param), grouping, without };
  }

  private groupingLabels(n: SyntaxNode | undefined): string[] {
    if (n === undefined) return [];
    return this.childrenOf(n).map((l) => {
      const name = l.name === 'QuotedLabelName' ? this.string(l.firstChild!) : this.text(l);
      if (l.name === 'LabelName' && !isValidLabelName(name)) this.fail(l, `invalid label name ${JSON.stringify(name)}`);
      return name;
    });
  }

  private matching(clause: SyntaxNode | undefined, op: BinaryOp, n: SyntaxNode): VectorMatching {
    let on = false;
    let matchingLabels: string[] = [];
    let include: string[] = [];
    let card: VectorMatching['card'] = SET_OPS.has(op) ? 'many-to-many' : 'one-to-one';
    if (clause !== undefined) {
      const kids = this.childrenOf(clause);
      const groups = kids.filter((k) => k.name === 'GroupingLabels');
      on = kids.some((k) => k.name === 'On');
      matchingLabels = this.groupingLabels(groups[0]);
      const left = kids.some((k) => k.name === 'GroupLeft');
      const right = kids.some((k) => k.name === 'GroupRight');
      if (left || right) {
        if (SET_OPS.has(op)) this.fail(n, `no grouping allowed for ${JSON.stringify(op)} operation`);
        card = left ? 'many-to-one' : 'one-to-many';
        include = this.groupingLabels(groups[1]);
        if (on) {
          for (const l of include) {
            if (matchingLabels.includes(l)) this.fail(n, `label ${JSON.stringify(l)} must not occur in ON and GROUP clause at once`);
          }
        }
      }
    }
    return { card, on, matchingLabels, include };
  }

  private unary(n: SyntaxNode): Expr {
    const kids = this.childrenOf(n);
    const op = this.text(kids[0]!) === '-' ? '-' : '+';
    const inner = this.expr(kids[1]!);
    const t = typeOf(inner);
    if (t !== 'scalar' && t !== 'vector') {
      this.fail(n, `unary expression only allowed on expressions of type scalar or instant vector, got ${JSON.stringify(valueTypeName(t))}`);
    }
    // Prometheus folds a sign into a number literal at parse time.
    if (inner.kind === 'NumberLiteral') return { kind: 'NumberLiteral', pos: { start: n.from, end: n.to }, value: op === '-' ? -inner.value : inner.value };
    return { kind: 'UnaryExpr', pos: { start: n.from, end: n.to }, op, expr: inner };
  }
}

interface ChainOp {
  readonly kind: 'op';
  readonly op: BinaryOp;
  readonly node: SyntaxNode;
  readonly returnBool: boolean;
  readonly clause: SyntaxNode | undefined;
}

type ChainItem = Expr | ChainOp;

/** Prometheus's binary operator precedence, loosest first. */
const PRECEDENCE: Record<BinaryOp, number> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '<=': 3,
  '<': 3,
  '>=': 3,
  '>': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '^': 6,
};

/** isChain says whether a node is (or a modifier wraps) a binary expression. */
function isChain(n: SyntaxNode): boolean {
  if (n.name === 'BinaryExpr') return true;
  if (n.name === 'StepInvariantExpr' || n.name === 'OffsetExpr') return n.firstChild !== null && isChain(n.firstChild);
  return false;
}

/** widen makes an expression's position cover its modifiers. */
function widen(e: Expr, n: SyntaxNode): Expr {
  (e as { pos: { start: number; end: number } }).pos = { start: e.pos.start, end: n.to };
  return e;
}

function unwrapParens(e: Expr): Expr {
  while (e.kind === 'ParenExpr') e = e.expr;
  return e;
}

function describeToken(token: string): string {
  if (token === '') return 'end of input';
  if (/^[a-zA-Z_:]/.test(token)) return `identifier ${JSON.stringify(token)}`;
  if (/^\d/.test(token)) return `number ${JSON.stringify(token)}`;
  if (/^["'`]/.test(token)) return `string ${token}`;
  return JSON.stringify(token);
}

/**
 * parseNumberLiteral reads a PromQL number: decimal or hex, `Inf`/`NaN` in any case, with an
 * optional sign, or a duration such as `5m`, which Prometheus 3 reads as seconds.
 */
export function parseNumberLiteral(text: string): number | undefined {
  const t = text.trim().replace(/^([+-])\s+/, '$1');
  const m = /^([+-]?)(inf|nan)$/i.exec(t);
  if (m !== null) return m[2]!.toLowerCase() === 'nan' ? NaN : m[1] === '-' ? -Infinity : Infinity;
  const hex = /^([+-]?)0x([0-9a-f]+)$/i.exec(t);
  if (hex !== null) return (hex[1] === '-' ? -1 : 1) * Number.parseInt(hex[2]!, 16);
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Number(t);
  const sign = t.startsWith('-') ? -1 : 1;
  try {
    return (sign * parseDuration(t.replace(/^[+-]/, ''))) / 1000;
  } catch {
    return undefined;
  }
}

/**
 * withoutTrailingDots rewrites number literals that end in a dot (`2.`, `1./6.`), which Prometheus
 * accepts and lezer's grammar does not, to the same number followed by a space: positions in error
 * messages stay those of the query as written. String literals are left alone.
 */
function withoutTrailingDots(q: string): string {
  if (!/\d\./.test(q)) return q;
  let out = '';
  let quote = '';
  for (let i = 0; i < q.length; i++) {
    const c = q[i]!;
    if (quote !== '') {
      out += c;
      if (c === '\\' && quote !== '`') {
        out += q[i + 1] ?? '';
        i++;
      } else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      quote = c;
      out += c;
      continue;
    }
    if (c === '.' && /\d/.test(q[i - 1] ?? '') && !/[\w.]/.test(q[i + 1] ?? '')) {
      // Only a number's dot: walk back over the digits and make sure no name or number part precedes them.
      let j = i - 1;
      while (j >= 0 && /\d/.test(q[j]!)) j--;
      if (j < 0 || !/[\w.:]/.test(q[j]!)) {
        out += ' ';
        continue;
      }
    }
    out += c;
  }
  return out;
}
