import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../cli/config.js';
import { staticProvider } from '../../../collectors/discovery/static.js';
import { buildTargets } from '../../../collectors/scrape/target.js';
import { type PrometheusServer, startPrometheus } from '../../support/prometheus.js';

// One scrape config, read by a real Prometheus (Debian package) and by vigil. Prometheus's
// /api/v1/targets is the oracle for target labelling: defaults, every relabel action, Go's
// template expansion quirks, hashmod, instance defaulting and URL building.
const CONFIG = `
global:
  scrape_interval: 1m
  scrape_timeout: 5s
scrape_configs:
  - job_name: replace
    static_configs:
      - targets: ['127.0.0.1:1', 'gpu-node-a.cluster.local:9400', 'umlaut-host:9400']
        labels: {env: prod, team: ml, pool: h100, region: zürich-ä}
    relabel_configs:
      - source_labels: [__address__]
        regex: '([^:]+):(\\d+)'
        target_label: host
        replacement: '\${1}'
      - source_labels: [env, team]
        separator: '-'
        target_label: owner
      - source_labels: [team]
        regex: 'm(l)'
        target_label: 'team_\${1}'
        replacement: 'yes-$1'
      - source_labels: [nonexistent]
        target_label: pool
      - source_labels: [host]
        regex: '(.*)'
        target_label: odd
        replacement: '$1x'
      - source_labels: [host]
        target_label: HOST
        action: uppercase
      - source_labels: [HOST]
        target_label: lower
        action: lowercase
      - source_labels: [__address__]
        modulus: 8
        target_label: shard
        action: hashmod
      - source_labels: [region, host]
        modulus: 1000003
        target_label: region_shard
        action: hashmod
      - regex: '(team|env)'
        replacement: 'copied_\${1}'
        action: labelmap
      - regex: 'copied_env'
        action: labeldrop
  - job_name: keepdrop
    scrape_interval: 30s
    static_configs:
      - targets: ['a:1', 'b:1', 'c:1', 'd:1']
    relabel_configs:
      - source_labels: [__address__]
        regex: '(a|b|c):1'
        action: keep
      - source_labels: [__address__]
        regex: 'b:.*'
        action: drop
      - target_label: instance
        replacement: 'renamed-$1'
  - job_name: equal
    static_configs:
      - targets: ['x:1', 'y:1']
        labels: {want: 'x:1'}
    relabel_configs:
      - source_labels: [__address__]
        target_label: want
        action: keepequal
  - job_name: blackbox
    metrics_path: /probe
    params:
      module: [http_2xx]
    static_configs:
      - targets: ['model-a.example.com:443', 'model-b.example.com:443']
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: 127.0.0.1:2
      - target_label: __scrape_interval__
        replacement: 2m
  - job_name: keep-names
    static_configs:
      - targets: ['k:1']
        labels: {a: '1', b: '2', c: '3'}
    relabel_configs:
      - regex: '__.*|job|a|c'
        action: labelkeep
`;

interface PromTarget {
  labels: Record<string, string>;
  scrapeUrl: string;
  scrapePool: string;
  scrapeInterval: string;
}

describe('target labelling matches Prometheus', () => {
  let prom: PrometheusServer;
  let active: PromTarget[];
  let dropped: { discoveredLabels: Record<string, string> }[];

  beforeAll(async () => {
    prom = await startPrometheus(CONFIG);
    // Prometheus applies discovered targets on its own schedule; wait until every pool is there.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const data = await prom.api<{ activeTargets: PromTarget[]; droppedTargets: typeof dropped }>('/api/v1/targets');
      active = data.activeTargets;
      dropped = data.droppedTargets;
      if (new Set(active.map((t) => t.scrapePool)).size === 5 && dropped.length === 3) break;
      if (Date.now() > deadline) throw new Error(`Prometheus did not show all targets: ${JSON.stringify(data)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });
  afterAll(() => prom?.stop());

  it(`gives the same active targets (labels, URL, interval) as Prometheus`, () => {
    const cfg = parseConfig('/tmp/prometheus.yml', CONFIG);
    const ours = cfg.scrapeConfigs.flatMap((sc) => {
      let groups: Parameters<typeof buildTargets>[1] = [];
      staticProvider(sc.jobName, sc.staticConfigs).subscribe((g) => (groups = g));
      return buildTargets(sc, groups).active.map((t) => ({
        pool: sc.jobName,
        labels: t.labels.toRecord(),
        url: t.url,
        interval: t.intervalMs,
      }));
    });
    const theirs = active.map((t) => ({
      pool: t.scrapePool,
      labels: t.labels,
      url: t.scrapeUrl,
      interval: { '1m': 60_000, '30s': 30_000, '2m': 120_000 }[t.scrapeInterval],
    }));
    const key = (t: { pool: string; url: string; labels: Record<string, string> }) => `${t.pool} ${t.url} ${t.labels['instance']}`;
    expect(ours.sort((a, b) => (key(a) < key(b) ? -1 : 1))).toEqual(theirs.sort((a, b) => (key(a) < key(b) ? -1 : 1)));
    expect(ours.length).toBe(9);
  });

  it('drops the same targets as Prometheus', () => {
    const cfg = parseConfig('/tmp/prometheus.yml', CONFIG);
    const ours = cfg.scrapeConfigs.flatMap((sc) => {
      let groups: Parameters<typeof buildTargets>[1] = [];
      staticProvider(sc.jobName, sc.staticConfigs).subscribe((g) => (groups = g));
      return buildTargets(sc, groups).dropped.map((d) => d.discoveredLabels.toRecord()['__address__']);
    });
    expect(ours.sort()).toEqual(dropped.map((d) => d.discoveredLabels['__address__']).sort());
  });
});
