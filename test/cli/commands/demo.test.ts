import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { vigilCli } from '../../support/cli.js';

// `vigil demo` in process: its command line, and --replay of a short scenario through the rule
// packs (rules/packs/sources and rules/packs/ai-platform). The live demo runs as a child process
// in test/e2e/demo.test.ts.

const dir = mkdtempSync(join(tmpdir(), 'vigil-demo-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * ROLLOUT_NOW: llama-3-70b v2 takes half the traffic from the first second, failing 3% of requests
 * (v1: 0.2%) and 2.5 times slower, and is rolled back at 12 minutes.
 */
const ROLLOUT_NOW = `name: rollout-now
description: llama-3-70b v2 is bad from the start, rolled back after 12 minutes.
seed: 5
duration: 25m
phases:
  - name: bad-rollout
    at: 0s
    set:
      models:
        llama-3-70b:
          v1: {request_rate: 3, error_ratio: 0.002}
          v2: {request_rate: 3, error_ratio: 0.03, latency_multiplier: 2.5}
  - name: rollback
    at: 12m
    set:
      models:
        llama-3-70b:
          v2: {request_rate: 0.5, error_ratio: 0.002, latency_multiplier: 1}
`;

function scenarioFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('vigil demo', () => {
  it('rejects a wrong command line with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--json'], /--json applies to --replay only/],
      [['--speed', '0'], /--speed: expected a number above 0 and at most 240, got "0"/],
      [['--speed', 'fast'], /--speed: expected a number/],
      [['--speed', '1000'], /at most 240/],
      [['--listen', 'localhost'], /--listen: expected HOST:PORT/],
      [['--log-level', 'loud'], /invalid --log-level "loud"/],
      [['--replay', '--speed', '10'], /--speed applies to the live demo only/],
      [['--replay', '--data', dir], /--data applies to the live demo only/],
      [['extra'], /./],
    ];
    for (const [args, message] of cases) {
      const res = await vigilCli(['demo', ...args]);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr, args.join(' ')).toMatch(message);
      expect(res.stderr).toContain("Run 'vigil demo --help'");
    }
  });

  it('reports an invalid scenario with file:line:column, exit 1', async () => {
    const file = scenarioFile('broken.yaml', 'name: broken\nphases:\n  - name: a\n    at: soon\n');
    for (const args of [['--replay'], []]) {
      const res = await vigilCli(['demo', ...args, '--scenario', file]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`vigil demo: invalid scenario:\n${file}:4:9: phases[0].at:`);
    }
    const missing = await vigilCli(['demo', '--replay', '--scenario', join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`vigil demo: cannot read scenario ${join(dir, 'nope.yaml')}: ENOENT\n`);
  });

  it('refuses a --data directory that is not empty, before starting anything', async () => {
    const data = join(dir, 'used');
    mkdirSync(data);
    writeFileSync(join(data, 'vigil.yaml'), '');
    const res = await vigilCli(['demo', '--scenario', scenarioFile('ok.yaml', ROLLOUT_NOW), '--data', data]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^vigil demo: --data .* is not empty: each run needs a fresh directory/);
    expect(res.stdout).toBe('');
  });

  it('--replay prints when each alert fired and resolved, with severity, namespace, model and phase', async () => {
    const file = scenarioFile('rollout-now.yaml', ROLLOUT_NOW);
    const text = await vigilCli(['demo', '--replay', '--scenario', file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Replay of scenario rollout-now \(25m\): scraped every 15s, \d+ rule groups evaluated at their own interval or every 15s; \d+ alert firings\.\n/);
    // rules/packs/ai-platform/bad-rollout.yaml: v2 fails over twice as often as v1 for 5 minutes.
    const row = /^ {2}(\d+)s +(\d+)s +ModelVersionErrorRegression\{version=v2\} +page +inference +llama-3-70b +bad-rollout → rollback$/m.exec(text.stdout);
    expect(row, text.stdout).not.toBeNull();
    const [fired, resolved] = [Number(row![1]), Number(row![2])];
    expect(fired).toBeGreaterThanOrEqual(300);
    expect(fired).toBeLessThan(720);
    expect(resolved).toBeGreaterThan(720);
    expect(text.stdout).toContain('Phases:\n  0s      bad-rollout\n  720s    rollback\n');
    expect(text.stderr).toContain('vigil demo: rollout-now: simulating scrapes 100% (101 of 101 scrapes)');
    expect(text.stderr).toContain('vigil demo: rollout-now: evaluating rules 100% (25m of 25m)');

    const json = await vigilCli(['demo', '--replay', '--json', '--scenario', file]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { scenario: string; durationSeconds: number; phases: unknown; alerts: Record<string, unknown>[]; ruleErrors: unknown[] };
    expect(report).toMatchObject({ scenario: 'rollout-now', durationSeconds: 1500, phases: [{ name: 'bad-rollout', atSeconds: 0 }, { name: 'rollback', atSeconds: 720 }], ruleErrors: [] });
    expect(report.alerts).toContainEqual({
      alertname: 'ModelVersionErrorRegression',
      labels: { alertname: 'ModelVersionErrorRegression', model: 'llama-3-70b', namespace: 'inference', severity: 'page', team: 'ml-serving', version: 'v2' },
      severity: 'page',
      namespace: 'inference',
      model: 'llama-3-70b',
      firedAtSeconds: fired,
      resolvedAtSeconds: resolved,
      phaseAtFiring: 'bad-rollout',
      phaseAtResolve: 'rollback',
    });
    const times = report.alerts.map((a) => a.firedAtSeconds as number);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
