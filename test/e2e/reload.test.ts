import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startExporter, type ExporterServer } from '../support/target.js';
import { startVigilProcess } from '../support/vigil-process.js';

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
