import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../cli/config.js';
import { ScrapeManager } from '../../../collectors/scrape/manager.js';
import { Labels } from '../../../model/labels.js';
import { Matcher } from '../../../model/matcher.js';
import { isStaleNaN } from '../../../model/value.js';
import { systemClock } from '../../../util/clock.js';
import { nopLogger } from '../../../util/log.js';
import { type PrometheusServer, startPrometheus } from '../../support/prometheus.js';
import { openTempStore, type TempStore } from '../../support/store.js';
import { type ExporterServer, startExporter } from '../../support/target.js';

// Differential test against a real Prometheus (Debian package): both scrape every exporter fixture
// from the same loopback servers with the same scrape config, and must store the same series with
// the same values. Prometheus is read through its HTTP API, vigil through its store.
const FIXTURES = new URL('../../../../shared/fixtures/metrics/', import.meta.url);
const files = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.prom'))
  .sort();

// The BullMQ bodies break Go's strict expfmt parser (promtool) on purpose, but Prometheus's scrape
// parser takes them, and so does vigil (with a warning).
const LENIENT = new Set(['bullmq.prom', 'bullmq.concatenated-two-queues.prom']);

/**
 * comparable makes a series key comparable across Prometheus versions: Prometheus 3 (and vigil)
 * write the `le` of histograms and the `quantile` of summaries in canonical float form ("1.0"),
 * Prometheus 2.42 keeps the exporter's spelling ("1"). Both become the number's JS spelling here.
 */
function comparable(labels: Labels): string {
  const pairs: [string, string][] = [];
  labels.forEach((n, v) => pairs.push([n, n === 'le' || n === 'quantile' ? String(Number(v)) : v]));
  return Labels.from(pairs).key;
}

interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

describe('scraping agrees with Prometheus on every fixture', () => {
  let prom: PrometheusServer;
  let store: TempStore;
  let manager: ScrapeManager;
  const exporters = new Map<string, ExporterServer>();
  let config = '';

  beforeAll(async () => {
    for (const f of files) exporters.set(f, await startExporter({ body: readFileSync(new URL(f, FIXTURES), 'utf8') }));
    config = `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n${files
      .map((f) => `  - job_name: '${f}'\n    static_configs: [{targets: ['${exporters.get(f)!.address}'], labels: {fixture: '${f}'}}]\n`)
      .join('')}`;
    prom = await startPrometheus(config);
    store = await openTempStore(systemClock);
    manager = new ScrapeManager({
      appendable: store.db,
      clock: systemClock,
      logger: nopLogger,
      metrics: { scraped: () => {}, rejected: () => {} },
    });
    await manager.applyConfig(parseConfig('/tmp/vigil.yaml', config).scrapeConfigs);
    // Wait until both have scraped every target at least twice.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ups = await prom.api<{ result: PromSample[] }>('/api/v1/query', { query: 'count_over_time(up[1m]) >= 2' });
      const ours = manager.activeTargets().filter((t) => t.loop.health.lastScrape > 0).length;
      if (ups.result.length === files.length && ours === files.length) break;
      if (Date.now() > deadline) throw new Error(`timed out waiting for scrapes: prometheus ${ups.result.length}, vigil ${ours}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 1500));
    for (const t of manager.activeTargets()) warnings.set(t.job, t.loop.health.warnings);
    await manager.stop();
  }, 120_000);

  afterAll(async () => {
    await manager?.stop();
    await prom?.stop();
    await store?.cleanup();
    for (const e of exporters.values()) await e.close();
  });

  function vigilLatest(job: string): Map<string, number> {
    const out = new Map<string, number>();
    const q = store.db.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    for (const s of q.select([new Matcher('=', 'job', job)])) {
      const it = s.samples();
      let last: number | undefined;
      while (it.next()) if (!isStaleNaN(it.v)) last = it.v;
      if (last !== undefined) out.set(comparable(s.labels), last);
    }
    return out;
  }

  const warnings = new Map<string, readonly string[]>();
  function warningsOf(job: string): readonly string[] {
    return warnings.get(job) ?? [];
  }

  async function prometheusLatest(job: string): Promise<Map<string, number>> {
    const latest = await prom.api<{ result: PromSample[] }>('/api/v1/query', { query: `{job="${job}"}` });
    const out = new Map<string, number>();
    for (const s of latest.result) out.set(comparable(Labels.from(s.metric)), Number(s.value[1]));
    return out;
  }

  for (const f of files) {
    it(`${f}: same series and values`, async () => {
      const ours = vigilLatest(f);
      const theirs = await prometheusLatest(f);
      expect(warningsOf(f).length > 0, 'parser warnings').toBe(LENIENT.has(f));
      // Timing-dependent report series are compared by presence only.
      const timing = (key: string) => /^__name__\u0000(scrape_duration_seconds|scrape_series_added)\u0000/.test(key);
      expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
      for (const [key, v] of theirs) {
        if (timing(key)) continue;
        expect(Object.is(ours.get(key), v) || ours.get(key) === v, `${key.replaceAll('\u0000', ' ')}: vigil ${ours.get(key)}, prometheus ${v}`).toBe(true);
      }
    });
  }
});
