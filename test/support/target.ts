import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** TargetBehaviour is what a fake exporter answers; tests change it between scrapes. */
export interface TargetBehaviour {
  body: string;
  contentType: string;
  status: number;
  gzip: boolean;
  /** hold, when set, delays the answer until the promise resolves (for timeouts). */
  hold: Promise<void> | undefined;
  /** requireAuthorization, when set, answers 401 unless the header equals it. */
  requireAuthorization: string | undefined;
}

/** ExporterServer is a loopback HTTP server that plays an exporter's /metrics endpoint. */
export interface ExporterServer {
  readonly address: string;
  readonly behaviour: TargetBehaviour;
  /** requests holds each request's path and headers, in order. */
  readonly requests: { url: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function startExporter(initial: Partial<TargetBehaviour> = {}): Promise<ExporterServer> {
  const behaviour: TargetBehaviour = {
    body: '',
    contentType: 'text/plain; version=0.0.4; charset=utf-8',
    status: 200,
    gzip: false,
    hold: undefined,
    requireAuthorization: undefined,
    ...initial,
  };
  const requests: ExporterServer['requests'] = [];
  const server = http.createServer(async (req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    if (behaviour.hold !== undefined) await behaviour.hold;
    if (behaviour.requireAuthorization !== undefined && req.headers.authorization !== behaviour.requireAuthorization) {
      res.writeHead(401, 'Unauthorized');
      res.end();
      return;
    }
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': behaviour.contentType };
    let payload: Buffer = Buffer.from(behaviour.body);
    if (behaviour.gzip) {
      payload = gzipSync(payload);
      headers['Content-Encoding'] = 'gzip';
    }
    res.writeHead(behaviour.status, headers);
    res.end(payload);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    address: `127.0.0.1:${port}`,
    behaviour,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
