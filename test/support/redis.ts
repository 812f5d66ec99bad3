import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopPeer } from './peer.js';
import { freePort } from './ports.js';

/**
 * RedisServer is a real redis-server (the Debian package) on 127.0.0.1, started for a test, with no
 * persistence (`--save '' --appendonly no`): a stop loses every key, as a crashed cache would.
 */
export interface RedisServer {
  readonly host: '127.0.0.1';
  /** port stays the same across stop() and start(), so clients can reconnect to it. */
  readonly port: number;
  /** address is `127.0.0.1:<port>`, what a collector reports as its instance. */
  readonly address: string;
  /** url is `redis://127.0.0.1:<port>`, without credentials. */
  readonly url: string;
  readonly version: string;
  /** running is true between a start and a stop. */
  readonly running: boolean;
  /** stop ends the server with SIGTERM and waits for it to exit; a stopped server stays stopped. */
  stop(): Promise<void>;
  /** start runs the server again on the same port and directory, resolving once PING answers. */
  start(): Promise<void>;
  /** close stops the server and removes its directory. */
  close(): Promise<void>;
}

export interface RedisOptions {
  /** requirePassword starts the server with `--requirepass`, for tests of authenticated clients. */
  readonly requirePassword?: string;
}

/** redisVersion is the installed redis-server version, such as "7.0.15". */
export function redisVersion(): string {
  const out = execFileSync('redis-server', ['--version'], { encoding: 'utf8' });
  return /v=(\S+)/.exec(out)?.[1] ?? 'unknown';
}

/** startRedis starts redis-server on a free port in a temporary directory; it resolves once PING answers. */
export async function startRedis(opts: RedisOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-redis-'));
  const port = await freePort();
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'no',
    '--loglevel', 'warning',
    ...(opts.requirePassword === undefined ? [] : ['--requirepass', opts.requirePassword]),
  ];
  let child: ChildProcess | undefined;
  const start = async () => {
    if (child !== undefined && alive(child)) return;
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child = proc;
    await waitForPing(port, proc, () => output);
  };
  await start();
  const version = redisVersion();
  return {
    host: '127.0.0.1',
    port,
    address: `127.0.0.1:${port}`,
    url: `redis://127.0.0.1:${port}`,
    version,
    get running() {
      return child !== undefined && alive(child);
    },
    async stop() {
      if (child !== undefined && alive(child)) await stopPeer(child);
    },
    start,
    async close() {
      if (child !== undefined && alive(child)) await stopPeer(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * waitForPing sends PING until the server answers `+PONG` (or `-NOAUTH`, which also means it
 * accepts commands). A server still loading its data answers `-LOADING` and is not ready yet.
 */
async function waitForPing(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${output()}`);
    const reply = await ping(port).catch(() => '');
    if (reply.startsWith('+PONG') || reply.startsWith('-NOAUTH')) return;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer PING on port ${port}: ${output()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** ping sends one inline PING and resolves with the first reply line. */
function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let data = '';
    socket.setTimeout(1000, () => socket.destroy(new Error('PING timed out')));
    socket.once('error', reject);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d: Buffer) => {
      data += d.toString();
      const end = data.indexOf('\r\n');
      if (end >= 0) {
        socket.end();
        resolve(data.slice(0, end));
      }
    });
  });
}
