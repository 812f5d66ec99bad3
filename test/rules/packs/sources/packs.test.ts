import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SOURCE_PACKS, sourcePackDir, sourcePackPaths } from '../../../../rules/packs/index.js';
import { loadRuleFiles } from '../../../../rules/load/loader.js';
import type { RecordingRule } from '../../../../rules/model.js';
import { vigilCli } from '../../../support/cli.js';
import { checkRules, promtoolVersion, testRules } from '../../output/promtool.js';

// The source packs as files: each loads in vigil without an error or a warning, compiles for
// Prometheus, passes `promtool check rules` as written and as compiled, and its unit tests
// (<pack>.test.yml next to this file) pass on vigil's engine and on promtool 2.42 alike.

const testDir = fileURLToPath(new URL('.', import.meta.url));
const packs = sourcePackPaths();
const testFile = (pack: string) => join(testDir, `${basename(pack, '.yaml')}.test.yml`);
const out = mkdtempSync(join(tmpdir(), 'vigil-packs-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** recordsOf lists a pack's recording rules: record, expr and labels, in file order. */
function recordsOf(file: string): { record: string; expr: string; labels: Record<string, string> }[] {
  return loadRuleFiles([file]).ruleSet.groups.flatMap((g) =>
    g.rules.filter((r): r is RecordingRule => r.kind === 'recording').map((r) => ({ record: r.record, expr: r.expr, labels: { ...r.labels } })),
  );
}

describe('source packs', () => {
  it('SOURCE_PACKS lists exactly the YAML files of rules/packs/sources', () => {
    const files = readdirSync(sourcePackDir()).filter((f) => f.endsWith('.yaml'));
    expect(SOURCE_PACKS.map((p) => p.file).sort()).toEqual(files.sort());
  });

  it('vigil check: no errors and no warnings, each pack alone and all together', async () => {
    for (const pack of packs) {
      const res = await vigilCli(['check', pack]);
      // The summary is the only line: a warning or an error would come before it.
      expect({ pack, code: res.code, stdout: res.stdout }).toEqual({ pack, code: 0, stdout: '' });
      expect(res.stderr).toMatch(/^checked 1 file: 1 group, \d+ rules?, 0 SLOs; 0 errors, 0 warnings\n$/);
    }
    const all = await vigilCli(['check', '--json', ...packs]);
    expect(all.code).toBe(0);
    const report = JSON.parse(all.stdout) as { errors: unknown[]; warnings: unknown[] };
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('every rule is a recording rule of an ai: series, once per pack', () => {
    for (const pack of packs) {
      const records = recordsOf(pack).map((r) => r.record);
      expect(records.length, pack).toBeGreaterThan(0);
      for (const r of records) expect(r, pack).toMatch(/^ai:[a-z0-9_]+(:[a-z0-9_]+)?$/);
      expect(new Set(records).size, pack).toBe(records.length);
    }
  });

  it(`promtool ${promtoolVersion()} check rules accepts every pack as written`, () => {
    checkRules(packs);
  });

  it('vigil compile writes the same rules for Prometheus, which promtool accepts, and as PrometheusRule resources', async () => {
    const prom = join(out, 'prometheus');
    const res = await vigilCli(['compile', '--out', prom, ...packs]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const compiled = packs.map((p) => join(prom, `${basename(p, '.yaml')}.rules.yml`));
    checkRules(compiled);
    packs.forEach((p, i) => expect(recordsOf(compiled[i]!)).toEqual(recordsOf(p)));

    const crd = join(out, 'prometheusrule');
    const res2 = await vigilCli(['compile', '--format', 'prometheusrule', '--out', crd, ...packs]);
    expect(res2.code).toBe(0);
    for (const f of readdirSync(crd)) {
      const doc = parse(readFileSync(join(crd, f), 'utf8')) as { kind: string; spec: { groups: { rules: unknown[] }[] } };
      expect(doc.kind).toBe('PrometheusRule');
      expect(doc.spec.groups[0]!.rules.length).toBeGreaterThan(0);
    }
    expect(readdirSync(crd)).toHaveLength(packs.length);
  });
});

describe('source pack unit tests', () => {
  it('every pack has a unit-test file that asserts on every series the pack records', () => {
    for (const pack of packs) {
      const tests = parse(readFileSync(testFile(pack), 'utf8')) as {
        rule_files: string[];
        tests: { promql_expr_test: { expr: string; exp_samples: unknown[] }[] }[];
      };
      expect(tests.rule_files).toEqual([`../../../../rules/packs/sources/${basename(pack)}`]);
      const asserted = new Set(tests.tests.flatMap((t) => t.promql_expr_test.filter((e) => e.exp_samples.length > 0).map((e) => e.expr)));
      for (const { record } of recordsOf(pack)) expect(asserted.has(record), `${basename(testFile(pack))} asserts on ${record}`).toBe(true);
    }
  });

  it('pass on vigil’s engine (vigil test)', async () => {
    const res = await vigilCli(['test', ...packs.map(testFile)]);
    expect(res.stderr).toBe('');
    expect(res.stdout).toContain(`${packs.length} test groups passed, 0 failed, 0 skipped in ${packs.length} files\n`);
    expect(res.code).toBe(0);
  });

  it(`pass on promtool ${promtoolVersion()} (promtool test rules)`, () => {
    for (const pack of packs) {
      const r = testRules([basename(testFile(pack))], testDir);
      expect({ file: basename(testFile(pack)), code: r.code, output: r.output }).toEqual({
        file: basename(testFile(pack)),
        code: 0,
        output: `Unit Testing:  ${basename(testFile(pack))}\n  SUCCESS\n\n`,
      });
    }
  });

  it('fail on both when a pack maps a series wrongly', async () => {
    // The vLLM test file against a pack whose error rule counts aborts as errors.
    const dir = join(out, 'broken', 'a', 'b', 'c', 'd');
    const rulesDir = join(out, 'broken', 'rules', 'packs', 'sources');
    mkdirSync(dir, { recursive: true });
    mkdirSync(rulesDir, { recursive: true });
    const vllm = readFileSync(join(sourcePackDir(), 'vllm.yaml'), 'utf8');
    const broken = vllm.replace('{finished_reason="error"}', '{finished_reason=~"error|abort"}');
    expect(broken).not.toBe(vllm);
    writeFileSync(join(rulesDir, 'vllm.yaml'), broken);
    writeFileSync(join(dir, 'vllm.test.yml'), readFileSync(testFile('vllm.yaml'), 'utf8'));
    const res = await vigilCli(['test', join(dir, 'vllm.test.yml')]);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('expr: "ai:request_errors:rate5m", time: 10m');
    const p = testRules(['vllm.test.yml'], dir);
    expect(p.code).toBe(1);
    expect(p.output).toContain('expr: "ai:request_errors:rate5m", time: 10m');
  });
});
