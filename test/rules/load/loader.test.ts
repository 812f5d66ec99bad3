import { describe, expect, it } from 'vitest';
import type { DecodeContext, KindDecoder } from '../../../rules/load/kinds.js';
import { registerKind, registeredKinds } from '../../../rules/load/kinds.js';
import { checkRuleFiles, loadRuleFiles, parseRuleFile, RuleLoadError } from '../../../rules/load/loader.js';
import type { AlertingRule, RecordingRule } from '../../../rules/model.js';
import { formatIssue } from '../../../util/yamlreader.js';

const VALID = 'test/rules/testdata/valid';

function messages(file: string, text: string): string[] {
  const r = parseRuleFile(file, text);
  return [...r.errors.map(formatIssue), ...r.warnings.map((w) => `warning: ${formatIssue(w)}`)];
}

describe('loadRuleFiles: Prometheus rule files', () => {
  it('reads groups and rules with every field, and where each was written', () => {
    const { ruleSet, files, warnings } = loadRuleFiles([`${VALID}/prometheus/vllm.yml`]);
    expect(files).toEqual([`${VALID}/prometheus/vllm.yml`]);
    expect(warnings).toEqual([]);
    expect(ruleSet.slos).toEqual([]);
    expect(ruleSet.groups.map((g) => [g.name, g.intervalMs, g.limit, g.rules.length])).toEqual([
      ['vllm-recording', 30_000, 0, 3],
      ['vllm-alerts', 0, 100, 2],
    ]);
    const rec = ruleSet.groups[0]!.rules[2] as RecordingRule;
    expect(rec).toMatchObject({ kind: 'recording', record: 'ai:e2e_latency_seconds:p99_5m', labels: { quantile: '0.99' } });
    expect(rec.expr.startsWith('histogram_quantile(0.99,\n  sum by')).toBe(true);
    const alert = ruleSet.groups[1]!.rules[0] as AlertingRule;
    expect(alert).toMatchObject({ kind: 'alerting', alert: 'VLLMHighErrorRatio', forMs: 600_000, keepFiringForMs: 300_000, labels: { severity: 'page' } });
    expect(alert.expr).toBe('ai:request_errors:rate5m / on (namespace, model) ai:requests:rate5m > 0.05\n');
    expect(Object.keys(alert.annotations)).toEqual(['summary', 'description']);
    expect(alert.source).toEqual({ file: `${VALID}/prometheus/vllm.yml`, line: 22, column: 9, path: 'groups[1].rules[0]' });
    expect(ruleSet.groups[1]!.source).toEqual({ file: `${VALID}/prometheus/vllm.yml`, line: 19, column: 5, path: 'groups[1]' });
  });

  it('reads Prometheus 3 group fields (labels, query_offset)', () => {
    const g = loadRuleFiles([`${VALID}/prometheus3/queue.yml`]).ruleSet.groups[0]!;
    expect(g).toMatchObject({ name: 'queues', intervalMs: 60_000, queryOffsetMs: 30_000, labels: { team: 'ml-platform' } });
  });

  it('reads a PrometheusRule resource as its spec.groups', () => {
    const r = parseRuleFile(
      'pr.yaml',
      `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: x, namespace: monitoring, labels: {release: prom}, uid: abc}
spec:
  groups:
    - name: g
      rules:
        - alert: Down
          expr: up == 0
`,
    );
    expect(r.errors).toEqual([]);
    expect(r.ruleSet.groups.map((g) => [g.name, g.rules.length, g.source?.path])).toEqual([['g', 1, 'spec.groups[0]']]);
  });

  it('treats an empty file or one of comments as holding nothing', () => {
    for (const text of ['', '# nothing here\n', '---\n---\n']) {
      const r = parseRuleFile('empty.yml', text);
      expect(r.errors).toEqual([]);
      expect(r.ruleSet).toEqual({ groups: [], slos: [] });
    }
  });

  it('names each rule type problem once, even for several problems in one rule', () => {
    expect(
      messages(
        'r.yml',
        `groups:
- name: g
  rules:
  - record: x
    alert: y
`,
      ),
    ).toEqual(["r.yml:4:5: groups[0].rules[0]: only one of 'record' and 'alert' must be set", "r.yml:4:5: groups[0].rules[0]: field 'expr' must be set in rule"]);
  });
});

