import { execFile } from 'node:child_process';

/**
 * amtool runs amtool 0.25 (Debian package prometheus-alertmanager, installed by the test suite)
 * offline, the oracle for Alertmanager's configuration and routing. Only stdout is the answer:
 * every --config.file call also warns on stderr that the flag overrides --alertmanager.url.
 */
export interface AmtoolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function amtool(args: readonly string[]): Promise<AmtoolResult> {
  return new Promise((resolve, reject) => {
    execFile('amtool', args, { encoding: 'utf8', timeout: 20_000 }, (err, stdout, stderr) => {
      if (err !== null && typeof err.code !== 'number') {
        reject(new Error(`cannot run amtool (Debian package prometheus-alertmanager): ${err.message}`));
        return;
      }
      resolve({ code: err === null ? 0 : (err.code as number), stdout, stderr });
    });
  });
}

/** mapPool maps `items` with at most `size` calls of `fn` running at once, keeping the order. */
export async function mapPool<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return out;
}
