import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../cli/config.js';
import { isolatedTelemetry } from '../../cli/telemetry.js';
import { startVigil, type Vigil } from '../../cli/vigil.js';
import { newParser } from '../../collectors/textparse/index.js';
import { Matcher } from '../../model/matcher.js';
import { nopLogger } from '../../util/log.js';
import { type ExporterServer, startExporter } from '../support/target.js';

/** samplesOf parses vigil's /metrics into `name{labels}` → value. */
function samplesOf(body: string): Map<string, number> {
  const out = new Map<string, number>();
  const p = newParser(body, 'text/plain; version=0.0.4');
  let kind;
  while ((kind = p.next()) !== null) if (kind === 'series') out.set(p.labels().toSeriesString(), p.value());
  return out;
}

describe('a running vigil (in process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-app-'));
  let good: ExporterServer;
  let bad: ExporterServer;
  let vigil: Vigil;

  beforeAll(async () => {
    good = await startExporter({ body: '# TYPE gpu_util gauge\ngpu_util{gpu="0"} 0.5\n' });
    bad = await startExporter({ body: 'broken{ 1\n' });
    const config = parseConfig(
      join(dir, 'vigil.yaml'),
      `global: {scrape_interval: 100ms, scrape_timeout: 100ms}
scrape_configs:
  - job_name: good
    static_configs: [{targets: ['${good.address}']}]
  - job_name: bad
    static_configs: [{targets: ['${bad.address}']}]
storage: {embedded: {path: data, wal_fsync_interval: 50ms}}
`,
    );
    vigil = await startVigil({ config, logger: nopLogger, telemetry: isolatedTelemetry(), listenAddress: '127.0.0.1:0' });
    // Real time here: wait for a few scrapes of each target.
    const deadline = Date.now() + 10_000;
    while (vigil.scrapeManager.activeTargets().some((t) => t.loop.health.lastScrape === 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
  });
  afterAll(async () => {
    await vigil?.close();
    await good?.close();
    await bad?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers health and readiness', async () => {
    expect(await (await fetch(`${vigil.url}/-/healthy`)).text()).toBe('vigil is Healthy.\n');
    const ready = await fetch(`${vigil.url}/-/ready`);
    expect(ready.status).toBe(200);
    expect((await fetch(`${vigil.url}/nope`)).status).toBe(404);
    expect((await fetch(`${vigil.url}/-/healthy`, { method: 'POST' })).status).toBe(405);
  });

  it('serves its own telemetry on /metrics', async () => {
    const res = await fetch(`${vigil.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const m = samplesOf(await res.text());
    const names = new Set([...m.keys()].map((k) => k.replace(/\{.*$/, '')));
    for (const name of [
      'vigil_scrapes_total',
      'vigil_scrape_duration_seconds_bucket',
      'vigil_tsdb_head_series',
      'vigil_tsdb_head_samples_appended_total',
      'vigil_tsdb_wal_fsync_duration_seconds_bucket',
    ]) {
      expect(names, name).toContain(name);
    }
    expect(m.get(`vigil_scrapes_total{instance="${good.address}", job="good", result="ok"}`)).toBeGreaterThan(0);
    expect(m.get(`vigil_scrapes_total{instance="${bad.address}", job="bad", result="failed"}`)).toBeGreaterThan(0);
    expect(m.get('vigil_tsdb_head_series')).toBeGreaterThan(5);
  });

  it('serves the targets page in Prometheus shape, with the error of a failing target', async () => {
    const body = (await (await fetch(`${vigil.url}/api/v1/targets`)).json()) as {
      status: string;
      data: { activeTargets: { scrapePool: string; health: string; lastError: string; labels: Record<string, string> }[] };
    };
    expect(body.status).toBe('success');
    const byPool = Object.fromEntries(body.data.activeTargets.map((t) => [t.scrapePool, t]));
    expect(byPool['good']).toMatchObject({ health: 'up', lastError: '', labels: { job: 'good', instance: good.address } });
    expect(byPool['bad']!.health).toBe('down');
    expect(byPool['bad']!.lastError).toMatch(/^1:\d+: /);
  });

  it('stores what it scrapes', () => {
    const series = vigil.db!.querier(0, Number.MAX_SAFE_INTEGER).select([new Matcher('=', '__name__', 'gpu_util')]);
    expect(series.map((s) => s.labels.toSeriesString())).toEqual([`gpu_util{gpu="0", instance="${good.address}", job="good"}`]);
  });

  it('applies a reloaded config: new jobs start, removed ones stop', async () => {
    const next = parseConfig(
      join(dir, 'vigil.yaml'),
      `global: {scrape_interval: 100ms, scrape_timeout: 100ms}
scrape_configs:
  - job_name: renamed
    static_configs: [{targets: ['${good.address}']}]
storage: {embedded: {path: data, wal_fsync_interval: 50ms}}
`,
    );
    await vigil.reload(next);
    expect(vigil.scrapeManager.activeTargets().map((t) => t.job)).toEqual(['renamed']);
  });
});
