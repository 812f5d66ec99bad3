import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { splitHostPort } from './config.js';

/** Handler answers one HTTP request; `url` is parsed against the request's own path. */
export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

/**
 * HttpServer is vigil's single listener: /metrics, health, and the APIs that later parts add with
 * route(). Routes match exact paths; unknown paths get 404 and wrong methods 405, as Prometheus.
 */
export class HttpServer {
  private readonly routes = new Map<string, Map<string, Handler>>();
  private readonly prefixRoutes: { prefix: string; byMethod: Map<string, Handler> }[] = [];
  private readonly server: http.Server;

  constructor(private readonly onError: (err: unknown) => void = () => {}) {
    this.server = http.createServer((req, res) => void this.dispatch(req, res));
    // Keep-alive sockets must not hold shutdown open.
    this.server.keepAliveTimeout = 5_000;
  }

  route(method: string | readonly string[], path: string, handler: Handler): this {
    let byMethod = this.routes.get(path);
    if (byMethod === undefined) {
      byMethod = new Map();
      this.routes.set(path, byMethod);
    }
    for (const m of typeof method === 'string' ? [method] : method) byMethod.set(m, handler);
    return this;
  }

  /**
   * routePrefix serves every path under `prefix` that has no exact route, for paths with a
   * parameter inside (`/api/v1/label/<name>/values`); the handler parses the rest of the path.
   */
  routePrefix(method: string | readonly string[], prefix: string, handler: Handler): this {
    const byMethod = new Map<string, Handler>();
    for (const m of typeof method === 'string' ? [method] : method) byMethod.set(m, handler);
    this.prefixRoutes.push({ prefix, byMethod });
    return this;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const byMethod = this.routes.get(url.pathname) ?? this.prefixRoutes.find((r) => url.pathname.startsWith(r.prefix))?.byMethod;
    const handler = byMethod?.get(req.method ?? 'GET') ?? (req.method === 'HEAD' ? byMethod?.get('GET') : undefined);
    try {
      if (byMethod === undefined) return sendText(res, 404, '404 page not found\n');
      if (handler === undefined) {
        res.setHeader('Allow', [...byMethod.keys()].join(', '));
        return sendText(res, 405, 'Method Not Allowed\n');
      }
      await handler(req, res, url);
    } catch (err) {
      this.onError(err);
      if (!res.headersSent) sendText(res, 500, 'internal server error\n');
      else res.destroy();
    }
  }

  /** listen binds `host:port` and returns the bound address (useful with port 0). */
  listen(address: string): Promise<{ host: string; port: number }> {
    const hp = splitHostPort(address);
    if (hp === undefined) return Promise.reject(new Error(`invalid listen address ${JSON.stringify(address)}`));
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(hp.port, hp.host === '' ? undefined : hp.host, () => {
        this.server.off('error', reject);
        const a = this.server.address() as AddressInfo;
        resolve({ host: a.address, port: a.port });
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** sendJSON writes a Prometheus API envelope: `{"status":"success","data":...}`. */
export function sendJSON(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
