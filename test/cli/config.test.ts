import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../cli/config.js';
import { SourceError } from '../../util/yamlreader.js';

const FILE = '/etc/vigil/vigil.yaml';

function issuesOf(text: string): string[] {
  try {
    parseConfig(FILE, text);
  } catch (err) {
    if (err instanceof SourceError) return err.message.split('\n');
    throw err;
  }
  throw new Error('expected the config to be rejected');
}

describe('config', () => {
  it('reads a Prometheus-shaped config and applies defaults', () => {
    const cfg = parseConfig(
      FILE,
      `
global:
  scrape_interval: 15s
  external_labels: {cluster: gpu-east}
scrape_configs:
  - job_name: dcgm
    static_configs:
      - targets: ['10.0.0.1:9400', '10.0.0.2:9400']
        labels: {pool: h100}
  - job_name: vllm
    scrape_interval: 5s
    metrics_path: /metrics
    params: {format: [prometheus]}
    basic_auth: {username: vigil, password_file: secrets/vllm}
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: 'vllm:.*'
        action: keep
storage:
  embedded: {path: /var/lib/vigil, retention: 30d, wal_fsync_interval: 2s}
server:
  listen_address: ':9470'
`,
    );
    expect(cfg.global.scrapeIntervalMs).toBe(15_000);
    expect(cfg.global.scrapeTimeoutMs).toBe(10_000);
    expect(cfg.global.externalLabels).toEqual({ cluster: 'gpu-east' });
    const [dcgm, vllm] = cfg.scrapeConfigs;
    expect(dcgm!.scrapeIntervalMs).toBe(15_000);
    expect(dcgm!.staticConfigs[0]!.targets).toEqual(['10.0.0.1:9400', '10.0.0.2:9400']);
    expect(dcgm!.honorTimestamps).toBe(true);
    expect(vllm!.scrapeIntervalMs).toBe(5000);
    expect(vllm!.scrapeTimeoutMs).toBe(5000); // capped at the interval, as Prometheus does
    expect(vllm!.params).toEqual({ format: ['prometheus'] });
    expect(vllm!.basicAuth).toEqual({ username: 'vigil', password: { file: '/etc/vigil/secrets/vllm' } });
    expect(vllm!.metricRelabelConfigs[0]!.action).toBe('keep');
    expect(cfg.storage).toEqual({ path: '/var/lib/vigil', retentionMs: 30 * 86_400_000, walFsyncIntervalMs: 2000 });
    expect(cfg.server.listenAddress).toBe(':9470');
  });

  it('takes an empty file as all defaults', () => {
    const cfg = parseConfig(FILE, '');
    expect(cfg.scrapeConfigs).toEqual([]);
    expect(cfg.storage.path).toBe('/etc/vigil/data');
  });

  it('reports unknown keys with a suggestion, file:line:column and path', () => {
    expect(issuesOf('global:\n  scrape_intervall: 15s\n')).toEqual([
      '/etc/vigil/vigil.yaml:2:3: global.scrape_intervall: unknown field "scrape_intervall" (did you mean "scrape_interval"?)',
    ]);
  });

  it('reports every problem in one pass', () => {
    const issues = issuesOf(`
scrape_configs:
  - job_name: a
    scrape_interval: 10
    static_configs: [{targets: ['http://x:1/metrics']}]
  - job_name: a
  - static_configs: []
`);
    expect(issues).toEqual([
      '/etc/vigil/vigil.yaml:4:22: scrape_configs[0].scrape_interval: got 10, expected a duration such as 30s, 5m or 1h30m',
      '/etc/vigil/vigil.yaml:5:33: scrape_configs[0].static_configs[0].targets[0]: got "http://x:1/metrics", expected a host:port address such as "127.0.0.1:9400" (no scheme, no path)',
      '/etc/vigil/vigil.yaml:6:5: scrape_configs[1]: found multiple scrape configs with job name "a"',
      '/etc/vigil/vigil.yaml:7:5: scrape_configs[2]: field "job_name" is required',
    ]);
  });

  it('refuses secrets written in the config', () => {
    expect(issuesOf('scrape_configs:\n  - job_name: a\n    basic_auth: {username: u, password: hunter2}\n')).toEqual([
      '/etc/vigil/vigil.yaml:3:41: scrape_configs[0].basic_auth.password: secrets are not accepted in the config file; use password_file or password_env',
    ]);
  });

  it('rejects a timeout longer than the interval and invalid relabel configs', () => {
    const issues = issuesOf(`
scrape_configs:
  - job_name: a
    scrape_interval: 5s
    scrape_timeout: 10s
    relabel_configs:
      - action: hashmod
        target_label: shard
      - action: labeldrop
        regex: foo
        target_label: x
      - regex: '('
`);
    expect(issues[0]).toBe('/etc/vigil/vigil.yaml:5:21: scrape_configs[0].scrape_timeout: scrape timeout greater than scrape interval for scrape config with job name "a"');
    expect(issues[1]).toMatch(/:7:9: scrape_configs\[0\]\.relabel_configs\[0\]: relabel configuration for hashmod requires non-zero modulus$/);
    expect(issues[2]).toMatch(/:9:17: scrape_configs\[0\]\.relabel_configs\[1\]\.action: labeldrop action requires only 'regex', and no other fields$/);
    expect(issues[3]).toMatch(/:12:16: scrape_configs\[0\]\.relabel_configs\[2\]\.regex: /);
    expect(issues).toHaveLength(4);
  });

  it('reports YAML syntax errors with a position', () => {
    const [issue] = issuesOf('global:\n  scrape_interval: [15s\n');
    expect(issue).toMatch(/^\/etc\/vigil\/vigil\.yaml:\d+:\d+: /);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadConfig('/nonexistent/vigil.yaml')).toThrow('/nonexistent/vigil.yaml:1:1: cannot read config file: ENOENT');
  });

  it('resolves relative paths against the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cfg-'));
    writeFileSync(join(dir, 'vigil.yaml'), 'storage: {embedded: {path: ./db}}\nrule_files: [rules/*.yaml]\n');
    const cfg = loadConfig(join(dir, 'vigil.yaml'));
    expect(cfg.storage.path).toBe(join(dir, 'db'));
    expect(cfg.ruleFiles).toEqual([join(dir, 'rules/*.yaml')]);
  });
});
