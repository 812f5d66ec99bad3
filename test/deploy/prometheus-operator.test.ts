import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { isRemoteStorage, parseConfig } from '../../cli/config.js';
import { runCommand, type IO } from '../../cli/command.js';
import { bundleCommand } from '../../cli/commands/bundle.js';
import { compileCommand } from '../../cli/commands/compile.js';
import { buildDashboards } from '../../dashboards/catalog.js';
import { checkRuleFiles } from '../../rules/load/loader.js';
import { checkRules } from '../rules/output/promtool.js';
import { kustomize, one, validateObject, type K8sObject } from '../support/kustomize.js';
import { expectGuardrails } from './guardrails.js';

// deploy/overlays/prometheus-operator rendered by `kubectl kustomize`: every object validates
// against kubernetes-models (PrometheusRule and ServiceMonitor from @kubernetes-models/
// prometheus-operator), the guardrails hold, the PrometheusRules are exactly what `vigil compile
// --format prometheusrule` writes and pass promtool 2.42's `check rules`, vigil runs in remote
// mode, and generated/ is what `vigil bundle` writes today (STYLE 17).

const OVERLAY = 'deploy/overlays/prometheus-operator';
const PACKS = ['rules/packs/sources', 'rules/packs/ai-platform'];
const dir = mkdtempSync(join(tmpdir(), 'vigil-operator-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const objects = kustomize(OVERLAY);
const rules = objects.filter((o) => o.kind === 'PrometheusRule') as (K8sObject & { spec: { groups: unknown[] } })[];

function quietIO(): IO & { err: () => string } {
  let err = '';
  return { stdout: () => {}, stderr: (s: string) => void (err += s), readStdin: () => Promise.resolve(''), err: () => err };
}

function walk(d: string): string[] {
  return readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
}

describe('deploy/overlays/prometheus-operator', () => {
  it('renders objects that each validate against their kubernetes-models schema, with the guardrails', () => {
    for (const o of objects) validateObject(o);
    expectGuardrails(objects);
    expect(objects.filter((o) => o.kind === 'ServiceMonitor')).toHaveLength(1);
    const sm = one(objects, 'ServiceMonitor') as unknown as { spec: { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string }[] } };
    const svc = one(objects, 'Service', 'vigil') as unknown as { metadata: { labels: Record<string, string> }; spec: { ports: { name: string }[] } };
    expect(svc.metadata.labels).toMatchObject(sm.spec.selector.matchLabels);
    expect(sm.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s' }]);
    expect(svc.spec.ports.map((p) => p.name)).toContain('http');
  });

  it('carries exactly the rules vigil compile --format prometheusrule writes for the default pack', async () => {
    const out = join(dir, 'compiled');
    const io = quietIO();
    expect(await runCommand(compileCommand, ['--out', out, '--format', 'prometheusrule', ...PACKS], io), io.err()).toBe(0);
    const compiled = Object.fromEntries(
      readdirSync(out).map((f) => {
        const r = parse(readFileSync(join(out, f), 'utf8')) as { metadata: { name: string }; spec: { groups: unknown[] } };
        return [r.metadata.name, r.spec.groups];
      }),
    );
    expect(Object.keys(compiled).length).toBeGreaterThan(10);
    expect(Object.fromEntries(rules.map((r) => [r.metadata.name, r.spec.groups]))).toEqual(compiled);
  });

  it('its PrometheusRules pass promtool check rules once extracted', () => {
    const files = rules.map((r) => {
      const f = join(dir, `${r.metadata.name}.rules.yml`);
      writeFileSync(f, JSON.stringify({ groups: r.spec.groups }));
      return f;
    });
    expect(files.length).toBe(16);
    checkRules(files);
  });

  it('runs vigil in remote mode against the Operator\'s Prometheus, with no scraping and no rules of its own', () => {
    const cm = one(objects, 'ConfigMap', 'vigil-config') as unknown as { data: Record<string, string> };
    const config = parseConfig('/etc/vigil/config/vigil.yaml', cm.data['vigil.yaml']!);
    expect(isRemoteStorage(config.storage) && config.storage.remote.url).toBe('http://prometheus-operated.monitoring.svc:9090');
    expect(config.storage.path).toBe('/var/lib/vigil');
    expect(config.scrapeConfigs).toEqual([]);
    expect(config.ruleFiles).toEqual([]);
    expect(config.alertingConfigFile).toBe('/etc/vigil/alerting/alerting.yaml');
  });

  it('ships one Grafana-sidecar ConfigMap per dashboard vigil dashboards builds from the pack', () => {
    const dashboards = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.['grafana_dashboard'] === '1');
    const { ruleSet } = checkRuleFiles(PACKS);
    expect(dashboards.map((d) => d.metadata.name).sort()).toEqual(buildDashboards(ruleSet.slos).map((d) => `grafana-dashboard-${d.uid}`).sort());
  });

  it('generated/ is what vigil bundle writes today', async () => {
    const out = join(dir, 'bundle');
    const io = quietIO();
    expect(await runCommand(bundleCommand, [...PACKS.flatMap((p) => ['--rules', p]), '--out', out], io), io.err()).toBe(0);
    const committed = join(OVERLAY, 'generated');
    const files = (d: string) => walk(d).map((f) => relative(d, f)).sort();
    expect(files(committed)).toEqual(files(out));
    for (const f of files(out)) {
      expect(readFileSync(join(committed, f), 'utf8'), `${f} differs: run vigil bundle ${PACKS.map((p) => `--rules ${p}`).join(' ')} --out ${committed}`).toBe(readFileSync(join(out, f), 'utf8'));
    }
  });
});
