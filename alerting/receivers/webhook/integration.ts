import { systemClock, type Clock } from '../../../util/clock.js';
import type { WebhookConfig } from '../../config/types.js';
import { notifySecret } from '../../notify/secret.js';
import { NotifyError, type Integration, type Notification } from '../../notify/types.js';
import { webhookBody } from './payload.js';
import { postTarget, startPost, type PostResult, type PostTarget } from './post.js';

export interface WebhookOptions {
  /** userAgent is sent as User-Agent; the CLI passes `vigil/<version>` (default `vigil`). */
  readonly userAgent?: string;
  /** clock runs the request timeout (default the system clock). */
  readonly clock?: Clock;
  /** env is where `*_env` secrets are read from (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

/** DEFAULT_TIMEOUT_MS bounds a request when the config sets no timeout; the flush's signal may end it sooner. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * webhookIntegration is a webhook_configs entry: it POSTs Alertmanager's version 4 JSON body to
 * the URL. A 2xx is success. A 5xx, a 429 (with its Retry-After), a timeout and a network error
 * are retryable; any other status is permanent (the endpoint refuses the payload or the
 * credentials). The URL and the bearer token are secrets: they are read at each notify (so a
 * rotated file takes effect) and appear in no error.
 */
export function webhookIntegration(config: WebhookConfig, index: number, opts: WebhookOptions = {}): Integration {
  const clock = opts.clock ?? systemClock;
  const env = opts.env ?? process.env;
  const userAgent = opts.userAgent ?? 'vigil';
  const timeoutMs = config.timeout ?? DEFAULT_TIMEOUT_MS;
  let parsed: { url: string; target: PostTarget | undefined } = { url: '', target: undefined };
  return {
    name: 'webhook',
    index,
    sendResolved: config.sendResolved,
    async notify(n: Notification, signal: AbortSignal): Promise<undefined> {
      if (signal.aborted) throw aborted();
      const url = notifySecret(config.url, 'webhook', 'url', env);
      // The URL is read at each notify (a rotated secret file takes effect) but parsed once.
      if (url !== parsed.url) parsed = { url, target: postTarget(url) };
      const target = parsed.target;
      if (target === undefined) {
        const message = URL.canParse(url) ? 'webhook: url must be http or https' : 'webhook: url is not an absolute URL';
        throw new NotifyError('config', message, { retryable: false });
      }
      const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': userAgent };
      if (config.bearerToken !== undefined) headers['Authorization'] = `Bearer ${notifySecret(config.bearerToken, 'webhook', 'bearer token', env)}`;
      const post = startPost(target, headers, webhookBody(n, config.maxAlerts));

      let timedOut = false;
      const timer = clock.setTimeout(() => {
        timedOut = true;
        post.abort(new Error('timeout'));
      }, timeoutMs);
      const onAbort = () => post.abort(aborted());
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        let res: PostResult;
        try {
          res = await post.result;
        } catch (err) {
          if (timedOut) throw new NotifyError('timeout', `webhook: no response within ${timeoutMs}ms`, { retryable: true });
          if (signal.aborted) throw aborted();
          throw networkError(err);
        }
        if (res.status >= 200 && res.status < 300) return undefined;
        throw statusError(res.status, res.retryAfter, clock.now());
      } finally {
        clock.clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      }
    },
  };
}

/** statusError classifies a non-2xx answer: 5xx and 429 are worth retrying, other statuses are not. */
export function statusError(status: number, retryAfter: string | null, now: number): NotifyError {
  const retryable = status >= 500 || status === 429;
  const retryAfterMs = retryable ? parseRetryAfter(retryAfter, now) : undefined;
  const message = `webhook: endpoint answered HTTP ${status}`;
  return new NotifyError(`http_${status}`, message, retryAfterMs === undefined ? { retryable } : { retryable, retryAfterMs });
}

/** parseRetryAfter reads Retry-After as seconds or an HTTP date (RFC 9110), in ms from `now`. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

function networkError(err: unknown): NotifyError {
  // The system error's code is enough; its message could name the URL, which is a secret.
  const code = (err as { code?: unknown }).code;
  return new NotifyError('network', `webhook: request failed (${typeof code === 'string' ? code : 'unknown'})`, { retryable: true });
}

function aborted(): NotifyError {
  return new NotifyError('aborted', 'webhook: notification aborted', { retryable: true });
}
