import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRuleFiles } from '../../../rules/load/loader.js';
import { vigilCli } from '../../support/cli.js';
import { checkRules, testRules } from '../../rules/output/promtool.js';

const EXAMPLES = 'examples/rules';
const COMPILED = 'examples/compiled';
const dir = mkdtempSync(join(tmpdir(), 'vigil-compile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files = (d: string): string[] => readdirSync(d).sort();

describe('vigil compile', () => {
  // STYLE 17: the compiled examples are committed; regenerating them must give the same bytes.
  it.each([
    ['prometheus', ['--with-tests']],
    ['prometheusrule', ['--format', 'prometheusrule']],
  ])('regenerates examples/compiled/%s byte for byte', async (format, flags) => {
    const out = join(dir, `drift-${format}`);
    const res = await vigilCli(['compile', '--out', out, ...flags, EXAMPLES]);
    expect(res.code, res.stderr).toBe(0);
    expect(files(out)).toEqual(files(join(COMPILED, format)));
    for (const f of files(out)) {
      expect(readFileSync(join(out, f), 'utf8'), `${f} differs: run vigil compile --out ${COMPILED}/${format} ${flags.join(' ')} ${EXAMPLES}`).toBe(
        readFileSync(join(COMPILED, format, f), 'utf8'),
      );
    }
  });

  it('writes rule files that pass promtool check rules, and generated tests that pass promtool test rules', () => {
    const dirp = join(COMPILED, 'prometheus');
    const rules = files(dirp).filter((f) => f.endsWith('.rules.yml'));
    const tests = files(dirp).filter((f) => f.endsWith('.test.yml'));
    expect(rules).toEqual(['queue-freshness.rules.yml', 'vigil-self.rules.yml', 'vllm-availability.rules.yml', 'vllm-ttft.rules.yml']);
    expect(tests).toEqual(['vllm-availability.test.yml', 'vllm-ttft.test.yml']);
    checkRules(rules.map((f) => join(dirp, f)));
    const r = testRules(tests.map((f) => join(dirp, f)));
    expect(r.output.match(/SUCCESS/g)).toHaveLength(tests.length);
    expect(r.code).toBe(0);
  });

  it('writes PrometheusRule resources holding the same groups as the rule files', () => {
    for (const stem of ['queue-freshness', 'vigil-self', 'vllm-availability', 'vllm-ttft']) {
      const strip = (p: string) => loadRuleFiles([p]).ruleSet.groups.map(({ source: _s, ...g }) => ({ ...g, rules: g.rules.map(({ source: _r, ...r }) => r) }));
      expect(strip(join(COMPILED, 'prometheusrule', `${stem}.prometheusrule.yaml`))).toEqual(strip(join(COMPILED, 'prometheus', `${stem}.rules.yml`)));
    }
  });

  it('prints what it wrote, or JSON with --json', async () => {
    const out = join(dir, 'json');
    const text = await vigilCli(['compile', '--out', out, `${EXAMPLES}/vllm-ttft.yaml`]);
    expect(text.stdout).toBe(`wrote ${out}/vllm-ttft.rules.yml (1 SLO, 1 group, 22 rules) from ${EXAMPLES}/vllm-ttft.yaml\n`);
    const res = await vigilCli(['compile', '--out', out, '--with-tests', '--json', `${EXAMPLES}/vllm-ttft.yaml`, `${EXAMPLES}/queue-freshness.yaml`]);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({
      files: [
        { input: `${EXAMPLES}/vllm-ttft.yaml`, output: `${out}/vllm-ttft.rules.yml`, slos: 1, groups: 1, rules: 22, tests: { file: `${out}/vllm-ttft.test.yml`, count: 2, skipped: [] } },
        { input: `${EXAMPLES}/queue-freshness.yaml`, output: `${out}/queue-freshness.rules.yml`, slos: 1, groups: 1, rules: 15 },
      ],
      warnings: [],
    });
    expect(res.stderr).toBe(
      `no test for SLO embeddings-queue/embeddings-freshness in ${EXAMPLES}/queue-freshness.yaml: its SLI is a raw query, which vigil cannot feed synthetic series\n`,
    );
  });

  it('passes plain rule groups through alongside the SLO groups', async () => {
    const src = join(dir, 'mixed.yaml');
    writeFileSync(
      src,
      `apiVersion: vigil/v1
kind: RecordingRule
metadata:
  name: targets up per job
spec:
  group: basics
  record: job:up:sum
  expr: sum by (job) (up)
---
apiVersion: vigil/v1
kind: SLO
metadata:
  name: api
spec:
  service: web
  objective: 99
  sli:
    events:
      error: http_requests_total{code=~"5.."}
      total: http_requests_total
`,
    );
    const out = join(dir, 'mixed-out');
    const res = await vigilCli(['compile', '--out', out, src]);
    expect(res.code, res.stderr).toBe(0);
    const text = readFileSync(join(out, 'mixed.rules.yml'), 'utf8');
    expect([...text.matchAll(/^- name: (.*)$/gm)].map((m) => m[1])).toEqual(['basics', 'slo:web:api']);
    checkRules([join(out, 'mixed.rules.yml')]);
  });

  it('exits 1 and writes nothing when a file has errors, listing them with file:line:column', async () => {
    const src = join(dir, 'broken.yaml');
    writeFileSync(src, 'apiVersion: vigil/v1\nkind: SLO\nmetadata:\n  name: x\nspec:\n  service: s\n  objective: 99.9\n  sli:\n    events:\n      error: up{\n      total: up\n');
    const out = join(dir, 'never');
    const res = await vigilCli(['compile', '--out', out, src]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(`${src}:10:17: spec.sli.events.error: could not parse expression: 1:4: parse error: unexpected end of input inside braces\ncompile: 1 error; nothing written\n`);
    expect(() => readdirSync(out)).toThrow();
  });

  it('exits 1 when two files define the same SLO', async () => {
    const res = await vigilCli(['compile', '--out', join(dir, 'dup'), `${EXAMPLES}/vllm-ttft.yaml`, `${COMPILED}/../rules/vllm-ttft.yaml`]);
    // The same file named twice is read once.
    expect(res.code).toBe(0);
    const copy = join(dir, 'copy.yaml');
    writeFileSync(copy, readFileSync(`${EXAMPLES}/vllm-ttft.yaml`));
    const dup = await vigilCli(['compile', '--out', join(dir, 'dup'), `${EXAMPLES}/vllm-ttft.yaml`, copy]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toBe(
      `compile: SLO "vllm-ttft" of service "vllm" is defined twice at ${EXAMPLES}/vllm-ttft.yaml:4:1 and ${copy}:4:1; both would record the same series\n`,
    );
  });

  it('exits 2 on a wrong command line', async () => {
    for (const [args, message] of [
      [['compile', EXAMPLES], '--out DIR is required'],
      [['compile', '--out', dir], 'expected at least one PATH'],
      [['compile', '--out', dir, '--format', 'sloth', EXAMPLES], '--format must be one of prometheus, prometheusrule, got "sloth"'],
      [['compile', '--out', dir, '--format', 'prometheusrule', '--with-tests', EXAMPLES], '--with-tests needs --format prometheus'],
    ] as const) {
      const res = await vigilCli([...args]);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toContain(message);
    }
  });
});
