import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startVigilProcess } from '../support/vigil-process.js';

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface APIAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
  value: string;
}

const RULES = `groups:
  - name: demo
    interval: 1s
    rules:
      - record: demo:answer
        expr: vector(42)
      - alert: AlwaysFiring
        expr: demo:answer > 40
        labels:
          severity: page
        annotations:
          summary: 'the answer is {{ $value }}'
`;

describe('`vigil run` evaluates rule files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an alert reaches the log and /api/v1/alerts; SIGHUP reloads rules and keeps them when a file is broken', async () => {
    const config = join(dir, 'vigil.yaml');
    const rules = join(dir, 'rules.yaml');
    writeFileSync(rules, RULES);
    writeFileSync(config, `global:\n  evaluation_interval: 1s\n  external_labels: {cluster: test}\nrule_files: [rules.yaml]\nstorage: {embedded: {path: data}}\n`);
    const vigil = await startVigilProcess(config);
    try {
      await until(() => /"msg":"alert firing"/.test(vigil.logs()), 'the alert in the log');
      const line = vigil.logs().split('\n').find((l) => l.includes('"alert firing"'))!;
      const logged = JSON.parse(line) as { alertname: string; labels: Record<string, string>; annotations: Record<string, string>; generatorURL: string };
      expect(logged.alertname).toBe('AlwaysFiring');
      expect(logged.labels).toEqual({ alertname: 'AlwaysFiring', cluster: 'test', severity: 'page' });
      expect(logged.annotations).toEqual({ summary: 'the answer is 42' });
      expect(logged.generatorURL).toBe(`${vigil.url}/graph?g0.expr=demo%3Aanswer+%3E+40&g0.tab=1`);

      const alerts = (await (await fetch(`${vigil.url}/api/v1/alerts`)).json()) as { status: string; data: { alerts: APIAlert[] } };
      expect(alerts.status).toBe('success');
      expect(alerts.data.alerts).toHaveLength(1);
      expect(alerts.data.alerts[0]).toMatchObject({
        labels: { alertname: 'AlwaysFiring', severity: 'page' },
        annotations: { summary: 'the answer is 42' },
        state: 'firing',
        value: '4.2e+01',
      });

      const rulesBody = (await (await fetch(`${vigil.url}/api/v1/rules`)).json()) as {
        data: { groups: { name: string; file: string; interval: number; rules: { name: string; type: string; health: string }[] }[] };
      };
      const group = rulesBody.data.groups[0]!;
      expect(group).toMatchObject({ name: 'demo', interval: 1 });
      expect(group.rules.map((r) => [r.name, r.type])).toEqual([
        ['demo:answer', 'recording'],
        ['AlwaysFiring', 'alerting'],
      ]);
      expect(group.rules.every((r) => r.health === 'ok')).toBe(true);
      const recorded = (await (await fetch(`${vigil.url}/api/v1/query?query=demo:answer`)).json()) as { data: { result: { value: [number, string] }[] } };
      expect(recorded.data.result[0]!.value[1]).toBe('42');

      // A broken rule file: the running rules stay, and the log says where the problem is.
      writeFileSync(rules, RULES.replace('expr: vector(42)', 'expr: vector(42'));
      vigil.child.kill('SIGHUP');
      await until(() => /loading rules failed; keeping the running rules/.test(vigil.logs()), 'the rule reload error');
      expect(vigil.logs()).toMatch(/rules\.yaml:6:\d+/);
      const kept = (await (await fetch(`${vigil.url}/api/v1/rules`)).json()) as { data: { groups: { rules: unknown[] }[] } };
      expect(kept.data.groups[0]!.rules).toHaveLength(2);

      // A good change applies: the alert goes away once its rule is gone.
      writeFileSync(rules, RULES.replace(/      - alert: AlwaysFiring[\s\S]*$/, ''));
      vigil.child.kill('SIGHUP');
      await until(async () => {
        const body = (await (await fetch(`${vigil.url}/api/v1/rules`)).json()) as { data: { groups: { rules: unknown[] }[] } };
        return body.data.groups[0]!.rules.length === 1;
      }, 'the reloaded rules');
      const after = (await (await fetch(`${vigil.url}/api/v1/alerts`)).json()) as { data: { alerts: APIAlert[] } };
      expect(after.data.alerts).toEqual([]);
    } finally {
      vigil.child.kill('SIGTERM');
      expect(await vigil.exited).toBe(0);
    }
  }, 60_000);
});
