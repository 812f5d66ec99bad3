import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Matcher } from '../../model/matcher.js';
import { RegexError } from '../../model/regex.js';
import type { Clock } from '../../util/clock.js';
import { MatcherParseError, parseMatcher } from '../config/matchers.js';
import { SilenceError } from '../silence/errors.js';
import { compareGettable, decodePostableSilence, gettableSilence, OpenAPIError } from '../silence/openapi.js';
import type { Silences } from '../silence/silences.js';

/** Handler has the shape of cli/server.ts's Handler: `url` is the request's parsed URL. */
export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export const SILENCES_PATH = '/api/v2/silences';
/** SILENCE_PREFIX is followed by a silence id: GET and DELETE /api/v2/silence/{silenceID}. */
export const SILENCE_PREFIX = '/api/v2/silence/';
/** DEFAULT_MAX_BODY_BYTES bounds a POSTed silence (1 MiB); a larger body gets 413. */
export const DEFAULT_MAX_BODY_BYTES = 1 << 20;

export interface SilencesAPIOptions {
  readonly silences: Silences;
  /** clock gives the `now` at which listed silences are in their state. */
  readonly clock: Clock;
  readonly maxBodyBytes?: number;
}

/**
 * SilencesAPI is Alertmanager's API v2 for silences, answering as Alertmanager 0.25 does (its
 * status codes and bodies were recorded from a running 0.25), so amtool and Alertmanager's UI
 * work against vigil:
 * - GET  /api/v2/silences[?filter=M...]  200 [gettableSilence], sorted as Alertmanager sorts;
 *   a filter that is not a matcher: 400 with a JSON string.
 * - POST /api/v2/silences  200 {"silenceID"}; 400 (JSON string) for an invalid silence, 400 or
 *   422 ({"code","message"}) for a body the schema refuses, 404 for an unknown id, 413 over the
 *   body limit, 415 for a body that is not application/json.
 * - GET  /api/v2/silence/{id}  200 gettableSilence, 404 empty; 422 when id is not a UUID.
 * - DELETE /api/v2/silence/{id}  200 empty, 404 for an unknown id (Alertmanager 0.25 answers 500
 *   there; later versions 404).
 */
export interface SilencesAPI {
  readonly getSilences: Handler;
  readonly postSilences: Handler;
  readonly getSilence: Handler;
  readonly deleteSilence: Handler;
}

export function silencesAPI(opts: SilencesAPIOptions): SilencesAPI {
  const { silences, clock } = opts;
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return {
    getSilences(_req, res, url) {
      let filter: Matcher[];
      try {
        filter = url.searchParams.getAll('filter').map(parseMatcher);
      } catch (err) {
        if (err instanceof MatcherParseError || err instanceof RegexError) return sendJSON(res, 400, err.message);
        throw err;
      }
      const now = clock.now();
      const list = silences.query({ matchers: filter }, now).map((s) => gettableSilence(s, now));
      sendJSON(res, 200, list.sort(compareGettable));
    },

    async postSilences(req, res) {
      const type = (req.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json') {
        return sendCodeError(res, 415, 415, `unsupported media type ${JSON.stringify(type)}, only [application/json] are allowed`);
      }
      const body = await readBody(req, maxBodyBytes);
      if (body === undefined) {
        res.setHeader('Connection', 'close');
        return sendCodeError(res, 413, 413, `request body is larger than ${maxBodyBytes} bytes`);
      }
      try {
        const id = silences.set(decodePostableSilence(body, clock.now()));
        sendJSON(res, 200, { silenceID: id });
      } catch (err) {
        sendError(res, err);
      }
    },

    getSilence(_req, res, url) {
      const id = silenceID(res, url);
      if (id === undefined) return;
      const s = silences.get(id);
      if (s === undefined) return sendEmpty(res, 404);
      sendJSON(res, 200, gettableSilence(s, clock.now()));
    },

    deleteSilence(_req, res, url) {
      const id = silenceID(res, url);
      if (id === undefined) return;
      try {
        silences.expire(id);
        sendEmpty(res, 200);
      } catch (err) {
        if (err instanceof SilenceError && err.code === 'not_found') return sendEmpty(res, 404);
        sendError(res, err);
      }
    },
  };
}

