import { describe, expect, it } from 'vitest';
import { Labels } from '../../../model/labels.js';
import { analyzeQuery, atModifierVariant, formatAt, lezerReadable, usesQueryContextFunctions } from '../../../promql/promqltest/query_syntax.js';

function variant(q: string, t = 3_000_000): string {
  const v = atModifierVariant(q, t);
  if (!('query' in v)) throw new Error(`no variant: ${v.skip}`);
  return v.query;
}

describe('atModifierVariant (test.go atModifierTestCases)', () => {
  it('pins every selector, range selector and subquery with @ <seconds, 3 decimals>', () => {
    expect(variant('foo')).toBe('foo @ 3000.000');
    expect(variant('rate(foo{a="b"}[5m])')).toBe('rate(foo{a="b"}[5m] @ 3000.000)');
    expect(variant('a + on(x) b')).toBe('a @ 3000.000 + on(x) b @ 3000.000');
    expect(variant('sum by (a) (foo offset 5m)')).toBe('sum by (a) (foo @ 3000.000 offset 5m)');
    expect(variant('foo[5m] offset 1m')).toBe('foo[5m] @ 3000.000 offset 1m');
  });

  it('pins a subquery and leaves its inside alone', () => {
    expect(variant('max_over_time(rate(foo[1m])[5m:1m])')).toBe('max_over_time(rate(foo[1m])[5m:1m] @ 3000.000)');
    expect(variant('max_over_time(time()[5m:1m])')).toBe('max_over_time(time()[5m:1m] @ 3000.000)');
  });

  it('keeps a numeric @ and replaces @ start() / @ end() with the time', () => {
    expect(variant('foo @ 100')).toBe('foo @ 100');
    expect(variant('foo @ 100 offset 1m + bar')).toBe('foo @ 100 offset 1m + bar @ 3000.000');
    expect(variant('foo offset 1m @ 100')).toBe('foo offset 1m @ 100');
    expect(variant('foo @ start()')).toBe('foo @ 3000.000');
    expect(variant('rate(foo[1m] @ end())')).toBe('rate(foo[1m] @ 3000.000)');
    expect(variant('foo offset 1m @ end()')).toBe('foo offset 1m @ 3000.000');
  });

  it('has no variant for time-dependent functions outside subqueries', () => {
    for (const q of ['time()', 'timestamp(foo)', 'predict_linear(foo[5m], 60)', 'hour(foo)', 'foo - time()', 'start()', 'end() - foo']) {
      expect(atModifierVariant(q, 1000), q).toEqual({ skip: 'at-unsafe' });
    }
  });

  it('leaves literals alone and says when lezer cannot read the query', () => {
    expect(variant('1 + 2')).toBe('1 + 2');
    expect(variant('"str"')).toBe('"str"');
    expect(atModifierVariant('sum(', 0)).toEqual({ skip: 'unparsable' });
  });

  it('reads numbers with a trailing dot, which lezer-promql does not, keeping positions', () => {
    expect(variant('histogram_quantile(1./6., foo)')).toBe('histogram_quantile(1 /6 , foo @ 3000.000)');
    expect(variant('2.')).toBe('2 ');
  });

  it('formats times as Prometheus prints @ timestamps', () => {
    expect(formatAt(0)).toBe('0.000');
    expect(formatAt(-1000)).toBe('-1.000');
    expect(formatAt(600_000)).toBe('600.000');
    expect(formatAt(1234)).toBe('1.234');
  });
});

describe('analyzeQuery', () => {
  it('reads the matchers of every selector, the metric name included', () => {
    const a = analyzeQuery('rate(http_requests{job=~"api.*", code!="500"}[5m]) / on() {"utf8.name", x="y"}');
    expect(a.parsed).toBe(true);
    const [first, second] = a.selectors;
    const hit = Labels.from({ __name__: 'http_requests', job: 'api-server', code: '200' });
    expect(first!.every((m) => m.matches(hit.get(m.name)))).toBe(true);
    expect(first!.map((m) => `${m.name}${m.type}${m.value}`)).toEqual(['__name__=http_requests', 'job=~api.*', 'code!=500']);
    expect(second!.map((m) => `${m.name}${m.type}${m.value}`)).toEqual(['__name__=utf8.name', 'x=y']);
  });

  it('names the experimental constructs a query uses', () => {
    expect(analyzeQuery('rate(foo[5m])').experimental).toEqual([]);
    expect(analyzeQuery('foo offset -5m').experimental).toEqual([]);
    expect(analyzeQuery('foo @ start()').experimental).toEqual([]);
    expect(analyzeQuery('mad_over_time(foo[5m])').experimental).toEqual(['function mad_over_time()']);
    expect(analyzeQuery('limitk(1, foo)').experimental).toEqual(['aggregation limitk']);
    expect(analyzeQuery('foo[5m+1m]').experimental).toEqual(['duration expression']);
    expect(analyzeQuery('foo[step()]').experimental).toEqual(['duration expression']);
    expect(analyzeQuery('rate(foo[5m] anchored)').experimental).toEqual(['anchored modifier']);
    expect(analyzeQuery('a + fill(0) b').experimental).toEqual(['fill() binary-operator modifier']);
    expect(analyzeQuery('step() + 1').experimental).toEqual(['function step()']);
  });

  it('still spots experimental functions lezer-promql does not know', () => {
    const a = analyzeQuery('integral(foo[5m])');
    expect(a.parsed).toBe(false);
    expect(a.experimental).toEqual(['function integral()']);
  });
});

describe('lezerReadable', () => {
  it('drops the trailing dot of number literals only', () => {
    expect(lezerReadable('x{le="1."} + 2. * 0.5 - 3.e')).toBe('x{le="1."} + 2  * 0.5 - 3.e');
    expect(lezerReadable('rate(x[5m])')).toBe('rate(x[5m])');
    expect(lezerReadable("a{b='\\'3.'} / 4.")).toBe("a{b='\\'3.'} / 4 ");
  });
});

describe('usesQueryContextFunctions', () => {
  it('matches start(), end(), range() and step() calls', () => {
    expect(usesQueryContextFunctions('foo @ start()')).toBe(true);
    expect(usesQueryContextFunctions('step() * 2')).toBe(true);
    expect(usesQueryContextFunctions('rate(foo[5m])')).toBe(false);
  });
});
