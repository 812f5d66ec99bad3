import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTestFiles } from '../../../cli/commands/test.js';
import type { RuleGroup } from '../../../rules/model.js';
import { type FileResult, orderRuleGroups } from '../../../rules/unittest/runner.js';
import { promtoolTestRules, promtoolVersion } from './promtool.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-unittest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** write puts files in the temp dir and returns the path of the first. */
function write(files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return join(dir, Object.keys(files)[0]!);
}

/** compared are the files whose results promtool must reproduce exactly (see the last test). */
const compared: { file: string; result: FileResult }[] = [];

/** run runs one test file and returns its result; `compare` queues it for the promtool check. */
async function run(file: string, opts: { run?: RegExp[]; compare?: boolean } = {}) {
  const [r] = await runTestFiles([file], opts.run === undefined ? {} : { run: opts.run });
  if (opts.compare === true) compared.push({ file, result: r! });
  return r!;
}

const CHAIN_RULES = `groups:
- name: first
  rules:
  - record: a:x
    expr: b:x + 1
- name: second
  rules:
  - record: b:x
    expr: sum(x)
`;

describe('runTestGroup (promtool 2.42 semantics, each measured with promtool 2.42)', () => {
  it('evaluates groups in group_eval_order at each tick, so a later group reads an earlier one at the same tick', async () => {
    const test = (order: string) => `rule_files: [chain.yml]
group_eval_order: ${order}
tests:
  - interval: 30s
    input_series:
      - series: x
        values: '0+1x10'
    promql_expr_test:
      - expr: a:x
        eval_time: 2m
        exp_samples:
          - labels: 'a:x'
            value: 5
`;
    const ok = await run(write({ 'order-ok.test.yml': test('[second, first]'), 'chain.yml': CHAIN_RULES }), { compare: true });
    expect(ok.status).toBe('pass');
    expect(ok.warnings).toEqual([]);
    const typo = await run(write({ 'order-typo.test.yml': test('[second, frist]') }));
    expect(typo.warnings).toEqual([`${join(dir, 'order-typo.test.yml')}: group_eval_order names "frist", which no rule file defines`]);
    // first before second: a:x at 2m reads b:x written at 1m (= 2), as promtool gives (3, not 5).
    const stale = await run(write({ 'order-bad.test.yml': test('[first, second]') }), { compare: true });
    expect(stale.groups[0]!.failures.map((f) => f.text)).toEqual(['    expr: "a:x", time: 2m,\n        exp: {__name__="a:x"} 5E+00\n        got: {__name__="a:x"} 3E+00']);
  });

  it('loads input lazily: a query between two ticks sees input only up to the last tick', async () => {
    const r = await run(
      write({
        'lazy.test.yml': `rule_files: [chain.yml]
tests:
  - interval: 30s
    input_series:
      - series: x
        values: '0+1x10'
    promql_expr_test:
      - expr: x
        eval_time: 90s
        exp_samples:
          - labels: x
            value: 2
`,
      }),
      { compare: true },
    );
    expect(r.status).toBe('pass');
  });

  it('compares only firing alerts, at the last evaluation at or before eval_time, with templated labels and annotations', async () => {
    const file = write({
      'alerts.test.yml': `rule_files: [alerts.yml]
tests:
  - interval: 1m
    name: grp
    external_labels: {cluster: c1}
    external_url: http://vigil.example
    input_series:
      - series: 'x{job="a"}'
        values: '0+1x20'
      - series: 'x{job="b"}'
        values: '0x20'
    alert_rule_test:
      # x{job="a"} > 5 from 6m; for: 2m, so pending at 6m and 7m and firing from 8m.
      - eval_time: 7m
        alertname: XHigh
        exp_alerts: []
      - eval_time: 8m59s
        alertname: XHigh
        exp_alerts:
          - exp_labels: {job: a, severity: page, tier: "a-high"}
            exp_annotations:
              summary: "a is 8 in c1, see http://vigil.example"
      - eval_time: 8m
        alertname: NoSuchAlert
`,
      'alerts.yml': `groups:
- name: g
  interval: 5m   # promtool ignores it: every group runs at evaluation_interval
  rules:
  - alert: XHigh
    expr: x > 5
    for: 2m
    labels:
      severity: page
      tier: "{{ $labels.job }}-high"
    annotations:
      summary: "{{ $labels.job }} is {{ $value }} in {{ $externalLabels.cluster }}, see {{ $externalURL }}"
`,
    });
    const r = await run(file, { compare: true });
    expect(r.groups[0]).toMatchObject({ status: 'pass', evaluations: 9 });
  });

  it('reports a failed rule with promtool text and stops the test group there', async () => {
    const file = write({
      'evalerr.test.yml': `rule_files: [evalerr.yml]
tests:
  - interval: 1m
    input_series:
      - series: 'x{job="a"}'
        values: '0+1x20'
      - series: 'x{job="b"}'
        values: '0+1x20'
    promql_expr_test:
      - expr: x
        eval_time: 10m
`,
      'evalerr.yml': `groups:
- name: g
  rules:
  - record: bad
    expr: x + on() group_left x
`,
    });
    const r = await run(file);
    const g = r.groups[0]!;
    expect(g.status).toBe('fail');
    expect(g.evaluations).toBe(1);
    expect(g.failures).toHaveLength(1);
    expect(g.failures[0]!.text).toMatch(/^ {4}rule: bad, time: 0s, err: found duplicate series for the match group \{\} on the right hand-side of the operation/);
  });

  it('replaces an earlier input series by a later one with the same labels, and honours stale and gaps', async () => {
    const file = write({
      'dup.test.yml': `rule_files: [chain.yml]
tests:
  - interval: 1m
    input_series:
      - series: 'y{job="a"}'
        values: '0+1x20'
      - series: 'y{job="a"}'
        values: '5+1x20'
      - series: 'z'
        values: '1 stale _ 4'
    promql_expr_test:
      - expr: y
        eval_time: 1m
        exp_samples:
          - labels: 'y{job="a"}'
            value: 6
      - expr: z
        eval_time: 2m
        exp_samples: []
      - expr: z
        eval_time: 3m
        exp_samples:
          - labels: z
            value: 4
`,
    });
    expect((await run(file, { compare: true })).status).toBe('pass');
  });

  it('compares floats exactly and prints the query error of a failing expression', async () => {
    const file = write({
      'float.test.yml': `rule_files: [chain.yml]
tests:
  - interval: 1m
    input_series:
      - series: x
        values: '1'
    promql_expr_test:
      - expr: 1/3
        eval_time: 0m
        exp_samples:
          - value: 0.3333
      - expr: 1/3
        eval_time: 0m
        exp_samples:
          - value: 0.3333333333333333
      - expr: x / 0 - x / 0
        eval_time: 0m
        exp_samples:
          - labels: '{}'
            value: .nan
      - expr: x[5m]
        eval_time: 0m
`,
    });
    const texts = (await run(file, { compare: true })).groups[0]!.failures.map((f) => f.text);
    expect(texts).toEqual([
      '    expr: "1/3", time: 0s,\n        exp: {} 3.333E-01\n        got: {} 3.333333333333333E-01',
      '    expr: "x / 0 - x / 0", time: 0s,\n        exp: {} NaN\n        got: {} NaN',
      '    expr: "x[5m]", time: 0s, err: rule result is not a vector or scalar',
    ]);
  });

  it('fails the file when a rule_files pattern matches nothing (promtool 2.42 only warns)', async () => {
    const r = await run(write({ 'nomatch.test.yml': 'rule_files: [chain.yml, missing-*.yml]\ntests:\n  - alert_rule_test:\n      - alertname: A\n        exp_alerts: []\n' }));
    expect(r.status).toBe('error');
    expect(r.error).toBe(`${join(dir, 'nomatch.test.yml')}:1:25: rule_files[1]: no file matches pattern "missing-*.yml" (looked for ${join(dir, 'missing-*.yml')})`);
  });

  it('fails the file with the loader’s file:line:column error for a broken rule file', async () => {
    const r = await run(write({ 'broken.test.yml': 'rule_files: [broken.yml]\ntests: []\n', 'broken.yml': 'groups:\n- name: g\n  rules:\n  - alert: A\n    expr: x > 3 +\n' }));
    expect(r.status).toBe('error');
    expect(r.error).toMatch(new RegExp(`^${join(dir, 'broken.yml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:\\d+: `));
  });

  it('runs only the test groups --run selects', async () => {
    const text = `rule_files: [chain.yml]
tests:
  - name: keep-me
    interval: 1m
    input_series: [{series: x, values: '1'}]
    promql_expr_test: [{expr: x, eval_time: 0s, exp_samples: [{labels: x, value: 1}]}]
  - name: other
    interval: 1m
    input_series: [{series: x, values: '1'}]
    promql_expr_test: [{expr: x, eval_time: 0s, exp_samples: [{labels: x, value: 99}]}]
  - interval: 1m
    promql_expr_test: [{expr: vector(1), eval_time: 0s}]
`;
    const file = write({ 'filter.test.yml': text });
    expect((await run(file)).groups.map((g) => g.status)).toEqual(['pass', 'fail', 'fail']);
    const filtered = await run(file, { run: [/keep/] });
    expect(filtered.status).toBe('pass');
    expect(filtered.groups.map((g) => g.status)).toEqual(['pass', 'skipped', 'skipped']);
    expect((await run(file, { run: [/^$/] })).groups.map((g) => g.status)).toEqual(['skipped', 'skipped', 'fail']);
  });
});

