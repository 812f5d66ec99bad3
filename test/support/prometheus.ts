import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitReady, stopPeer } from './peer.js';
import { freePort } from './ports.js';

/** PrometheusServer is a real Prometheus (the Debian package) on 127.0.0.1, started for a test. */
export interface PrometheusServer {
  readonly url: string;
  readonly version: string;
  /** api GETs a Prometheus HTTP API path and returns `data`, failing on a non-success status. */
  api<T = unknown>(path: string, params?: Record<string, string>): Promise<T>;
  stop(): Promise<void>;
}

/** prometheusVersion is the installed Prometheus version, such as "2.42.0+ds". */
export function prometheusVersion(): string {
  const out = execFileSync('prometheus', ['--version'], { encoding: 'utf8' });
  return /version (\S+)/.exec(out)?.[1] ?? 'unknown';
}

/**
 * startPrometheus writes `configYaml` and starts Prometheus on a free port; it resolves once
 * /-/ready is 200. `dataDir` serves an existing TSDB (such as blocks made by promtool).
 */
export async function startPrometheus(configYaml: string, opts: { dataDir?: string; args?: string[] } = {}): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-prom-'));
  writeFileSync(join(dir, 'prometheus.yml'), configYaml);
  const port = await freePort();
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${opts.dataDir ?? join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
      ...(opts.args ?? []),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitReady('prometheus', `${url}/-/ready`, child, () => stderr);
  return {
    url,
    version: prometheusVersion(),
    async api<T>(path: string, params: Record<string, string> = {}): Promise<T> {
      const res = await fetch(`${url}${path}?${new URLSearchParams(params)}`);
      const body = (await res.json()) as { status: string; data: T; error?: string };
      if (body.status !== 'success') throw new Error(`prometheus ${path}: ${body.error}`);
      return body.data;
    },
    async stop() {
      await stopPeer(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
