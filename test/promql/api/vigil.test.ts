import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../../cli/cli.js';
import { parseConfig } from '../../../cli/config.js';
import { isolatedTelemetry } from '../../../cli/telemetry.js';
import { startVigil, type Vigil } from '../../../cli/vigil.js';
import { nopLogger } from '../../../util/log.js';
import { type ExporterServer, startExporter } from '../../support/target.js';

// The query API as a running vigil serves it: routes on the one listener, the real engine over
// what the scrape loops stored, and metadata from the loops' HELP, TYPE and UNIT lines.

describe('query API in a running vigil', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-api-'));
  let exporter: ExporterServer;
  let vigil: Vigil;

  beforeAll(async () => {
    exporter = await startExporter({
      body: [
        '# HELP gpu_util GPU utilization.',
        '# TYPE gpu_util gauge',
        'gpu_util{gpu="0"} 0.5',
        'gpu_util{gpu="1"} 0.25',
        '# HELP jobs_done_total Jobs finished.',
        '# TYPE jobs_done_total counter',
        'jobs_done_total 7',
        '',
      ].join('\n'),
    });
    const config = parseConfig(
      join(dir, 'vigil.yaml'),
      `global: {scrape_interval: 100ms, scrape_timeout: 100ms}
scrape_configs:
  - job_name: gpus
    static_configs: [{targets: ['${exporter.address}']}]
storage: {embedded: {path: data}}
`,
    );
    vigil = await startVigil({ config, logger: nopLogger, telemetry: isolatedTelemetry(), listenAddress: '127.0.0.1:0' });
    // Real time here: wait for the first scrapes.
    const deadline = Date.now() + 10_000;
    while (vigil.scrapeManager.activeTargets().some((t) => t.loop.health.lastScrape === 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => {
    await vigil?.close();
    await exporter?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${vigil.url}${path}`, init);
    const text = await res.text();
    return { status: res.status, text, body: text.startsWith('{') ? JSON.parse(text) : undefined };
  };

  it('evaluates queries over scraped data', async () => {
    const r = await get(`/api/v1/query?query=${encodeURIComponent('sum by (job) (gpu_util)')}`);
    expect(r.status).toBe(200);
    expect(r.body.data.resultType).toBe('vector');
    expect(r.body.data.result).toEqual([{ metric: { job: 'gpus' }, value: [expect.any(Number), '0.75'] }]);
    const form = await get('/api/v1/query', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: 'count(up)' }).toString(),
    });
    expect(form.body.data.result[0].value[1]).toBe('1');
  });

  it('serves series, labels and label values, with the label name in the path', async () => {
    const series = await get(`/api/v1/series?match[]=gpu_util`);
    expect(series.body.data).toHaveLength(2);
    expect((await get('/api/v1/labels')).body.data).toEqual(expect.arrayContaining(['__name__', 'gpu', 'instance', 'job']));
    expect((await get('/api/v1/label/gpu/values')).body.data).toEqual(['0', '1']);
    expect((await get('/api/v1/label/__name__/values?match[]=%7Bjob%3D%22gpus%22%7D')).body.data).toEqual(
      expect.arrayContaining(['gpu_util', 'jobs_done_total', 'up']),
    );
    const post = await get('/api/v1/label/gpu/values', { method: 'POST' });
    expect([post.status, post.text]).toEqual([405, 'Method Not Allowed\n']);
    const other = await get('/api/v1/label/gpu/other');
    expect([other.status, other.text]).toEqual([404, '404 page not found\n']);
  });

  it("reports the targets' metadata", async () => {
    const r = await get('/api/v1/metadata');
    expect(r.body.data['gpu_util']).toEqual([{ type: 'gauge', help: 'GPU utilization.', unit: '' }]);
    expect(Object.keys(r.body.data)).toContain('jobs_done_total');
    expect((await get('/api/v1/metadata?metric=gpu_util')).body.data).toEqual({ gpu_util: [{ type: 'gauge', help: 'GPU utilization.', unit: '' }] });
  });

  it('reports its build', async () => {
    const r = await get('/api/v1/status/buildinfo');
    expect(r.body).toEqual({
      status: 'success',
      data: { version: VERSION, revision: '', branch: '', buildUser: '', buildDate: '', goVersion: process.version },
    });
  });
});
