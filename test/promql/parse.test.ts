import { describe, expect, it } from 'vitest';
import type { AggregateExpr, BinaryExpr, Call, Expr, MatrixSelector, SubqueryExpr, VectorSelector } from '../../promql/ast.js';
import { typeOf } from '../../promql/ast.js';
import { ParseError, PromQLError } from '../../promql/errors.js';
import { parseExpr, parseMetricSelector, parseNumberLiteral } from '../../promql/parse.js';
import { unquoteString } from '../../promql/strings.js';

function errorOf(q: string): string {
  try {
    parseExpr(q);
  } catch (err) {
    if (err instanceof PromQLError) return `${err.type}: ${err.message}`;
    throw err;
  }
  throw new Error(`expected ${q} to fail`);
}

describe('parseExpr', () => {
  it('builds selectors with matchers, offset and @', () => {
    const e = parseExpr('http_requests_total{code=~"5..", job!="x"} offset 5m @ 1700000000') as VectorSelector;
    expect(e.kind).toBe('VectorSelector');
    expect(e.matchers.map(String)).toEqual(['__name__="http_requests_total"', 'code=~"5.."', 'job!="x"']);
    expect(e.offsetMs).toBe(300_000);
    expect(e.at).toEqual({ at: 1_700_000_000_000 });
    expect((parseExpr('foo @ end()') as VectorSelector).at).toEqual({ atStartEnd: 'end' });
    expect((parseExpr('foo offset -1h') as VectorSelector).offsetMs).toBe(-3_600_000);
  });

  it('builds range selectors and subqueries', () => {
    const m = parseExpr('rate(foo[5m] offset 1m)') as Call;
    const arg = m.args[0] as MatrixSelector;
    expect(arg.rangeMs).toBe(300_000);
    expect(arg.vectorSelector.offsetMs).toBe(60_000);
    const s = parseExpr('max_over_time(rate(foo[1m])[1h:5m] offset 10m)') as Call;
    const sq = s.args[0] as SubqueryExpr;
    expect([sq.rangeMs, sq.stepMs, sq.offsetMs]).toEqual([3_600_000, 300_000, 600_000]);
    expect((parseExpr('foo[5m:]') as SubqueryExpr).stepMs).toBe(0);
  });

  it('builds aggregations with grouping before or after, and parameters', () => {
    const a = parseExpr('sum without (instance) (rate(x[5m]))') as AggregateExpr;
    expect([a.op, a.without, a.grouping]).toEqual(['sum', true, ['instance']]);
    const b = parseExpr('topk(3, x) by (job)') as AggregateExpr;
    expect([b.op, b.without, b.grouping, (b.param as { value: number }).value]).toEqual(['topk', false, ['job'], 3]);
    expect((parseExpr('count_values("v", x)') as AggregateExpr).param).toMatchObject({ kind: 'StringLiteral', value: 'v' });
  });

  it('builds binary expressions with matching, bool and precedence', () => {
    const e = parseExpr('a + on(job) group_left(team) b * 2') as BinaryExpr;
    expect(e.op).toBe('+');
    expect(e.matching).toEqual({ card: 'many-to-one', on: true, matchingLabels: ['job'], include: ['team'] });
    expect((e.rhs as BinaryExpr).op).toBe('*');
    const c = parseExpr('a > bool 1') as BinaryExpr;
    expect(c.returnBool).toBe(true);
    expect(typeOf(c)).toBe('vector');
    expect((parseExpr('a and ignoring(x) b') as BinaryExpr).matching).toEqual({ card: 'many-to-many', on: false, matchingLabels: ['x'], include: [] });
    // ^ is right-associative.
    const p = parseExpr('2 ^ 3 ^ 2') as BinaryExpr;
    expect((p.rhs as BinaryExpr).op).toBe('^');
  });

  it('reads numbers, durations as seconds, strings with Go escapes', () => {
    expect(parseExpr('-1.5e3')).toMatchObject({ kind: 'NumberLiteral', value: -1500 });
    expect(parseExpr('0x1F')).toMatchObject({ value: 31 });
    expect((parseExpr('Inf') as { value: number }).value).toBe(Infinity);
    expect(Number.isNaN((parseExpr('NaN') as { value: number }).value)).toBe(true);
    expect(parseExpr('5m')).toMatchObject({ value: 300 });
    expect(parseExpr('"a\\tb\\u00e9"')).toMatchObject({ kind: 'StringLiteral', value: 'a\tbé' });
    expect(parseExpr('`raw\\n`')).toMatchObject({ value: 'raw\\n' });
    expect(parseNumberLiteral('-5m')).toBe(-300);
    expect(unquoteString("'it\\'s'")).toBe("it's");
    expect(unquoteString('"\\101"')).toBe('A');
  });

  it('types function calls and checks their arguments', () => {
    expect(typeOf(parseExpr('time()'))).toBe('scalar');
    expect(typeOf(parseExpr('rate(x[1m])'))).toBe('vector');
    expect(typeOf(parseExpr('x[1m]'))).toBe('matrix');
    expect((parseExpr('round(x, 5)') as Call).args).toHaveLength(2);
  });

  it('rejects type errors with Prometheus messages and positions', () => {
    expect(errorOf('rate(foo)')).toBe('bad_data: 1:6: parse error: expected type range vector in call to function "rate", got instant vector');
    expect(errorOf('sum(foo[5m])')).toBe('bad_data: 1:5: parse error: expected type instant vector in aggregation expression, got range vector');
    expect(errorOf('rate(foo[5m], 1)')).toBe('bad_data: 1:1: parse error: expected 1 argument(s) in call to "rate", got 2');
    expect(errorOf('1 > 2')).toBe('bad_data: 1:1: parse error: comparisons between scalars must use BOOL modifier');
    expect(errorOf('foo and 1')).toBe('bad_data: 1:1: parse error: set operator "and" not allowed in binary scalar expression');
    expect(errorOf('foo + bool bar')).toBe('bad_data: 1:1: parse error: bool modifier can only be used on comparison operators');
    expect(errorOf('{}')).toMatch(/^bad_data: 1:1: parse error: /);
    expect(errorOf('{a=""}')).toBe('bad_data: 1:1: parse error: vector selector must contain at least one non-empty matcher');
    expect(errorOf('foo{__name__="bar"}')).toBe('bad_data: 1:1: parse error: metric name must not be set twice: "foo" or "bar"');
    expect(errorOf('unknown_fn(x)')).toBe('bad_data: 1:1: parse error: unknown function with name "unknown_fn"');
    expect(errorOf('topk(x)')).toBe('bad_data: 1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1');
    expect(errorOf('(1 + 2)[5m:]')).toBe('bad_data: 1:1: parse error: subquery is only allowed on instant vector, got scalar instead');
    expect(errorOf('sum(x) offset 5m')).toBe('bad_data: 1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery');
    expect(errorOf('a + on(x) group_left(x) b')).toBe('bad_data: 1:1: parse error: label "x" must not occur in ON and GROUP clause at once');
    expect(errorOf('foo{a=~"("}')).toMatch(/^bad_data: 1:8: parse error: error parsing regexp: /);
    expect(errorOf('x +')).toMatch(/^bad_data: 1:\d+: parse error: unexpected end of input/);
    expect(errorOf('')).toBe('bad_data: 1:1: parse error: no expression found in input');
  });

  it('points at the fault on later lines', () => {
    expect(errorOf('sum(\n  rate(foo)\n)')).toBe('bad_data: 2:8: parse error: expected type range vector in call to function "rate", got instant vector');
  });

  it('says which experimental syntax vigil does not run', () => {
    expect(errorOf('foo[5m+1m]')).toMatch(/^unsupported: duration arithmetic is experimental/);
    expect(errorOf('foo[1m] offset (5m+1m)')).toMatch(/^unsupported: duration arithmetic is experimental/);
  });
});

describe('parseMetricSelector', () => {
  it('returns matchers for a plain selector and refuses anything else', () => {
    expect(parseMetricSelector('up{job="api"}').map(String)).toEqual(['__name__="up"', 'job="api"']);
    expect(() => parseMetricSelector('rate(up[5m])')).toThrow(ParseError);
  });
});

describe('positions', () => {
  it('cover the whole node', () => {
    const q = 'sum(rate(x[5m]))';
    const e: Expr = parseExpr(q);
    expect(q.slice(e.pos.start, e.pos.end)).toBe(q);
  });
});
