import type { SlackConfig } from '../../config/types.js';
import type { TemplateFiles } from '../../notify/template.js';
import { NotifyError, type Integration, type Notification } from '../../notify/types.js';
import { nopLogger, type Logger } from '../../../util/log.js';
import { slackAPI, type SlackAPI } from './api.js';
import { describeChange } from './changes.js';
import { MESSAGE_GONE_ERRORS } from './errors.js';
import { buildMessage, type SlackMessage } from './message.js';
import { decodeState, encodeState, type SlackState } from './state.js';
import { renderOverrides } from './templates.js';
import { readToken } from './token.js';

export interface SlackIntegrationOptions {
  readonly logger?: Logger;
  /** env: where `token_env` is looked up (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** templates: the config's template files, callable from `title` and `text` (default none). */
  readonly templates?: TemplateFiles;
}

/**
 * slackIntegration is one slack_configs entry: it posts a group's notifications to Slack's Web
 * API as Block Kit messages, one message per group.
 *
 * - The group's first notification (empty state) posts a message and keeps `{channel, ts}`.
 * - Later ones, with update_message (the default), chat.update that message so it shows the
 *   group as it is now (firing count, resolved in green), and with thread_updates (the default)
 *   reply in its thread with what changed ("Resolved at 12:04 UTC", "2 new alerts", "Repeat:
 *   still firing, 3 alerts"). A message that can no longer be edited (deleted, edit window
 *   closed) is replaced by a new post, whose place becomes the state.
 * - Without update_message, each notification is a new message (Alertmanager's behaviour), or a
 *   full reply in the first message's thread with thread_updates.
 *
 * Each notify reads the token again (a rotated file takes effect), makes one HTTP request per
 * Slack call with no retries of its own, and fails with a NotifyError whose `retryable` the
 * retry stage acts on. The returned state is SlackState's encoding (`channel`, `ts`,
 * `firing_count`, `firing`).
 *
 * `title` and `text`, when set, are Go templates whose output replaces the message's header and
 * summary (templates.ts: renderOverrides); thread replies keep vigil's own wording.
 */
export function slackIntegration(config: SlackConfig, index: number, opts: SlackIntegrationOptions = {}): Integration {
  const logger = (opts.logger ?? nopLogger).with({ integration: 'slack', index });
  return {
    name: 'slack',
    index,
    sendResolved: config.sendResolved,
    async notify(n: Notification, signal: AbortSignal): Promise<Record<string, string>> {
      const token = readToken(config.token, opts.env);
      const api = slackAPI({ token, apiURL: config.apiURL, timeoutMs: config.timeout, signal, logger });
      const prev = decodeState(n.state);
      const overrides = await renderOverrides(config, n, opts.templates, logger);
      const build = (note?: string) => buildMessage(n, { ...overrides, ...(note === undefined ? {} : { note }) });
      const post: Post = async (message, thread) => {
        const where = await api.postMessage({
          channel: thread?.channel ?? config.channel,
          ...message,
          ...(thread === undefined ? {} : { threadTs: thread.ts }),
          username: config.username,
          iconEmoji: config.iconEmoji,
          iconURL: config.iconURL,
          linkNames: config.linkNames,
        });
        return encodeState(where.channel, where.ts, n);
      };

      if (prev === undefined) return post(build());
      if (config.updateMessage) return updateInPlace(api, n, prev, build(), config.threadUpdates, logger, post);
      if (!config.threadUpdates) return post(build());
      try {
        await post(build(describeChange(prev, n)), prev);
        return encodeState(prev.channel, prev.ts, n);
      } catch (err) {
        if (!isGone(err)) throw err;
        logger.info('slack thread is gone, posting a new message', { code: err.code, groupKey: n.groupKey });
        return post(build());
      }
    },
  };
}

/** Post posts a message (in the group message's thread when `thread` is given) and returns the state for it. */
type Post = (message: { readonly text: string; readonly blocks?: SlackMessage['blocks'] }, thread?: SlackState) => Promise<Record<string, string>>;

/** updateInPlace edits the group's message, then replies in its thread with what changed. */
async function updateInPlace(
  api: SlackAPI,
  n: Notification,
  prev: SlackState,
  message: SlackMessage,
  threadUpdates: boolean,
  logger: Logger,
  post: Post,
): Promise<Record<string, string>> {
  try {
    await api.update({ channel: prev.channel, ts: prev.ts, ...message });
  } catch (err) {
    if (!isGone(err)) throw err;
    logger.info('slack message can no longer be edited, posting a new one', { code: err.code, groupKey: n.groupKey });
    return post(message);
  }
  if (threadUpdates) await post({ text: describeChange(prev, n) }, prev);
  return encodeState(prev.channel, prev.ts, n);
}

function isGone(err: unknown): err is NotifyError {
  return err instanceof NotifyError && MESSAGE_GONE_ERRORS.has(err.code);
}