describe(`promtool ${promtoolVersion()} on the same files`, () => {
  it('passes and fails the same files, with the same failure text', () => {
    expect(compared.length).toBe(6);
    for (const { file, result } of compared) {
      const p = promtoolTestRules(file);
      expect(p.code, file).toBe(result.status === 'pass' ? 0 : 1);
      expect(p.failures, file).toBe(result.groups.flatMap((g) => g.failures.map((f) => f.text)).join('\n'));
    }
  });

  it('only warns when a rule_files pattern matches nothing, and passes (which vigil refuses)', () => {
    const p = promtoolTestRules(join(dir, 'nomatch.test.yml'), { allowNoMatch: true });
    expect(p.code).toBe(0);
    expect(p.stderr).toContain('WARNING: no file match pattern');
    expect(() => promtoolTestRules(join(dir, 'nomatch.test.yml'))).toThrow(/loaded no rules/);
  });
});

describe('orderRuleGroups', () => {
  const g = (name: string): RuleGroup => ({ name, intervalMs: 0, limit: 0, queryOffsetMs: 0, labels: {}, rules: [] });
  it('puts named groups in order and unnamed ones with the first, keeping file order among ties (promtool gives them rank 0)', () => {
    const order = orderRuleGroups([g('a'), g('b'), g('c'), g('d')], ['c', 'b']).map((x) => x.name);
    expect(order).toEqual(['a', 'c', 'd', 'b']);
  });
});
