import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../cli/config.js';
import { staticProvider } from '../../../collectors/discovery/static.js';
import { ScrapeLoop, scrapeOffset } from '../../../collectors/scrape/loop.js';
import type { ScrapeMetrics } from '../../../collectors/scrape/metrics.js';
import { Agents, httpScraper } from '../../../collectors/scrape/scraper.js';
import { buildTargets } from '../../../collectors/scrape/target.js';
import type { TargetGroup } from '../../../collectors/discovery/provider.js';
import { VirtualClock } from '../../../util/clock.js';
import { nopLogger } from '../../../util/log.js';
import { dump, openTempStore, type TempStore } from '../../support/store.js';
import { type ExporterServer, startExporter } from '../../support/target.js';

const T0 = 1_700_000_000_000;

interface Recorded {
  scrapes: { job: string; ok: boolean }[];
  rejected: Record<string, number>;
}

describe('ScrapeLoop', () => {
  let clock: VirtualClock;
  let store: TempStore;
  let exporter: ExporterServer;
  let agents: Agents;
  let recorded: Recorded;

  beforeEach(async () => {
    clock = new VirtualClock(T0);
    store = await openTempStore(clock);
    exporter = await startExporter();
    agents = new Agents();
    recorded = { scrapes: [], rejected: {} };
  });
  afterEach(async () => {
    agents.destroy();
    await exporter.close();
    await store.cleanup();
  });

  function loopFor(extra = ''): ScrapeLoop {
    const cfg = parseConfig(
      '/tmp/vigil.yaml',
      `scrape_configs:\n  - job_name: gpu\n    scrape_interval: 15s\n    scrape_timeout: 5s\n    static_configs: [{targets: ['${exporter.address}'], labels: {pool: h100}}]\n${extra}`,
    ).scrapeConfigs[0]!;
    let groups: readonly TargetGroup[] = [];
    staticProvider(cfg.jobName, cfg.staticConfigs).subscribe((g) => (groups = g));
    const target = buildTargets(cfg, groups).active[0]!;
    const metrics: ScrapeMetrics = {
      scraped: (job, _instance, ok) => recorded.scrapes.push({ job, ok }),
      rejected: (_job, reason, n) => (recorded.rejected[reason] = (recorded.rejected[reason] ?? 0) + n),
    };
    return new ScrapeLoop({
      target,
      config: cfg,
      scraper: httpScraper(target.url, cfg, agents),
      appendable: store.db,
      clock,
      logger: nopLogger,
      metrics,
    });
  }

  const instance = () => exporter.address;

  it('stores samples with target labels at the scrape time, and the report series', async () => {
    exporter.behaviour.body = '# TYPE gpu_util gauge\ngpu_util{gpu="0"} 0.5\ngpu_util{gpu="1"} 0.75\n';
    const loop = loopFor();
    await loop.scrapeOnce();
    const i = instance();
    expect(dump(store.db, 'gpu_util')).toEqual({
      [`gpu_util{gpu="0", instance="${i}", job="gpu", pool="h100"}`]: [[T0, 0.5]],
      [`gpu_util{gpu="1", instance="${i}", job="gpu", pool="h100"}`]: [[T0, 0.75]],
    });
    expect(dump(store.db, 'up')).toEqual({ [`up{instance="${i}", job="gpu", pool="h100"}`]: [[T0, 1]] });
    expect(Object.values(dump(store.db, 'scrape_samples_scraped'))).toEqual([[[T0, 2]]]);
    expect(Object.values(dump(store.db, 'scrape_samples_post_metric_relabeling'))).toEqual([[[T0, 2]]]);
    expect(Object.values(dump(store.db, 'scrape_series_added'))).toEqual([[[T0, 2]]]);
    expect(Object.keys(dump(store.db, 'scrape_duration_seconds'))).toHaveLength(1);
    expect(loop.health).toMatchObject({ health: 'up', lastError: '', lastScrape: T0 });
    expect(loop.metadata.get('gpu_util')).toEqual({ type: 'gauge', help: '', unit: '' });
    // The scrape cache knows both series now: nothing is added the second time.
    await clock.advance(15_000);
    await loop.scrapeOnce();
    expect(Object.values(dump(store.db, 'scrape_series_added'))).toEqual([
      [
        [T0, 2],
        [T0 + 15_000, 0],
      ],
    ]);
  });

  it("sends Prometheus's scrape headers", async () => {
    exporter.behaviour.body = 'x 1\n';
    await loopFor().scrapeOnce();
    const h = exporter.requests[0]!.headers;
    expect(h['accept']).toContain('application/openmetrics-text');
    expect(h['accept']).toContain('text/plain;version=0.0.4');
    expect(h['accept-encoding']).toBe('gzip');
    expect(h['x-prometheus-scrape-timeout-seconds']).toBe('5');
    expect(h['user-agent']).toMatch(/^vigil\//);
  });

  it('keeps clashing exposed labels as exported_*, unless honor_labels', async () => {
    exporter.behaviour.body = 'm{job="inner",instance="x",exported_job="e"} 1\n';
    await loopFor().scrapeOnce();
    expect(Object.keys(dump(store.db, 'm'))).toEqual([
      `m{exported_exported_job="inner", exported_instance="x", exported_job="e", instance="${instance()}", job="gpu", pool="h100"}`,
    ]);
  });

  it('honor_labels lets exposed labels win', async () => {
    exporter.behaviour.body = 'm{job="inner"} 1\n';
    await loopFor('    honor_labels: true\n').scrapeOnce();
    expect(Object.keys(dump(store.db, 'm'))).toEqual([`m{instance="${instance()}", job="inner", pool="h100"}`]);
  });

  it('uses exposed timestamps unless honor_timestamps is false', async () => {
    exporter.behaviour.body = `a 1 ${T0 - 60_000}\nb 2\n`;
    await loopFor().scrapeOnce();
    expect(Object.values(dump(store.db, 'a'))).toEqual([[[T0 - 60_000, 1]]]);
    expect(Object.values(dump(store.db, 'b'))).toEqual([[[T0, 2]]]);
  });

  it('ignores exposed timestamps with honor_timestamps: false', async () => {
    exporter.behaviour.body = `a 1 ${T0 - 60_000}\n`;
    await loopFor('    honor_timestamps: false\n').scrapeOnce();
    expect(Object.values(dump(store.db, 'a'))).toEqual([[[T0, 1]]]);
  });

  it('reads OpenMetrics when the target says so (timestamps in seconds)', async () => {
    exporter.behaviour.contentType = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
    exporter.behaviour.body = `# TYPE a gauge\na 1 ${(T0 - 60_000) / 1000}.5\n# EOF\n`;
    await loopFor().scrapeOnce();
    expect(Object.values(dump(store.db, 'a'))).toEqual([[[T0 - 60_000 + 500, 1]]]);
  });

  it('decompresses gzip', async () => {
    exporter.behaviour.body = 'zipped 42\n';
    exporter.behaviour.gzip = true;
    await loopFor().scrapeOnce();
    expect(Object.values(dump(store.db, 'zipped'))).toEqual([[[T0, 42]]]);
  });

  it('rejects a malformed body whole: only up=0 and the report series, and earlier series go stale', async () => {
    exporter.behaviour.body = 'good 1\n';
    const loop = loopFor();
    await loop.scrapeOnce();
    await clock.advance(15_000);
    exporter.behaviour.body = 'good 2\nnew_series 3\nbad{x="1} 4\n';
    await loop.scrapeOnce();
    const t1 = T0 + 15_000;
    expect(Object.values(dump(store.db, 'good'))).toEqual([
      [
        [T0, 1],
        [t1, 'stale'],
      ],
    ]);
    expect(dump(store.db, 'new_series')).toEqual({});
    expect(Object.values(dump(store.db, 'up'))).toEqual([
      [
        [T0, 1],
        [t1, 0],
      ],
    ]);
    expect(Object.values(dump(store.db, 'scrape_samples_scraped'))[0]![1]).toEqual([t1, 0]);
    expect(loop.health.health).toBe('down');
    expect(loop.health.lastError).toMatch(/^3:\d+: /);
    expect(recorded.scrapes).toEqual([
      { job: 'gpu', ok: true },
      { job: 'gpu', ok: false },
    ]);
  });

  it('marks a series stale when it disappears from the body', async () => {
    exporter.behaviour.body = 'a 1\nb 1\n';
    const loop = loopFor();
    await loop.scrapeOnce();
    await clock.advance(15_000);
    exporter.behaviour.body = 'a 2\n';
    await loop.scrapeOnce();
    await clock.advance(15_000);
    await loop.scrapeOnce();
    expect(Object.values(dump(store.db, 'b'))).toEqual([
      [
        [T0, 1],
        [T0 + 15_000, 'stale'],
      ],
    ]);
    expect(Object.values(dump(store.db, 'a'))[0]).toHaveLength(3);
  });

  it('fails the scrape past sample_limit, storing nothing from the body', async () => {
    exporter.behaviour.body = 'a 1\nb 2\nc 3\n';
    const loop = loopFor('    sample_limit: 2\n');
    await loop.scrapeOnce();
    expect(dump(store.db, 'a')).toEqual({});
    expect(loop.health.lastError).toBe('sample limit exceeded');
    expect(Object.values(dump(store.db, 'up'))).toEqual([[[T0, 0]]]);
  });

  it('enforces label limits with Prometheus messages', async () => {
    exporter.behaviour.body = 'a{x="1",y="2",z="3"} 1\n';
    const loop = loopFor('    label_limit: 5\n');
    await loop.scrapeOnce();
    expect(loop.health.lastError).toBe('label_limit exceeded (metric: a, number of labels: 7, limit: 5)');
    exporter.behaviour.body = 'a{x="a-much-too-long-value"} 1\n';
    const loop2 = loopFor('    label_value_length_limit: 18\n');
    await loop2.scrapeOnce();
    expect(loop2.health.lastError).toBe(
      'label_value_length_limit exceeded (metric: a, label name: x, value: "a-much-too-long-value", length: 21, limit: 18)',
    );
  });

  it('applies metric_relabel_configs and counts what is kept', async () => {
    exporter.behaviour.body = 'keep_me 1\ndrop_me 2\nkeep_too 3\n';
    await loopFor("    metric_relabel_configs:\n      - {source_labels: [__name__], regex: 'drop_.*', action: drop}\n").scrapeOnce();
    expect(Object.keys(dump(store.db))).not.toContain(expect.stringMatching(/^drop_me/));
    expect(Object.values(dump(store.db, 'scrape_samples_scraped'))).toEqual([[[T0, 3]]]);
    expect(Object.values(dump(store.db, 'scrape_samples_post_metric_relabeling'))).toEqual([[[T0, 2]]]);
  });

  it('stores the first of a series repeated in one body and counts the rest', async () => {
    exporter.behaviour.body = 'a 1\na 2\n';
    await loopFor().scrapeOnce();
    expect(Object.values(dump(store.db, 'a'))).toEqual([[[T0, 1]]]);
    expect(recorded.rejected).toEqual({ duplicate_sample_for_timestamp: 1 });
  });

  it('reports HTTP errors as Prometheus words them', async () => {
    exporter.behaviour.status = 503;
    const loop = loopFor();
    await loop.scrapeOnce();
    expect(loop.health.lastError).toBe('server returned HTTP status 503 Service Unavailable');
    expect(Object.values(dump(store.db, 'up'))).toEqual([[[T0, 0]]]);
  });

  it('enforces body_size_limit after decompression', async () => {
    exporter.behaviour.body = 'a 1\n'.repeat(1000);
    exporter.behaviour.gzip = true;
    const loop = loopFor('    body_size_limit: 1KB\n');
    await loop.scrapeOnce();
    expect(loop.health.lastError).toMatch(/^body size limit exceeded/);
  });

  it('times out on the injected clock', async () => {
    let release!: () => void;
    exporter.behaviour.hold = new Promise((r) => (release = r));
    exporter.behaviour.body = 'a 1\n';
    const loop = loopFor();
    const done = loop.scrapeOnce();
    while (exporter.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    await clock.advance(5_000);
    await done;
    release();
    expect(loop.health.lastError).toBe('context deadline exceeded');
    expect(dump(store.db, 'a')).toEqual({});
  });

  it('sends credentials read from a file on every scrape', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-secret-'));
    writeFileSync(join(dir, 'token'), 's3cret\n');
    exporter.behaviour.requireAuthorization = 'Bearer s3cret';
    exporter.behaviour.body = 'a 1\n';
    const loop = loopFor(`    authorization: {credentials_file: ${join(dir, 'token')}}\n`);
    await loop.scrapeOnce();
    expect(loop.health.health).toBe('up');
    writeFileSync(join(dir, 'token'), 'rotated\n');
    exporter.behaviour.requireAuthorization = 'Bearer rotated';
    await clock.advance(15_000);
    await loop.scrapeOnce();
    expect(loop.health.health).toBe('up');
  });

  it('scrapes every interval at a stable offset, on virtual time', async () => {
    exporter.behaviour.body = 'a 1\n';
    const loop = loopFor();
    loop.start();
    const offset = scrapeOffset(loop.target, 15_000);
    // Scrapes fall on the interval grid (multiples of 15s since the epoch) shifted by the offset.
    let first = T0 - (T0 % 15_000) + offset;
    if (first < T0) first += 15_000;
    for (let i = 0; i < 8; i++) {
      // Step to each scrape's instant, then let its real loopback I/O land before moving on, so
      // its timeout (5s of virtual time later) cannot fire first.
      await clock.advanceTo(first + i * 15_000);
      await loop.idle();
    }
    await loop.stop({ markStale: true });
    const samples = Object.values(dump(store.db, 'a'))[0]!;
    const times = samples.map(([t]) => t);
    expect(samples.filter(([, v]) => v === 1).length).toBe(8);
    expect(times[0]).toBe(first);
    expect(times[0]! % 15_000).toBe(offset);
    const gaps = times.slice(1, -1).map((t, i) => t - times[i]!);
    expect(new Set(gaps)).toEqual(new Set([15_000]));
    // stop({markStale}) writes a staleness marker after the last sample.
    expect(samples.at(-1)![1]).toBe('stale');
  });
});
