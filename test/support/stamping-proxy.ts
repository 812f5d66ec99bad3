import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../util/clock.js';

/** StampingProxy serves `upstream`'s text-format bodies with every sample stamped at the clock's time. */
export interface StampingProxy {
  /** url is the proxy's base URL; a path on it is fetched from the same path upstream. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * startStampingProxy lets a real Prometheus scrape a simulator that runs on a scaled clock. A
 * Prometheus stamps what it scrapes with its own wall clock, so data from a platform running 60
 * times faster would have rates 60 times too high and windows 60 times too long; with each sample
 * carrying the scenario's time (text format's optional timestamp, which Prometheus honours by
 * default: honor_timestamps), Prometheus stores the scenario exactly as it happened.
 */
export async function startStampingProxy(upstream: string, clock: Clock): Promise<StampingProxy> {
  const server = http.createServer((req, res) => {
    const t = clock.now();
    fetch(upstream + (req.url ?? '/')).then(
      async (up) => {
        const body = await up.text();
        const stamped = body
          .split('\n')
          .map((line) => (line === '' || line.startsWith('#') ? line : `${line} ${t}`))
          .join('\n');
        res.writeHead(up.status, { 'Content-Type': up.headers.get('content-type') ?? 'text/plain' }).end(stamped);
      },
      () => res.writeHead(502).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
