import type { ServerResponse } from 'node:http';
import { ApiError, fromEngineError } from './errors.js';
import { type Form, readForm } from './form.js';
import { buildInfo, metadata } from './metadata.js';
import { ParamError } from './params.js';
import { instantQuery, rangeQuery } from './query.js';
import { writeError, writeSuccess } from './respond.js';
import { labelNames, labelValues, series } from './series.js';
import type { ApiHandler, QueryAPIOptions, Reply } from './types.js';

/**
 * QueryAPIRoute is one path of the query API. `prefix` routes serve every path under `path` (the
 * label values endpoint has the label name inside its path) and answer 404 for the ones they do
 * not know.
 */
export interface QueryAPIRoute {
  readonly methods: readonly string[];
  readonly path: string;
  readonly prefix?: true;
  readonly handler: ApiHandler;
}

/** LABEL_PATH is the prefix of `/api/v1/label/<name>/values`. */
export const LABEL_PATH = '/api/v1/label/';

type Endpoint = (form: Form, opts: QueryAPIOptions, url: URL) => Reply | Promise<Reply>;

/**
 * queryAPIRoutes lists the Prometheus-compatible query API, with the methods Prometheus accepts on
 * each path (GET and form-encoded POST where Prometheus takes both, GET only elsewhere; OPTIONS
 * answers 204 everywhere, as Prometheus's CORS preflight does). `options` returns undefined while
 * the store is not open yet; requests then get 503, as Prometheus answers before it is ready.
 * `onInternalError` hears failures that are not the request's fault (they are answered 500).
 */
export function queryAPIRoutes(options: () => QueryAPIOptions | undefined, onInternalError: (err: unknown) => void = () => {}): QueryAPIRoute[] {
  const endpoint =
    (fn: Endpoint): ApiHandler =>
    async (req, res, url) => {
      const opts = options();
      if (opts === undefined) return unavailable(res);
      if (req.method === 'OPTIONS') return noContent(res);
      try {
        const form = await readForm(req, url);
        const reply = await fn(form, opts, url);
        writeSuccess(res, reply.data, reply.warnings, reply.infos);
      } catch (err) {
        if (err instanceof ParamError) return writeError(res, new ApiError('bad_data', err.message));
        const apiErr = fromEngineError(err);
        if (apiErr.type === 'internal') onInternalError(apiErr.cause ?? apiErr);
        writeError(res, apiErr);
      }
    };
  const values = endpoint((form, opts, url) => labelValues(labelNameOf(url.pathname)!, form, opts));
  const GET_POST = ['GET', 'POST', 'OPTIONS'];
  const GET = ['GET', 'OPTIONS'];
  return [
    { methods: GET_POST, path: '/api/v1/query', handler: endpoint(instantQuery) },
    { methods: GET_POST, path: '/api/v1/query_range', handler: endpoint(rangeQuery) },
    { methods: GET_POST, path: '/api/v1/series', handler: endpoint(series) },
    { methods: GET_POST, path: '/api/v1/labels', handler: endpoint(labelNames) },
    {
      methods: GET,
      path: LABEL_PATH,
      prefix: true,
      handler: async (req, res, url) => {
        const name = labelNameOf(url.pathname);
        if (name === undefined) return notFound(res);
        if (name === null) return badRequest(res);
        return values(req, res, url);
      },
    },
    { methods: GET, path: '/api/v1/metadata', handler: endpoint(metadata) },
    { methods: GET, path: '/api/v1/status/buildinfo', handler: endpoint(buildInfo) },
  ];
}

/**
 * labelNameOf takes `<name>` out of `/api/v1/label/<name>/values`, percent-decoded: undefined when
 * the path has another shape (404), null when the name is not valid percent-encoded UTF-8 (400).
 */
export function labelNameOf(pathname: string): string | undefined | null {
  if (!pathname.startsWith(LABEL_PATH) || !pathname.endsWith('/values')) return undefined;
  const raw = pathname.slice(LABEL_PATH.length, -'/values'.length);
  if (raw === '' || raw.includes('/')) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

function unavailable(res: ServerResponse): void {
  res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('Service Unavailable\n');
}

function noContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('404 page not found\n');
}

function badRequest(res: ServerResponse): void {
  res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('400 Bad Request\n');
}
