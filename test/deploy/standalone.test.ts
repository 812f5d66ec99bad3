import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAlertingConfig } from '../../alerting/config/load.js';
import { isRemoteStorage, parseConfig } from '../../cli/config.js';
import { loadRuleFiles } from '../../rules/load/loader.js';
import { compileSLOs } from '../../rules/slo/compile.js';
import { kustomize, one, validateObject, type K8sObject } from '../support/kustomize.js';
import { expectGuardrails, podSpec, secretKeys } from './guardrails.js';

// deploy/base and deploy/overlays/standalone rendered by the `kubectl kustomize` on PATH: every
// object validates against its kubernetes-models schema, the guardrails hold, and the config,
// routing and rules the pod mounts are ones vigil accepts.

const dir = mkdtempSync(join(tmpdir(), 'vigil-deploy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const standalone = kustomize('deploy/overlays/standalone');

function data(o: K8sObject): Record<string, string> {
  return (o as unknown as { data: Record<string, string> }).data;
}

describe('deploy/overlays/standalone', () => {
  it('renders the StatefulSet and everything around it, each valid against kubernetes-models', () => {
    expect(standalone.map((o) => `${o.kind}/${o.metadata.name.replace(/-[a-z0-9]{10}$/, '')}`).sort()).toEqual([
      'ClusterRole/vigil-discovery',
      'ClusterRoleBinding/vigil-discovery',
      'ConfigMap/vigil-alerting',
      'ConfigMap/vigil-config',
      'ConfigMap/vigil-rules',
      'Namespace/vigil',
      'NetworkPolicy/vigil',
      'PodDisruptionBudget/vigil',
      'PriorityClass/vigil-platform-critical',
      'Service/vigil',
      'Service/vigil-headless',
      'ServiceAccount/vigil',
      'StatefulSet/vigil',
    ]);
    for (const o of standalone) validateObject(o);
    for (const o of standalone) if (!['Namespace', 'PriorityClass', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind)) expect(o.metadata.namespace, o.kind).toBe('vigil');
  });

  it('the validators catch a broken object', () => {
    const sts = structuredClone(one(standalone, 'StatefulSet', 'vigil')) as unknown as { spec: { template: { spec: { containers: { image?: unknown }[] } } } };
    sts.spec.template.spec.containers[0]!.image = 42;
    expect(() => validateObject(sts as unknown as K8sObject)).toThrow(/StatefulSet vigil: /);
    expect(() => validateObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } })).toThrow(/no kubernetes-models schema/);
  });

  it('keeps the guardrails: probes, limits, non-root, read-only root, secrets by reference, RBAC, priority, network policy', () => {
    expectGuardrails(standalone);
    const pod = podSpec(standalone);
    expect(pod.serviceAccountName).toBe('vigil');
    const binding = one(standalone, 'ClusterRoleBinding') as unknown as { subjects: { name: string; namespace: string }[] };
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'vigil', namespace: 'vigil' }]);
    const env = pod.containers[0]!.env!.map((e) => [e.name, e.valueFrom?.secretKeyRef?.name]);
    expect(env).toEqual([
      ['SLACK_BOT_TOKEN', 'vigil-slack'],
      ['SMTP_AUTH_PASSWORD', 'vigil-smtp'],
    ]);
  });

  it('the guardrail check itself finds an inline secret', () => {
    expect(secretKeys({ global: { smtp_auth_password: 'hunter2', smtp_auth_password_env: 'X' }, receivers: [{ slack_configs: [{ token: 'xoxb-1' }] }] })).toEqual([
      'global.smtp_auth_password',
      'receivers[0].slack_configs[0].token',
    ]);
  });

  it('mounts a config, routing and rules that vigil accepts, with the data directory on the volume claim', () => {
    const config = parseConfig('/etc/vigil/config/vigil.yaml', data(one(standalone, 'ConfigMap', 'vigil-config'))['vigil.yaml']!);
    expect(isRemoteStorage(config.storage)).toBe(false);
    expect(config.storage.path).toBe('/var/lib/vigil');
    expect(config.ruleFiles).toEqual(['/etc/vigil/rules/*.yaml']);
    expect(config.alertingConfigFile).toBe('/etc/vigil/alerting/alerting.yaml');
    expect(config.scrapeConfigs.map((s) => s.jobName)).toEqual(['kubernetes-pods']);
    const sts = one(standalone, 'StatefulSet', 'vigil') as unknown as {
      spec: { volumeClaimTemplates: { metadata: { name: string } }[]; template: { spec: { containers: { args: string[]; volumeMounts: { name: string; mountPath: string }[] }[] } } };
    };
    const c = sts.spec.template.spec.containers[0]!;
    expect(c.args).toEqual(['run', '--config', '/etc/vigil/config/vigil.yaml', '--log-format', 'json']);
    const mounts = Object.fromEntries(c.volumeMounts.map((m) => [m.mountPath, m.name]));
    expect(mounts).toMatchObject({ '/etc/vigil/config': 'config', '/etc/vigil/alerting': 'alerting', '/etc/vigil/rules': 'rules', '/var/lib/vigil': 'data' });
    expect(sts.spec.volumeClaimTemplates.map((v) => v.metadata.name)).toEqual(['data']);

    const alerting = checkAlertingConfig('/etc/vigil/alerting/alerting.yaml', data(one(standalone, 'ConfigMap', 'vigil-alerting'))['alerting.yaml']!);
    expect(alerting.errors).toEqual([]);
    expect(alerting.warnings).toEqual([]);

    // The rules ConfigMap as the pod sees it: one file per key, loaded through the same glob.
    const rulesDir = mkdtempSync(join(dir, 'rules-'));
    for (const [name, text] of Object.entries(data(one(standalone, 'ConfigMap', 'vigil-rules')))) writeFileSync(join(rulesDir, name), text);
    const { ruleSet, files } = loadRuleFiles([join(rulesDir, '*.yaml')], { cwd: rulesDir, allowEmptyGlob: false });
    expect(files).toHaveLength(16);
    expect(ruleSet.groups.length + compileSLOs(ruleSet.slos).length).toBeGreaterThan(10);
  });
});

describe('deploy/base/rules', () => {
  it('is the default rule pack, file for file (a copy kustomize can read)', () => {
    const pack = (sub: string) =>
      readdirSync(join('rules/packs', sub))
        .filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'))
        .map((f) => [`${sub}-${f}`, readFileSync(join('rules/packs', sub, f), 'utf8')] as const);
    const expected = Object.fromEntries([...pack('sources'), ...pack('ai-platform')]);
    const copied = Object.fromEntries(readdirSync('deploy/base/rules').map((f) => [basename(f), readFileSync(join('deploy/base/rules', f), 'utf8')]));
    expect(Object.keys(copied).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, text] of Object.entries(expected)) expect(copied[name], `deploy/base/rules/${name} differs from the pack: copy it again`).toBe(text);
    const listed = readFileSync('deploy/base/kustomization.yaml', 'utf8');
    for (const name of Object.keys(expected)) expect(listed).toContain(`rules/${name}`);
  });
});
