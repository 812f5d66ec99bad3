import { describe, expect, it } from 'vitest';
import { vigilCli } from '../support/cli.js';

describe('vigil dashboards command line', () => {
  it('is listed by vigil --help and documents every form with --help', async () => {
    expect((await vigilCli(['--help'])).stdout).toMatch(/\n {2}dashboards +build Grafana dashboards/);
    for (const args of [['dashboards', '--help'], ['dashboards', 'lint', '--help'], ['dashboards', 'push', '-h']]) {
      const r = await vigilCli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: vigil dashboards --rules PATH... --out DIR [--format json|configmap|provisioning|v2]');
      expect(r.stdout).toContain('Usage: vigil dashboards lint [--schema] [--json] FILE|DIR...');
      expect(r.stdout).toContain('Usage: vigil dashboards push --grafana-url URL');
    }
  });

  it('exits 2 on a wrong command line, naming the problem', async () => {
    const cases: [string[], string][] = [
      [['dashboards'], '--rules PATH is required'],
      [['dashboards', '--rules', 'rules/packs/ai-platform'], '--out DIR is required'],
      [['dashboards', '--rules', 'rules/packs/ai-platform', '--out', '/tmp/x', '--format', 'yaml'], '--format must be one of json, configmap, provisioning, v2, got "yaml"'],
      [['dashboards', 'lint', '--out', 'x', 'a.json'], "--out is not a flag of 'vigil dashboards lint'"],
      [['dashboards', '--grafana-url', 'http://x', '--rules', 'r', '--out', 'o'], "--grafana-url is not a flag of 'vigil dashboards'"],
      [['dashboards', '--nope'], "Unknown option '--nope'"],
    ];
    for (const [args, message] of cases) {
      const r = await vigilCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });

  it('exits 1 with file:line errors when a rule file is broken', async () => {
    const r = await vigilCli(['dashboards', '--rules', 'test/fixtures/dashboards/broken-slo.yaml', '--out', '/nonexistent/never-written']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken-slo\.yaml:\d+:\d+: .*objective/);
    expect(r.stderr).toContain('in the rule files; nothing done');
  });
});
