import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { startVigilProcess, type VigilProcess } from '../support/vigil-process.js';
import { waitFor } from '../support/wait.js';

// `vigil run` (the compiled build, as a child process) with a config whose storage is remote: it
// starts with no embedded store, evaluates a recording rule through a real Prometheus 2.42 and
// remote-writes the result there; with Prometheus stopped, the failures show on /metrics and on
// the rule. The bearer token comes from an environment variable and never reaches the logs.

const dir = mkdtempSync(join(tmpdir(), 'vigil-remote-run-'));
let prom: PrometheusServer | undefined;
let vigil: VigilProcess | undefined;
const TOKEN = 'tok-3f9a-never-logged';

/** until waits up to 30 s for `check`, failing with vigil's logs. */
const until = <T>(what: string, check: () => Promise<T | undefined>): Promise<T> => waitFor(what, 30_000, check, () => vigil?.logs() ?? '');

afterAll(async () => {
  if (vigil !== undefined && vigil.child.exitCode === null) {
    vigil.child.kill('SIGTERM');
    await vigil.exited;
  }
  await prom?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('vigil run with storage.remote', () => {
  it('evaluates through Prometheus, writes back, and reports failed evaluations when Prometheus stops', async () => {
    prom = await startPrometheus('global: {}\n', { args: ['--web.enable-remote-write-receiver'] });
    writeFileSync(join(dir, 'rules.yaml'), 'groups:\n  - name: remote\n    rules:\n      - record: vigil_test:answer\n        expr: vector(42)\n');
    writeFileSync(
      join(dir, 'vigil.yaml'),
      `global:\n  evaluation_interval: 1s\nrule_files: [rules.yaml]\nstorage:\n  remote:\n    url: ${prom.url}\n    write_url: ${prom.url}/api/v1/write\n    bearer_token_env: PROM_TOKEN\n    timeout: 2s\n    retries: 0\n`,
    );
    process.env['PROM_TOKEN'] = TOKEN;
    try {
      vigil = await startVigilProcess(join(dir, 'vigil.yaml'));
    } finally {
      delete process.env['PROM_TOKEN'];
    }
    const url = vigil.url;
    const written = await until('the recorded series in Prometheus', async () => {
      const r = await prom!.api<{ result: { value: [number, string] }[] }>('/api/v1/query', { query: 'vigil_test:answer' });
      return r.result[0]?.value[1];
    });
    expect(written).toBe('42');
    // The query API answers 503: vigil holds no samples in remote mode.
    expect((await fetch(`${url}/api/v1/query?query=up`)).status).toBe(503);

    await prom.stop();
    prom = undefined;
    const failures = await until('failed evaluations on /metrics', async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      const n = Number(/^vigil_rule_evaluation_failures_total\{[^}]*\} (\S+)$/m.exec(text)?.[1] ?? 0);
      return n > 0 ? n : undefined;
    });
    expect(failures).toBeGreaterThan(0);
    const rules = (await (await fetch(`${url}/api/v1/rules`)).json()) as { data: { groups: { rules: { health: string; lastError?: string }[] }[] } };
    expect(rules.data.groups[0]!.rules[0]!.health).toBe('err');
    expect(rules.data.groups[0]!.rules[0]!.lastError).toMatch(/ECONNREFUSED/);

    vigil.child.kill('SIGTERM');
    expect(await vigil.exited).toBe(0);
    expect(vigil.logs()).toContain('evaluating rules against a remote store');
    expect(vigil.logs()).not.toContain(TOKEN);
  }, 90_000);

  it('--storage remote --storage.remote.url runs the same config against Prometheus from the command line', async () => {
    prom = await startPrometheus('global: {}\n');
    writeFileSync(join(dir, 'rules.yaml'), 'groups:\n  - name: remote\n    rules:\n      - alert: PrometheusAnswers\n        expr: vector(1)\n');
    // No storage section: on its own this config would run the embedded store.
    writeFileSync(join(dir, 'plain.yaml'), 'global:\n  evaluation_interval: 1s\nrule_files: [rules.yaml]\n');
    vigil = await startVigilProcess(join(dir, 'plain.yaml'), ['--storage', 'remote', '--storage.remote.url', prom.url]);
    const url = vigil.url;
    const health = await until('the rule evaluated through Prometheus', async () => {
      const r = (await (await fetch(`${url}/api/v1/rules`)).json()) as { data: { groups: { rules: { health: string; state?: string }[] }[] } };
      const rule = r.data.groups[0]?.rules[0];
      return rule?.state === 'firing' ? rule.health : undefined;
    });
    expect(health).toBe('ok');
    expect((await fetch(`${url}/api/v1/query?query=up`)).status).toBe(503);
    vigil.child.kill('SIGTERM');
    expect(await vigil.exited).toBe(0);
    expect(vigil.logs()).toContain('evaluating rules against a remote store');
  }, 90_000);
});
