import { LogLevel, WebClient, type FetchFunction, type Logger as SlackLogger } from '@slack/web-api';
import { NotifyError } from '../../notify/types.js';
import type { Logger } from '../../../util/log.js';
import type { Block } from './blocks.js';
import { scrub, toNotifyError } from './errors.js';

/** DEFAULT_API_URL is Slack's Web API base. */
export const DEFAULT_API_URL = 'https://slack.com/api/';

/** SlackAPIOptions configure one notify's calls. timeoutMs: per request, undefined or 0 for none. */
export interface SlackAPIOptions {
  readonly token: string;
  readonly apiURL: string;
  readonly timeoutMs: number | undefined;
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

/** PostArgs are chat.postMessage's arguments as vigil uses them. */
export interface PostArgs {
  readonly channel: string;
  readonly text: string;
  readonly blocks?: readonly Block[];
  readonly threadTs?: string;
  readonly username?: string | undefined;
  readonly iconEmoji?: string | undefined;
  readonly iconURL?: string | undefined;
  readonly linkNames?: boolean;
}

/** UpdateArgs are chat.update's: `channel` is an id, `ts` the message to replace. */
export interface UpdateArgs {
  readonly channel: string;
  readonly ts: string;
  readonly text: string;
  readonly blocks: readonly Block[];
}

/** Posted is where a message is: the channel id and the message ts Slack answered. */
export interface Posted {
  readonly channel: string;
  readonly ts: string;
}

/**
 * SlackAPI is the two Web API calls the integration makes. Each makes exactly one HTTP request
 * (no retry, 429 rejected at once: the retry stage decides) and rejects with a NotifyError.
 */
export interface SlackAPI {
  postMessage(args: PostArgs): Promise<Posted>;
  update(args: UpdateArgs): Promise<Posted>;
}

/**
 * slackAPI opens the Web API with `@slack/web-api`'s WebClient for one notify (`apiCall`, the
 * path the typed `chat.*` methods take; the client drops undefined arguments). The client cannot
 * take an abort signal per call, so the signal reaches the HTTP request through the client's
 * `fetch` option, and each call also races it (nothing waits on a request after an abort).
 */
export function slackAPI(o: SlackAPIOptions): SlackAPI {
  const fetchWithSignal: FetchFunction = (url, init) =>
    fetch(url, { ...init, signal: init?.signal == null ? o.signal : AbortSignal.any([init.signal, o.signal]) } as RequestInit);
  const client = new WebClient(o.token, {
    slackApiUrl: apiBase(o.apiURL),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: o.timeoutMs ?? 0,
    fetch: fetchWithSignal,
    logger: clientLogger(o.logger, o.token),
  });
  const call = async <T>(method: string, channel: string, run: () => Promise<T>): Promise<T> => {
    const ctx = { method, channel, token: o.token, signal: o.signal };
    try {
      o.signal.throwIfAborted();
      return await raceAbort(run(), o.signal);
    } catch (err) {
      throw toNotifyError(err, ctx);
    }
  };
  return {
    postMessage: (a) =>
      call('chat.postMessage', a.channel, async () => {
        const res = await client.apiCall('chat.postMessage', {
          channel: a.channel,
          text: a.text,
          blocks: a.blocks,
          thread_ts: a.threadTs,
          username: a.username,
          icon_emoji: a.iconEmoji,
          icon_url: a.iconURL,
          link_names: a.linkNames === true ? true : undefined,
          // Runbook and dashboard links are for clicking, not for previews that push the alert off screen.
          unfurl_links: false,
          unfurl_media: false,
        });
        return posted('chat.postMessage', a.channel, res);
      }),
    update: (a) =>
      call('chat.update', a.channel, async () => {
        const res = await client.apiCall('chat.update', { channel: a.channel, ts: a.ts, text: a.text, blocks: a.blocks });
        return posted('chat.update', a.channel, res);
      }),
  };
}

/**
 * apiBase is the Web API base WebClient wants (`.../api/`): a configured chat.postMessage URL
 * (Alertmanager's api_url with a bot token) is taken as its base, an empty one means Slack's.
 */
export function apiBase(apiURL: string): string {
  const url = apiURL.trim();
  if (url === '') return DEFAULT_API_URL;
  const base = url.replace(/chat\.postMessage\/?$/, '');
  return base.endsWith('/') ? base : base + '/';
}

function posted(method: string, channel: string, result: object): Posted {
  const res = result as { channel?: unknown; ts?: unknown };
  if (typeof res.channel !== 'string' || res.channel === '' || typeof res.ts !== 'string' || res.ts === '') {
    throw new NotifyError('invalid_response', `slack ${method} to ${channel}: the answer has no channel or ts`, { retryable: false });
  }
  return { channel: res.channel, ts: res.ts };
}

function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * clientLogger hands the client's own log lines to vigil's logger at debug level (failures
 * reach the caller as NotifyErrors anyway), with the token scrubbed.
 */
function clientLogger(logger: Logger, token: string): SlackLogger {
  const log = (...msg: unknown[]) => logger.debug(scrub(msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' '), token), { component: 'slack-web-api' });
  let level = LogLevel.INFO;
  return {
    debug: () => {},
    info: log,
    warn: log,
    error: log,
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
