import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrometheusServer, startPrometheus } from '../../support/prometheus.js';
import { type ExporterServer, startExporter } from '../../support/target.js';
import { OPENMETRICS, TEXT } from './fixtures.js';
import { MALFORMED } from './malformed-corpus.js';

// Peer: a real Prometheus (the Debian package, 2.42 when this was written) scrapes every body of
// the malformed corpus, served with its format's Content-Type, and must reject each one the corpus
// says it rejects (the target is down with a parse error) and accept the few it says it accepts.
const hasPrometheus = spawnSync('sh', ['-c', 'command -v prometheus'], { stdio: 'ignore' }).status === 0;

interface Target {
  labels: Record<string, string>;
  health: string;
  lastError: string;
  lastScrape: string;
}

describe.skipIf(!hasPrometheus)('the malformed corpus, scraped by Prometheus', () => {
  const exporters: ExporterServer[] = [];
  let prom: PrometheusServer | undefined;
  const targets = new Map<string, Target>();

  beforeAll(async () => {
    for (const c of MALFORMED) exporters.push(await startExporter({ body: c.body, contentType: c.format === 'openmetrics' ? OPENMETRICS : TEXT }));
    const jobs = MALFORMED.map((_, i) => `  - job_name: 'case${i}'\n    static_configs: [{targets: ['${exporters[i]!.address}']}]\n`);
    prom = await startPrometheus(`global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n${jobs.join('')}`);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const data = await prom.api<{ activeTargets: Target[] }>('/api/v1/targets');
      const scraped = data.activeTargets.filter((t) => !t.lastScrape.startsWith('0001-'));
      if (scraped.length === MALFORMED.length) {
        for (const t of scraped) targets.set(t.labels['job']!, t);
        return;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error('Prometheus did not scrape every target in time');
  });

  afterAll(async () => {
    await prom?.stop();
    await Promise.all(exporters.map((e) => e.close()));
  });

  it.each(MALFORMED.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
    const target = targets.get(`case${i}`)!;
    if (c.prometheus === 'rejects') {
      expect(target.health, `${c.name}: ${target.lastError}`).toBe('down');
      expect(target.lastError).not.toBe('');
    } else {
      expect(target.health, `${c.name}: ${target.lastError}`).toBe('up');
    }
  });
});
