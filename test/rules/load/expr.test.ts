import { describe, expect, it } from 'vitest';
import { parseRuleFile } from '../../../rules/load/loader.js';
import { formatIssue } from '../../../util/yamlreader.js';

/** check loads one alert with `exprYaml` as its expr (the text after `expr:`) and returns every message. */
function check(exprYaml: string): string[] {
  const text = `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: ${exprYaml}\n`;
  const r = parseRuleFile('f.yml', text);
  return [...r.errors.map(formatIssue), ...r.warnings.map((w) => `warning: ${formatIssue(w)}`)];
}

/** col is the 1-based column of `needle` in line 5 (`        expr: ...`) of the file check() writes. */
function col(exprYaml: string, needle: string, from = 0): number {
  return '        expr: '.length + exprYaml.indexOf(needle, from) + 1;
}

describe('PromQL in rule files: positions', () => {
  it('points into a plain scalar', () => {
    const e = 'sum(rate(x_total[5m]) by (job)';
    expect(check(e)).toEqual([`f.yml:5:${col(e, 'by')}: groups[0].rules[0].expr: could not parse expression: 1:23: parse error: unexpected identifier "by"`]);
  });

  it('points into a double-quoted scalar with escapes', () => {
    const e = '"rate(x_total{a=\\"b\\", c=\\"d\\"}[5m]) > > 1"';
    const [msg] = check(e);
    expect(msg).toMatch(/^f\.yml:5:(\d+): groups\[0\]\.rules\[0\]\.expr: could not parse expression: 1:35: parse error: unexpected ">"$/);
    expect(Number(/:5:(\d+):/.exec(msg!)![1])).toBe(col(e, '> 1'));
  });

  it("points into a single-quoted scalar with '' escapes", () => {
    const e = "'label_replace(up, ''a'', ''b'', ''c'', ''(.*)'') +'";
    const [msg] = check(e);
    // The end of input is just past the last character of the value: the closing quote.
    expect(msg).toBe(`f.yml:5:${'        expr: '.length + e.length}: groups[0].rules[0].expr: could not parse expression: 1:43: parse error: unexpected end of input`);
  });

  it('points into a literal block, on the right line', () => {
    const text = `groups:
  - name: g
    rules:
      - alert: A
        expr: |
          sum by (job) (
            ratee(x_total[5m])
          )
`;
    const r = parseRuleFile('f.yml', text);
    expect(r.errors.map(formatIssue)).toEqual(['f.yml:7:13: groups[0].rules[0].expr: could not parse expression: 2:3: parse error: unknown function with name "ratee"']);
  });

  it('points just past the end of a block when the expression stops short', () => {
    const text = `groups:
  - name: g
    rules:
      - record: a:b:c
        expr: |
          sum by (job) (rate(x_total[5m])

`;
    const r = parseRuleFile('f.yml', text);
    expect(r.errors.map(formatIssue)).toEqual([
      'f.yml:6:42: groups[0].rules[0].expr: could not parse expression: 2:1: parse error: unexpected end of input',
    ]);
  });
});

describe('PromQL in rule files: types', () => {
  it('rejects a range vector, a string and a subquery as a rule result', () => {
    expect(check('x_total[5m]')).toEqual([
      'f.yml:5:15: groups[0].rules[0].expr: rule result is not a vector or scalar: expected instant vector or scalar, got range vector',
    ]);
    expect(check(`'"up"'`)[0]).toContain('got string');
    expect(check('rate(x_total[5m])[1h:]')[0]).toContain('got range vector');
  });

  it('accepts scalars and instant vectors', () => {
    expect(check('vector(1)')).toEqual([]);
    expect(check('1 + 1')).toEqual([]);
    expect(check('time()')).toEqual([]);
  });

  it('reports a type error inside the expression at its operand', () => {
    const e = 'rate(x_total)';
    expect(check(e)).toEqual([
      `f.yml:5:${col(e, 'x_total')}: groups[0].rules[0].expr: could not parse expression: 1:6: parse error: expected type range vector in call to function "rate", got instant vector`,
    ]);
  });
});

describe('counters used without rate', () => {
  const warning = (name: string, suffix: string): string =>
    `${JSON.stringify(name)} looks like a counter (its name ends in ${suffix}) but is used without rate(), increase() or irate(); a counter's raw value only grows and resets on restart`;

  it('warns at the selector of a bare counter', () => {
    const e = 'sum by (job) (http_requests_total{code="500"}) > 10';
    expect(check(e)).toEqual([`warning: f.yml:5:${col(e, 'http_requests_total')}: groups[0].rules[0].expr: ${warning('http_requests_total', '_total')}`]);
  });

  it('knows histogram and summary series by their suffixes', () => {
    expect(check('histogram_quantile(0.9, sum by (le) (latency_seconds_bucket))')[0]).toContain(warning('latency_seconds_bucket', '_bucket'));
    expect(check('latency_seconds_sum / latency_seconds_count')).toHaveLength(2);
    expect(check(`'{__name__="jobs_total"} > 1'`)[0]).toContain(warning('jobs_total', '_total'));
  });

  it('stays quiet where a raw counter is what is meant', () => {
    for (const e of [
      'rate(x_total[5m]) > 1',
      'increase(x_total[1h]) > 1',
      'irate(x_total[1m]) > 1',
      'resets(x_total[1h]) > 0',
      'changes(x_total[1h]) > 0',
      'absent(x_total)',
      'absent_over_time(x_total[10m])',
      'count(x_total) < 3',
      'group by (job) (x_total)',
      'timestamp(x_total) < time() - 600',
      'sum(rate(x_bucket[5m])) by (le)',
      'x_totals > 1',
      'gpu_temperature > 90',
    ]) {
      expect(check(e), e).toEqual([]);
    }
  });
});

describe('recording-rule names selected', () => {
  it('collects level:metric:operations names, not exporter names with one colon', () => {
    const r = parseRuleFile(
      'f.yml',
      `groups:
  - name: g
    rules:
      - alert: A
        expr: job:http_errors:rate5m / job:http_requests:rate5m > 0.1 and on() vllm:num_requests_running > 0
`,
    );
    expect(r.selectors.map((s) => [s.name, s.line, s.column, s.path])).toEqual([
      ['job:http_errors:rate5m', 5, 15, 'groups[0].rules[0].expr'],
      ['job:http_requests:rate5m', 5, 40, 'groups[0].rules[0].expr'],
    ]);
  });
});