/**
 * SilenceRoute is one path for cli/server.ts with the methods its handler serves: register it
 * with `route(methods, path, handler)`, or `routePrefix(...)` when `prefix` is set.
 */
export interface SilenceRoute {
  readonly methods: readonly string[];
  readonly path: string;
  readonly prefix: boolean;
  readonly handler: Handler;
}

/**
 * silenceRoutes lists the API's routes. With `token`, the write methods (POST, DELETE) require it
 * as a bearer token (requireBearerToken); reads stay open, as Alertmanager's are.
 */
export function silenceRoutes(api: SilencesAPI, token?: () => string): SilenceRoute[] {
  const write = (h: Handler) => (token === undefined ? h : requireBearerToken(token, h));
  return [
    { methods: ['GET', 'POST'], path: SILENCES_PATH, prefix: false, handler: byMethod({ GET: api.getSilences, POST: write(api.postSilences) }) },
    { methods: ['GET', 'DELETE'], path: SILENCE_PREFIX, prefix: true, handler: byMethod({ GET: api.getSilence, DELETE: write(api.deleteSilence) }) },
  ];
}

/** byMethod serves one path with a handler per method (HEAD as GET); the server answers 405 for the rest. */
function byMethod(handlers: Readonly<Record<string, Handler>>): Handler {
  return (req, res, url) => {
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const h = handlers[method];
    if (h === undefined) {
      res.setHeader('Allow', Object.keys(handlers).join(', '));
      return sendCodeError(res, 405, 405, `method ${method} is not allowed, but [${Object.keys(handlers).join(',')}] are`);
    }
    return h(req, res, url);
  };
}

/**
 * requireBearerToken wraps a handler so it runs only for `Authorization: Bearer <token>`; other
 * requests get 401. `token` is asked on every request, so the caller can read it from a file or
 * the environment and a rotated token takes effect at once; if it throws or gives "", the request
 * is refused with 500 (fail closed). The token is compared in constant time and never echoed.
 */
export function requireBearerToken(token: () => string, handler: Handler): Handler {
  return (req, res, url) => {
    let expected: string;
    try {
      expected = token();
    } catch {
      return sendJSON(res, 500, 'the API bearer token cannot be read');
    }
    if (expected === '') return sendJSON(res, 500, 'the API bearer token is empty');
    const m = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '');
    if (m === null || !sameSecret(m[1]!, expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="vigil"');
      return sendCodeError(res, 401, 401, 'unauthorized: a valid bearer token is required (Authorization: Bearer <token>)');
    }
    return handler(req, res, url);
  };
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

// go-openapi's uuid format, which Alertmanager applies to {silenceID}: dashes optional.
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** silenceID reads {silenceID} from the path, answering 404 or 422 itself when there is none. */
function silenceID(res: ServerResponse, url: URL): string | undefined {
  const raw = url.pathname.slice(SILENCE_PREFIX.length);
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    id = raw;
  }
  if (id === '' || raw.includes('/')) {
    sendCodeError(res, 404, 404, `path ${url.pathname} was not found`);
    return undefined;
  }
  if (!UUID.test(id)) {
    sendCodeError(res, 422, 601, `silenceID in path must be of type uuid: ${JSON.stringify(id)}`);
    return undefined;
  }
  return id;
}

/** readBody reads the request body as UTF-8, or returns undefined once it passes `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume(); // discard the rest; the response closes the connection
        resolve(undefined);
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.once('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

/** sendError answers a failed write as Alertmanager does: its schema errors as objects, the rest as JSON strings. */
function sendError(res: ServerResponse, err: unknown): void {
  if (err instanceof OpenAPIError) return sendCodeError(res, err.status, err.code, err.message);
  if (err instanceof SilenceError) {
    if (err.code === 'invalid') return sendJSON(res, 400, err.message);
    if (err.code === 'not_found') return sendJSON(res, 404, err.message);
  }
  sendJSON(res, 500, (err as Error).message);
}

/** sendJSON writes JSON followed by a newline, as go-openapi's JSON producer (Go's json.Encoder) does. */
function sendJSON(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body) + '\n');
}

/** sendCodeError writes go-openapi's error object, which (unlike its other answers) has no trailing newline. */
function sendCodeError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ code, message }));
}

function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': '0' });
  res.end();
}