describe('loadRuleFiles: vigil/v1 AlertRule and RecordingRule', () => {
  it('gathers rule documents into their groups, and the rest into the file group', () => {
    const { ruleSet } = loadRuleFiles([`${VALID}/vigil/alert-rules.yml`]);
    expect(ruleSet.groups.map((g) => [g.name, g.intervalMs, g.rules.map((r) => (r.kind === 'alerting' ? r.alert : r.record))])).toEqual([
      ['queues', 60_000, ['ai:queue_oldest_age_seconds:max', 'QueueStuck']],
      ['alert-rules', 0, ['KVCacheNearlyFull']],
    ]);
    const rec = ruleSet.groups[0]!.rules[0] as RecordingRule;
    expect(rec.labels).toEqual({ team: 'ml-platform', source: 'rabbitmq' });
    const stuck = ruleSet.groups[0]!.rules[1] as AlertingRule;
    expect(stuck).toMatchObject({ forMs: 600_000, keepFiringForMs: 300_000, labels: { team: 'ml-platform', severity: 'page' } });
    expect(stuck.annotations['runbook_url']).toBe('https://runbooks.example.com/queues/stuck');
    expect(stuck.source).toMatchObject({ line: 16, column: 1, path: '' });
  });

  it('lets spec labels win over metadata labels', () => {
    const r = parseRuleFile(
      'a.yml',
      `apiVersion: vigil/v1
kind: AlertRule
metadata: {name: A, labels: {team: a, tier: x}}
spec: {expr: up == 0, labels: {team: b}}
`,
    );
    expect((r.ruleSet.groups[0]!.rules[0] as AlertingRule).labels).toEqual({ team: 'b', tier: 'x' });
  });

  it('reports a group given two intervals at the second', () => {
    expect(
      messages(
        'dir/g.yaml',
        `apiVersion: vigil/v1
kind: RecordingRule
spec: {record: a:b:c, expr: up, interval: 1m}
---
apiVersion: vigil/v1
kind: RecordingRule
spec: {record: a:b:d, expr: up, interval: 2m}
`,
      ),
    ).toEqual(['dir/g.yaml:7:43: spec.interval: group "g" already has interval 1m (line 3), got 2m; the rules of a group share one interval']);
  });

  it('lists the known kinds when nothing is close to the one written', () => {
    const [msg] = messages('k.yml', 'apiVersion: vigil/v1\nkind: Dashboard\n');
    expect(msg).toMatch(/^k\.yml:2:7: kind: unknown kind "Dashboard" for apiVersion "vigil\/v1"; expected one of /);
    for (const kind of ['"AlertRule"', '"RecordingRule"']) expect(msg).toContain(kind);
  });
});

describe('loadRuleFiles errors', () => {
  it('throws every problem of every file at once, with the warnings', () => {
    let err: unknown;
    try {
      loadRuleFiles(['test/rules/testdata/broken/bare-counter.yml', 'test/rules/testdata/broken/duplicate-groups.yml', 'test/rules/testdata/nope.yml']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RuleLoadError);
    const e = err as RuleLoadError;
    expect(e.code).toBe('rule_files_invalid');
    expect(e.issues.map((i) => `${i.file}:${i.line}`)).toEqual([
      'test/rules/testdata/nope.yml:1',
      'test/rules/testdata/broken/bare-counter.yml:13',
      'test/rules/testdata/broken/duplicate-groups.yml:6',
    ]);
    expect(e.issues[0]!.message).toBe('cannot read rule file: ENOENT');
    expect(e.warnings).toHaveLength(2);
    expect(e.message.split('\n')).toHaveLength(3);
  });

  it('keeps going after a file it cannot parse', () => {
    const r = checkRuleFiles(['test/rules/testdata/broken/yaml-syntax.yml', `${VALID}/prometheus/gpu.yml`]);
    expect(r.errors).toHaveLength(1);
    expect(r.ruleSet.groups.map((g) => g.name)).toEqual(['gpu']);
  });
});

describe('the kinds registry', () => {
  it('reads a new kind once its decoder is registered, with no other change', () => {
    const text = `apiVersion: example/v1
kind: BudgetRule
spec: {alert: BudgetLow, expr: vector(1)}
`;
    expect(messages('b.yml', text)[0]).toContain('unknown apiVersion "example/v1"');
    const decoder: KindDecoder = {
      apiVersion: 'example/v1',
      kind: 'BudgetRule',
      matches: (doc) => doc.apiVersion === 'example/v1' && doc.kind === 'BudgetRule',
      decode(root, ctx: DecodeContext) {
        const spec = root.object(['apiVersion', 'kind', 'spec'])?.get('spec').object(['alert', 'expr']);
        const alert = spec?.get('alert').string();
        const expr = spec?.get('expr').string();
        if (spec === undefined || alert === undefined || expr === undefined) return undefined;
        ctx.warn(spec.get('alert'), `budget rules are an example in ${ctx.file}`);
        const rule: AlertingRule = { kind: 'alerting', alert, expr, forMs: 0, keepFiringForMs: 0, labels: {}, annotations: {} };
        return { rules: [{ rule, group: 'budgets', intervalMs: undefined, groupSource: { file: ctx.file, line: 1, column: 1, path: '' } }] };
      },
    };
    registerKind('example/v1 BudgetRule', decoder);
    expect(registeredKinds().map((k) => k.name)).toContain('example/v1 BudgetRule');
    const r = parseRuleFile('b.yml', text);
    expect(r.errors).toEqual([]);
    expect(r.warnings.map(formatIssue)).toEqual(['b.yml:3:15: spec.alert: budget rules are an example in b.yml']);
    expect(r.ruleSet.groups.map((g) => [g.name, g.rules.length])).toEqual([['budgets', 1]]);
  });

  it('refuses to register a name twice', () => {
    const d: KindDecoder = { matches: () => false, decode: () => undefined };
    registerKind('twice', d);
    expect(() => registerKind('twice', d)).toThrow('rule-file kind "twice" is registered twice');
  });

  it('registers the built-in kinds', () => {
    expect(registeredKinds().map((k) => k.name).slice(0, 4)).toEqual([
      'Prometheus rule file (groups:)',
      'monitoring.coreos.com/v1 PrometheusRule',
      'vigil/v1 AlertRule',
      'vigil/v1 RecordingRule',
    ]);
  });
});
