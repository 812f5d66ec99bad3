import { describe, expect, it } from 'vitest';
import { isStaleNaN } from '../../../model/value.js';
import { parseTestFile } from '../../../rules/unittest/testfile.js';
import { SourceError, type SourceIssue } from '../../../util/yamlreader.js';

const GOOD = `rule_files:
  - slo-rules.yml
  - /abs/*.rules.yml
evaluation_interval: 30s
group_eval_order: [b, a]
tests:
  - name: outage
    interval: 1m
    external_labels: {cluster: eu1}
    external_url: http://vigil.example
    input_series:
      - series: 'http_requests_total{service="checkout", code="500"}'
        values: '0+60x3 _ stale 5 _x2 7'
    alert_rule_test:
      - eval_time: 75m
        alertname: Burn
        exp_alerts:
          - exp_labels: {service: checkout, code: 500}
            exp_annotations:
              summary: "checkout burns"
      - eval_time: 1h
        alertname: Other
    promql_expr_test:
      - expr: sum by (service) (rate(http_requests_total[5m]))
        eval_time: 90m
        exp_samples:
          - labels: '{service="checkout"}'
            value: 4.997501249375321E-04
          - labels: 'up'
            value: .inf
          - value: 3
`;

/** errors parses `text` and returns its issues as `line:column: path: message` lines. */
function errors(text: string): string[] {
  try {
    parseTestFile('/t/x.test.yml', text);
  } catch (err) {
    if (err instanceof SourceError) return err.issues.map((i) => `${i.line}:${i.column}: ${i.path}: ${i.message}`);
    throw err;
  }
  throw new Error('expected the file to be refused');
}

