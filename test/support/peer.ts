import type { ChildProcess } from 'node:child_process';

/**
 * waitReady polls `url` until it answers 200, for a peer started as `child` (Prometheus,
 * Alertmanager). It fails with the peer's standard error when the peer exits or 30 s pass.
 */
export async function waitReady(name: string, url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${stderr()}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not become ready: ${stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** stopPeer ends a peer with SIGTERM and waits for it to exit. */
export async function stopPeer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
