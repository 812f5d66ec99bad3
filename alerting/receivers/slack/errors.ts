import { ErrorCode, type WebAPIHTTPError, type WebAPIPlatformError, type WebAPIRateLimitedError, type WebAPIRequestError } from '@slack/web-api';
import { NotifyError } from '../../notify/types.js';

/**
 * How Slack failures become NotifyErrors. Slack answers most failures with HTTP 200 and
 * `{ok:false, error}`; the client turns those into WebAPIPlatformError and everything else into
 * WebAPIRateLimitedError (429), WebAPIHTTPError (other non-200) or WebAPIRequestError (network,
 * timeout). Codes are Slack's own (`channel_not_found`) or `http_<status>`, plus `timeout`,
 * `network_error`, `aborted` and `invalid_response`.
 */

/**
 * RETRYABLE_PLATFORM_ERRORS are `ok:false` codes that say "later": a posting-volume limit or
 * trouble on Slack's side. Every other platform error (invalid_auth, not_authed, token_revoked,
 * account_inactive, missing_scope, channel_not_found, not_in_channel, is_archived, msg_too_long,
 * invalid_blocks, ...) is permanent: sending the same request again gets the same answer.
 */
export const RETRYABLE_PLATFORM_ERRORS: ReadonlySet<string> = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/**
 * MESSAGE_GONE_ERRORS are the chat.update (and thread reply) codes that mean the group's message
 * can no longer be edited or replied to: deleted, too old, or not ours. The integration then posts
 * a new message instead.
 */
export const MESSAGE_GONE_ERRORS: ReadonlySet<string> = new Set([
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'thread_not_found',
]);

/** CallContext names the failed call in messages: the Web API method and the channel. */
export interface CallContext {
  readonly method: string;
  readonly channel: string;
  /** token is scrubbed from every message, whatever produced it. */
  readonly token: string;
  readonly signal: AbortSignal;
}

/** toNotifyError classifies a failed Web API call. The message never holds the token. */
export function toNotifyError(err: unknown, ctx: CallContext): NotifyError {
  const where = `slack ${ctx.method} to ${ctx.channel}`;
  const make = (code: string, what: string, retryable: boolean, retryAfterMs?: number) =>
    new NotifyError(code, scrub(`${where}: ${what}`, ctx.token), {
      retryable,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      cause: err,
    });

  if (err instanceof NotifyError) return err;
  if (ctx.signal.aborted) return make('aborted', `aborted (${reason(ctx.signal.reason)})`, true);
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case ErrorCode.PlatformError: {
      const e = err as WebAPIPlatformError;
      const slackCode = typeof e.data?.error === 'string' && e.data.error !== '' ? e.data.error : 'unknown_error';
      const errors = (e.data as unknown as Record<string, unknown> | undefined)?.['errors'];
      const detail = Array.isArray(errors) ? ` (${errors.map(String).join('; ')})` : '';
      return make(slackCode, `Slack answered ${slackCode}${detail}`, RETRYABLE_PLATFORM_ERRORS.has(slackCode));
    }
    case ErrorCode.RateLimitedError: {
      const e = err as WebAPIRateLimitedError;
      return make('http_429', `rate limited, retry after ${e.retryAfter}s`, true, e.retryAfter * 1000);
    }
    case ErrorCode.HTTPError: {
      const e = err as WebAPIHTTPError;
      return make(`http_${e.statusCode}`, `HTTP ${e.statusCode} ${e.statusMessage}`.trim(), e.statusCode >= 500 || e.statusCode === 408);
    }
    case ErrorCode.RequestError: {
      const original = (err as WebAPIRequestError).original;
      if (original?.name === 'TimeoutError') return make('timeout', 'no answer before the timeout', true);
      return make('network_error', `request failed: ${describe(original)}`, true);
    }
  }
  // The client answers a 429 that carries no usable Retry-After with a plain Error.
  const message = err instanceof Error ? err.message : String(err);
  if (/retry header did not contain a valid timeout/i.test(message)) return make('http_429', 'rate limited (no Retry-After)', true);
  return make('unknown_error', message, false);
}

/** scrub removes the token from text that may quote a request (URLs, bodies, headers). */
export function scrub(text: string, token: string): string {
  return token.length >= 4 ? text.split(token).join('<token>') : text;
}

function describe(err: Error | undefined): string {
  if (err === undefined) return 'unknown error';
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return code === undefined ? err.message : `${err.message} (${code})`;
}

function reason(r: unknown): string {
  return r instanceof Error ? r.message : String(r);
}
