import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startExporter, type ExporterServer } from '../support/target.js';
import { startVigilProcess } from '../support/vigil-process.js';
import { WebhookSink } from '../support/webhook-sink.js';

async function pools(url: string): Promise<string[]> {
  const body = (await (await fetch(`${url}/api/v1/targets`)).json()) as { data: { activeTargets: { scrapePool: string }[] } };
  return body.data.activeTargets.map((t) => t.scrapePool).sort();
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('`vigil run` reloads its config on SIGHUP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-reload-'));
  let exporter: ExporterServer;
  afterAll(async () => {
    await exporter?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies a good config, keeps running on a broken one and says why', async () => {
    exporter = await startExporter({ body: 'a 1\n' });
    const file = join(dir, 'vigil.yaml');
    const config = (jobs: string[]) =>
      `scrape_configs:\n${jobs.map((j) => `  - job_name: ${j}\n    scrape_interval: 1s\n    static_configs: [{targets: ['${exporter.address}']}]\n`).join('')}storage: {embedded: {path: data}}\n`;
    writeFileSync(file, config(['first']));
    const vigil = await startVigilProcess(file);
    try {
      expect(await pools(vigil.url)).toEqual(['first']);

      writeFileSync(file, config(['first', 'second']));
      vigil.child.kill('SIGHUP');
      await until(async () => (await pools(vigil.url)).length === 2, 'the second job');
      expect(await pools(vigil.url)).toEqual(['first', 'second']);

      writeFileSync(file, config(['third']).replace('scrape_interval: 1s', 'scrape_interval: soon'));
      vigil.child.kill('SIGHUP');
      await until(async () => /config reload failed/.test(vigil.logs()), 'the reload error');
      expect(vigil.logs()).toContain('scrape_configs[0].scrape_interval: got \\"soon\\", expected a duration');
      expect(await pools(vigil.url)).toEqual(['first', 'second']);
      expect((await fetch(`${vigil.url}/-/ready`)).status).toBe(200);
    } finally {
      vigil.child.kill('SIGTERM');
      expect(await vigil.exited).toBe(0);
    }
  });
});

describe('`vigil run` reloads its alerting config on SIGHUP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-reload-alerting-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('routes new alerts by the new config, keeps the old one when the new one is broken, and repeats nothing', async () => {
    const first = await WebhookSink.start('/first');
    const second = await WebhookSink.start('/second');
    const am = (url: string, extra = '') => `route:\n  receiver: hook\n  group_by: [alertname]\n  group_wait: 1s\n${extra}receivers:\n  - name: hook\n    webhook_configs: [{url: '${url}'}]\n`;
    writeFileSync(join(dir, 'am.yml'), am(first.url));
    writeFileSync(join(dir, 'vigil.yaml'), 'alerting: {config_file: am.yml}\nstorage: {embedded: {path: data}}\n');
    const vigil = await startVigilProcess(join(dir, 'vigil.yaml'));
    const post = (name: string) =>
      fetch(`${vigil.url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([{ labels: { alertname: name }, endsAt: new Date(Date.now() + 3600_000).toISOString() }]) });
    try {
      await post('Before');
      await until(async () => first.requests.length === 1, 'the first notification');

      writeFileSync(join(dir, 'am.yml'), am(second.url));
      vigil.child.kill('SIGHUP');
      await until(async () => /alerting config reloaded/.test(vigil.logs()), 'the alerting reload');
      await post('After');
      await until(async () => second.requests.length === 1, 'a notification through the new config');
      // The group notified before the reload is rebuilt, and the log says it was delivered.
      await new Promise((r) => setTimeout(r, 1500));
      expect(first.requests).toHaveLength(1);
      expect(second.requests.map((r) => (r.body as { groupLabels: { alertname: string } }).groupLabels.alertname)).toEqual(['After']);

      writeFileSync(join(dir, 'am.yml'), am(second.url, '  group_interval: 0s\n'));
      vigil.child.kill('SIGHUP');
      await until(async () => /alerting config reload failed/.test(vigil.logs()), 'the reload error');
      expect(vigil.logs()).toMatch(/am\.yml:\d+:\d+/);
      expect((await post('StillRouted')).status).toBe(200);
      await until(async () => second.requests.length === 2, 'routing by the kept config');
    } finally {
      vigil.child.kill('SIGTERM');
      expect(await vigil.exited).toBe(0);
      await first.close();
      await second.close();
    }
  });
});
