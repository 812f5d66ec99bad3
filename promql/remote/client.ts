import type { Clock } from '../../util/clock.js';
import { readSecret, type SecretRef } from '../../util/secret.js';
import type { RemoteStoreConfig } from './config.js';
import { redactURL, RemoteError } from './errors.js';

/** RemoteRequest is one HTTP request to the remote store: a path under the API base, or a full URL. */
export interface RemoteRequest {
  readonly url: URL;
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

/** RemoteResponse is a response that arrived (any status); the body is read in full. */
export interface RemoteResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

export interface RemoteClientOptions {
  readonly config: RemoteStoreConfig;
  /** clock times each attempt's timeout and the back-off between retries. */
  readonly clock: Clock;
  readonly env?: NodeJS.ProcessEnv;
  readonly userAgent?: string;
}

/** Back-off between attempts: 250 ms, doubling, at most 5 s (in clock time). */
const BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5_000;

/**
 * RemoteClient sends requests to a Prometheus-compatible API with the configured credentials and
 * headers, one timeout per attempt and retries where a retry can help: connection errors,
 * timeouts, 5xx and 429 (after Retry-After when it says so, within the back-off cap). A 4xx other
 * than 429 is the request's fault and is returned at once. do() resolves with any response that
 * arrived and was not retried away; it rejects with RemoteError only when no usable response came.
 */
export class RemoteClient {
  readonly base: URL;
  private readonly config: RemoteStoreConfig;
  private readonly clock: Clock;
  private readonly env: NodeJS.ProcessEnv;
  private readonly userAgent: string;

  constructor(opts: RemoteClientOptions) {
    this.config = opts.config;
    this.base = new URL(opts.config.url + '/');
    this.clock = opts.clock;
    this.env = opts.env ?? process.env;
    this.userAgent = opts.userAgent ?? 'vigil';
  }

  /** api resolves an API path (such as `api/v1/query`) against the configured base URL. */
  api(path: string): URL {
    return new URL(path.replace(/^\/+/, ''), this.base);
  }

  async do(req: RemoteRequest): Promise<RemoteResponse> {
    const attempts = this.config.retries + 1;
    let last: RemoteError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await this.clock.sleep(Math.min(MAX_BACKOFF_MS, BACKOFF_MS * 2 ** (attempt - 1)));
      const res = await this.attempt(req).catch((err: unknown) => {
        if (err instanceof RemoteError) return err;
        throw err; // a secret that cannot be read: no retry helps
      });
      if (res instanceof RemoteError) {
        last = res;
        continue;
      }
      if (res.status === 429 || res.status >= 500) {
        last = new RemoteError('http_status', `${req.method} ${redactURL(req.url)}: HTTP ${res.status}`, true, res.status);
        if (attempt + 1 < attempts) {
          const after = Number(res.headers.get('retry-after'));
          if (Number.isFinite(after) && after > 0) await this.clock.sleep(Math.min(MAX_BACKOFF_MS, after * 1000));
          continue;
        }
      }
      return res;
    }
    throw last!;
  }

  private async attempt(req: RemoteRequest): Promise<RemoteResponse> {
    const headers: Record<string, string> = { 'User-Agent': this.userAgent, ...this.config.headers, ...req.headers };
    const auth = this.authorization();
    if (auth !== undefined) headers['Authorization'] = auth;
    const abort = new AbortController();
    const timer = this.clock.setTimeout(() => abort.abort(), this.config.timeoutMs);
    const where = `${req.method} ${redactURL(req.url)}`;
    try {
      const res = await fetch(req.url, {
        method: req.method,
        headers,
        signal: abort.signal,
        ...(req.body === undefined ? {} : { body: req.body }),
      });
      return { status: res.status, headers: res.headers, body: await res.text() };
    } catch (err) {
      if (abort.signal.aborted) throw new RemoteError('timeout', `${where}: no response within ${this.config.timeoutMs} ms`, true);
      // fetch's own message is "fetch failed"; the cause says why (ECONNREFUSED ...), never a header.
      // Only the cause's code is shown: fetch's messages may echo the request URL in full.
      const cause = (err as { cause?: { code?: unknown } }).cause;
      throw new RemoteError('unreachable', `${where}: ${typeof cause?.code === 'string' ? cause.code : 'connection failed'}`, true);
    } finally {
      this.clock.clearTimeout(timer);
    }
  }

  private authorization(): string | undefined {
    const { bearerToken, basicAuth } = this.config;
    if (bearerToken !== undefined) return `Bearer ${this.secret(bearerToken)}`;
    if (basicAuth !== undefined) return `Basic ${Buffer.from(`${basicAuth.username}:${this.secret(basicAuth.password)}`).toString('base64')}`;
    return undefined;
  }

  private secret(ref: SecretRef): string {
    return readSecret(ref, this.env);
  }
}
