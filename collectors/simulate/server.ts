import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../util/clock.js';
import { Platform, TEXT_CONTENT_TYPE } from './platform.js';
import type { Scenario } from './scenario.js';
import type { SimTarget } from './targets.js';

export interface SimulatorOptions {
  readonly scenario: Scenario;
  /** clock gives the scenario's time: its now() at startup is the scenario's start. */
  readonly clock: Clock;
  /** host defaults to 127.0.0.1; port to 0 (any free port). */
  readonly host?: string;
  readonly port?: number;
}

/** ServedTarget is one simulated exporter as a scrape config needs it. */
export interface ServedTarget {
  readonly job: string;
  /** url is the full URL of the target's metrics endpoint on the simulator. */
  readonly url: string;
  /** labels are the target labels to attach besides job (instance, namespace, model, ...; see targets.ts). */
  readonly labels: Readonly<Record<string, string>>;
}

export interface Simulator {
  /** url is the server's base URL, such as http://127.0.0.1:40123. */
  readonly url: string;
  readonly targets: readonly ServedTarget[];
  readonly platform: Platform;
  close(): Promise<void>;
}

/**
 * startSimulator serves every simulated exporter from one HTTP server on 127.0.0.1, each on its
 * own path (`/dcgm/gpu-node-a/metrics`, `/vllm/llama-3-70b/v1/metrics`,
 * `/rabbitmq/metrics/per-object`, `/kube-state-metrics/metrics`). A request renders the body of
 * the platform at the clock's current time; the platform starts at the clock's time when the
 * server starts. A scrape config takes each target's address and path from `url`, and its
 * `labels` as static labels (they set `instance` too, so targets sharing the server's address
 * still get distinct, realistic instances): see scrapeConfigYaml.
 */
export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const platform = new Platform(opts.scenario, opts.clock.now());
  const byPath = new Map<string, SimTarget>(platform.targets.map((t) => [t.path, t]));
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const target = byPath.get(path);
    if (target === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`no simulated exporter at ${path}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    platform.at(Math.max(platform.time, opts.clock.now()));
    const body = platform.render(target);
    res.writeHead(200, { 'Content-Type': TEXT_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  const targets = platform.targets.map((t) => {
    const { job, ...labels } = t.labels;
    return { job: job!, url: url + t.path, labels };
  });
  return {
    url,
    targets,
    platform,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * scrapeConfigYaml renders `scrape_configs` for the served targets, one job each, pasteable into
 * vigil.yaml or prometheus.yml: each target's path rides in the `__metrics_path__` label, and its
 * target labels (instance included) are static labels.
 */
export function scrapeConfigYaml(targets: readonly ServedTarget[], opts: { scrapeInterval?: string } = {}): string {
  const jobs = new Map<string, ServedTarget[]>();
  for (const t of targets) jobs.set(t.job, [...(jobs.get(t.job) ?? []), t]);
  const lines = ['scrape_configs:'];
  for (const [job, list] of jobs) {
    lines.push(`  - job_name: ${job}`);
    if (opts.scrapeInterval !== undefined) lines.push(`    scrape_interval: ${opts.scrapeInterval}`);
    lines.push('    static_configs:');
    for (const t of list) {
      const u = new URL(t.url);
      const labels = { ...t.labels, __metrics_path__: u.pathname };
      const rendered = Object.entries(labels)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join(', ');
      lines.push(`      - targets: ['${u.host}']`, `        labels: {${rendered}}`);
    }
  }
  return lines.join('\n') + '\n';
}