describe('parseTestFile', () => {
  it('decodes every field of a good file', () => {
    const tf = parseTestFile('/t/x.test.yml', GOOD);
    expect(tf.ruleFiles.map((r) => r.pattern)).toEqual(['/t/slo-rules.yml', '/abs/*.rules.yml']);
    expect(tf.ruleFiles[0]!.source).toMatchObject({ line: 2, column: 5, path: 'rule_files[0]' });
    expect(tf.evaluationIntervalMs).toBe(30_000);
    expect(tf.groupEvalOrder).toEqual(['b', 'a']);
    const tg = tf.tests[0]!;
    expect(tg).toMatchObject({ index: 0, name: 'outage', intervalMs: 60_000, externalLabels: { cluster: 'eu1' }, externalURL: 'http://vigil.example' });
    const s = tg.inputSeries[0]!;
    expect(s.labels.toString()).toBe('{__name__="http_requests_total", code="500", service="checkout"}');
    // 0 60 120 180, gap, stale, 5, two gaps, 7: one slot per minute.
    expect(s.samples.map((x) => x.t / 60_000)).toEqual([0, 1, 2, 3, 5, 6, 9]);
    expect(s.samples.map((x) => (isStaleNaN(x.v) ? 'stale' : x.v))).toEqual([0, 60, 120, 180, 'stale', 5, 7]);
    expect(tg.alertRuleTests[0]).toMatchObject({
      evalTimeMs: 75 * 60_000,
      alertname: 'Burn',
      expAlerts: [{ labels: { service: 'checkout', code: '500' }, annotations: { summary: 'checkout burns' } }],
    });
    expect(tg.alertRuleTests[1]).toMatchObject({ evalTimeMs: 3600_000, alertname: 'Other', expAlerts: [] });
    const p = tg.promqlExprTests[0]!;
    expect(p.evalTimeMs).toBe(90 * 60_000);
    expect(p.expSamples.map((x) => [x.labels.toString(), x.value])).toEqual([
      ['{service="checkout"}', 4.997501249375321e-4],
      ['{__name__="up"}', Infinity],
      ['{}', 3],
    ]);
  });

  it('defaults evaluation_interval to 1m and eval_time to 0', () => {
    const tf = parseTestFile('/t/x.yml', 'rule_files: [r.yml]\ntests:\n  - alert_rule_test:\n      - alertname: A\n');
    expect(tf.evaluationIntervalMs).toBe(60_000);
    expect(tf.tests[0]!.alertRuleTests[0]!.evalTimeMs).toBe(0);
    expect(tf.tests[0]!.name).toBe('');
  });

  it('warns about a file without tests', () => {
    const warnings: SourceIssue[] = [];
    parseTestFile('/t/x.yml', 'rule_files: [r.yml]\n', warnings);
    expect(warnings.map((w) => w.message)).toEqual(['no tests: the file asserts nothing']);
  });

  it('refuses unknown keys, as promtool does, suggesting the singular key', () => {
    expect(errors('tests:\n  - interval: 1m\n    promql_expr_tests: []\n')).toEqual([
      '3:5: tests[0].promql_expr_tests: unknown field "promql_expr_tests" (did you mean "promql_expr_test"?)',
    ]);
    expect(errors('rule_file: [a.yml]\n')).toEqual(['1:1: rule_file: unknown field "rule_file" (did you mean "rule_files"?)']);
  });

  it('names the series notation error inside the values string', () => {
    const text = "tests:\n  - interval: 1m\n    input_series:\n      - series: 'up'\n        values: '1 2 foo'\n";
    expect(errors(text)).toEqual([
      `5:22: tests[0].input_series[0].values: "1 2 foo": invalid point "foo": expected a number or "stale" (expected values in the expanding notation, such as '0+1x10 _ stale')`,
    ]);
  });

  it('names the label error inside the series string', () => {
    const text = "tests:\n  - interval: 1m\n    input_series:\n      - series: 'up{job=\"a\"'\n        values: '1'\n";
    const [e] = errors(text);
    expect(e).toMatch(/^4:\d+: tests\[0\]\.input_series\[0\]\.series: "up\{job=\\"a\\"": /);
  });

  it('requires interval with input series (promtool 2.42 would load every value at t=0)', () => {
    expect(errors("tests:\n  - input_series:\n      - series: up\n        values: '1'\n")).toEqual([
      '2:5: tests[0]: field "interval" is required with input_series (promtool 2.42 has no default and would load every value at t=0)',
    ]);
  });

  it('refuses bad durations, a missing alertname and a repeated group in group_eval_order', () => {
    const text = `group_eval_order: [a, b, a]
evaluation_interval: 1 minute
tests:
  - interval: 1m
    alert_rule_test:
      - eval_time: 10
        exp_alerts: []
`;
    expect(errors(text)).toEqual([
      '2:22: evaluation_interval: got "1 minute", expected a duration such as 30s, 5m or 1h30m',
      '1:26: group_eval_order[2]: group name repeated in evaluation order: a',
      '6:20: tests[0].alert_rule_test[0].eval_time: got 10, expected a duration such as 30s, 5m or 1h30m',
      '6:9: tests[0].alert_rule_test[0]: an item under alert_rule_test misses required attribute alertname',
    ]);
  });

  it('checks PromQL with the position inside the expression', () => {
    const text = 'tests:\n  - interval: 1m\n    promql_expr_test:\n      - expr: sum(rate(x[5m])\n        eval_time: 1m\n';
    expect(errors(text)).toEqual(['4:30: tests[0].promql_expr_test[0].expr: "sum(rate(x[5m])": 1:16: parse error: unexpected end of input']);
  });

  it('refuses quoted sample values and bad label sets, as promtool does', () => {
    const text = `tests:
  - interval: 1m
    promql_expr_test:
      - expr: up
        exp_samples:
          - labels: 'up{job="a"} 5'
            value: 1
          - labels: 'up'
            value: "1"
`;
    expect(errors(text)).toEqual([
      '6:34: tests[0].promql_expr_test[0].exp_samples[0].labels: "up{job=\\"a\\"} 5": unexpected "5" after the label set (expected a label set such as \'metric{a="b"}\' or \'{a="b"}\')',
      '9:20: tests[0].promql_expr_test[0].exp_samples[1].value: got "1", expected a number (or .inf, -.inf, .nan)',
    ]);
  });

  it('points fuzzy_compare at the promtool version that has it', () => {
    expect(errors('fuzzy_compare: true\n')).toEqual([
      '1:16: fuzzy_compare: fuzzy_compare is a promtool >= 3.5 option; promtool 2.42 and vigil compare values exactly',
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    expect(errors('tests:\n  - interval: [1m\n')).toEqual(['3:1: : Flow sequence in block collection must be sufficiently indented and end with a ]']);
  });
});
