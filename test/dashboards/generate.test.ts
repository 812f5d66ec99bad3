import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDashboards } from '../../dashboards/catalog.js';
import { lintDashboard } from '../../dashboards/lint/lint.js';
import { FORMATS } from '../../dashboards/output/files.js';
import { dashboardSchemaText, SCHEMA_FILE } from '../../dashboards/schema/generate.js';
import { validateDashboardSchema } from '../../dashboards/schema/validate.js';
import { loadRuleFiles } from '../../rules/load/loader.js';
import { vigilCli } from '../support/cli.js';

const RULES = 'rules/packs/ai-platform';
const EXAMPLES = 'examples/dashboards';
const out = mkdtempSync(join(tmpdir(), 'vigil-dashboards-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function files(dir: string): string[] {
  const all: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else all.push(relative(dir, p));
    }
  };
  walk(dir);
  return all;
}

const slos = loadRuleFiles([join(RULES, 'slos.yaml')]).ruleSet.slos;
const dashboards = buildDashboards(slos);

describe('vigil dashboards', () => {
  it('builds the five platform dashboards, the SLO overview and one dashboard per SLO', () => {
    expect(slos.length).toBe(4);
    expect(dashboards.map((d) => d.uid)).toEqual([
      'vigil-ai-platform-overview',
      'vigil-model-serving',
      'vigil-gpu-fleet',
      'vigil-queues',
      'vigil-cost',
      'vigil-slo-overview',
      'slo-ai-inference-availability',
      'slo-ai-inference-latency',
      'slo-ai-inference-time-to-first-token',
      'slo-ai-queues-freshness',
    ]);
  });

  it.each(FORMATS)('regenerates examples/dashboards/%s byte for byte', async (format) => {
    const dir = join(out, format);
    const r = await vigilCli(['dashboards', '--rules', RULES, '--out', dir, '--format', format]);
    expect(r.stderr).toContain('writing [1/');
    expect(r.code).toBe(0);
    const want = files(join(EXAMPLES, format));
    expect(files(dir)).toEqual(want);
    for (const f of want) expect(readFileSync(join(dir, f), 'utf8'), `${format}/${f} differs from the committed example; regenerate examples/dashboards`).toBe(readFileSync(join(EXAMPLES, format, f), 'utf8'));
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))('%s passes the lint and the @grafana/schema Dashboard schema', (_uid, d) => {
    const json = JSON.parse(JSON.stringify(d.json)) as Record<string, unknown>;
    expect(lintDashboard(json)).toEqual([]);
    expect(validateDashboardSchema(json)).toEqual([]);
  });

  it('lints the committed examples clean through the command line', async () => {
    const r = await vigilCli(['dashboards', 'lint', '--schema', join(EXAMPLES, 'json'), join(EXAMPLES, 'provisioning')]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('20 dashboards, 0 findings');
    expect(r.code).toBe(0);
  });

  it('the v2 resources hold every classic panel, query and grid position', () => {
    for (const d of dashboards) {
      const v2 = JSON.parse(readFileSync(join(EXAMPLES, 'v2', `${d.uid}.v2.json`), 'utf8')) as {
        apiVersion: string;
        kind: string;
        metadata: { name: string };
        spec: { elements: Record<string, { spec: { data: { spec: { queries: { spec: { query: { spec: { expr: string } } } }[] } } } }>; layout: { spec: { rows: { spec: { layout: { spec: { items: { spec: { element: { name: string }; y: number } }[] } } } }[] } } };
      };
      expect([v2.apiVersion, v2.kind, v2.metadata.name]).toEqual(['dashboard.grafana.app/v2', 'Dashboard', d.uid]);
      const classicPanels = (d.json.panels ?? []).filter((p) => p.type !== 'row');
      expect(Object.keys(v2.spec.elements)).toHaveLength(classicPanels.length);
      const exprs = Object.values(v2.spec.elements).flatMap((e) => e.spec.data.spec.queries.map((q) => q.spec.query.spec.expr));
      expect(exprs).toEqual(classicPanels.flatMap((p) => ((p as { targets?: { expr: string }[] }).targets ?? []).map((t) => t.expr)));
      const items = v2.spec.layout.spec.rows.flatMap((r) => r.spec.layout.spec.items);
      expect(items.map((i) => i.spec.element.name).sort()).toEqual(Object.keys(v2.spec.elements).sort());
      expect(items.every((i) => i.spec.y >= 0)).toBe(true);
    }
  });

  it('the committed JSON Schema is what @grafana/schema generates now', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(dashboardSchemaText());
  });

  it('the schema catches what the reference found: a string schemaVersion and a string gridPos.h', () => {
    const bad = JSON.parse(JSON.stringify(dashboards[0]!.json)) as { schemaVersion: unknown; panels: { gridPos: { h: unknown } }[] };
    bad.schemaVersion = '42';
    bad.panels[1]!.gridPos.h = '8';
    const paths = validateDashboardSchema(bad).map((p) => p.path);
    expect(paths).toContain('/schemaVersion');
    expect(paths).toContain('/panels/1/gridPos/h');
  });

  it('ConfigMaps carry the sidecar label and the folder annotation', () => {
    const text = readFileSync(join(EXAMPLES, 'configmap', 'vigil-slo-overview.configmap.yaml'), 'utf8');
    expect(text).toContain('grafana_dashboard: "1"');
    expect(text).toContain('grafana_folder: SLOs');
    expect(text).toContain('vigil-slo-overview.json: |');
  });
});
