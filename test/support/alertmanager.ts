import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitReady, stopPeer } from './peer.js';
import { freePort } from './ports.js';

/** AlertmanagerServer is a real Alertmanager 0.25 (Debian's prometheus-alertmanager) on 127.0.0.1. */
export interface AlertmanagerServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** startAlertmanager starts one with `config` (a receiver-only route by default), clustering off. */
export async function startAlertmanager(config = 'route:\n  receiver: r\nreceivers:\n  - name: r\n'): Promise<AlertmanagerServer> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-am-'));
  writeFileSync(join(dir, 'am.yml'), config);
  const port = await freePort();
  const child: ChildProcess = spawn(
    'prometheus-alertmanager',
    [`--config.file=${join(dir, 'am.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitReady('alertmanager', `${url}/-/ready`, child, () => stderr);
  return {
    url,
    async stop() {
      await stopPeer(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
