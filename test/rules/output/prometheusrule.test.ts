import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadRuleFiles } from '../../../rules/load/loader.js';
import { formatPrometheusRule, kubernetesName } from '../../../rules/output/prometheusrule.js';
import { formatRuleFile } from '../../../rules/output/promfile.js';
import { compileSLOs } from '../../../rules/slo/compile.js';
import { checkRules } from './promtool.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-prometheusrule-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SLO_FILE = `apiVersion: vigil/v1
kind: SLO
metadata:
  name: availability
spec:
  service: api
  objective: 99.9
  sli:
    events:
      error: http_requests_total{code=~"5.."}
      total: http_requests_total
  grouping: [namespace]
`;

describe('PrometheusRule output', () => {
  it('wraps the same groups in a monitoring.coreos.com/v1 PrometheusRule that vigil reads back as the rule file', () => {
    const src = join(dir, 'api.yaml');
    writeFileSync(src, SLO_FILE);
    const groups = compileSLOs(loadRuleFiles([src]).ruleSet.slos);
    const resource = join(dir, 'api.prometheusrule.yaml');
    const rules = join(dir, 'api.rules.yml');
    writeFileSync(resource, formatPrometheusRule(groups, { name: 'api', namespace: 'monitoring' }, 'api.yaml'));
    writeFileSync(rules, formatRuleFile(groups, 'api.yaml'));
    const doc = parse(formatPrometheusRule(groups, { name: 'api', namespace: 'monitoring' }, 'api.yaml')) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(doc['metadata']).toEqual({ name: 'api', namespace: 'monitoring', labels: { 'app.kubernetes.io/component': 'SLO', 'app.kubernetes.io/managed-by': 'vigil' } });
    const strip = (p: string) => loadRuleFiles([p]).ruleSet.groups.map(({ source: _s, ...g }) => ({ ...g, rules: g.rules.map(({ source: _r, ...r }) => r) }));
    expect(strip(resource)).toEqual(strip(rules));
    expect(strip(rules).map((g) => g.name)).toEqual(['slo:api:availability']);
    checkRules([rules]);
  });

  it('names the resource after the input file, as Kubernetes allows', () => {
    expect(kubernetesName('vLLM_SLOs.yaml')).toBe('vllm-slos');
    expect(kubernetesName('sloth__in-base.yml')).toBe('sloth-in-base');
    expect(kubernetesName('___.yaml')).toBe('slos');
  });
});
