import type { Labels } from '../../model/labels.js';
import type { Alert } from '../types.js';

/**
 * Notification is one flush of an aggregation group for one integration of one receiver: what the
 * integration sends. `alerts` holds the firing alerts and, when the integration sends resolved
 * notifications, the resolved ones (firing first, each part in the group's order). `now` is the
 * flush time in ms.
 */
export interface Notification {
  readonly receiver: string;
  readonly groupKey: string;
  readonly groupLabels: Labels;
  readonly alerts: readonly Alert[];
  readonly now: number;
  /** externalURL is vigil's address for links (silence and alert pages), without a trailing slash. */
  readonly externalURL: string;
  /**
   * state is what this integration returned from its last successful notify for this group key
   * (for Slack: the channel id and message ts), or empty when there is none or the group fully
   * resolved since: a notification with empty state is the group's first.
   */
  readonly state: Readonly<Record<string, string>>;
}

/**
 * Integration is one entry of a receiver (a slack_configs or email_configs item). notify MUST
 * either deliver the notification and resolve with the state to keep for the next one (or
 * undefined to keep none), or reject with a NotifyError that says whether trying again can help.
 * It MUST stop when `signal` aborts. It MUST NOT retry on its own: the retry stage decides.
 */
export interface Integration {
  /** name: 'slack', 'email', 'webhook' or 'console'. */
  readonly name: string;
  /** index of the entry among the receiver's integrations of the same name, as Alertmanager counts. */
  readonly index: number;
  readonly sendResolved: boolean;
  notify(n: Notification, signal: AbortSignal): Promise<Record<string, string> | undefined>;
}

/**
 * NotifyError is a failed notify. `retryable`: a network error, a 5xx, a Slack 429 or an SMTP 4xx
 * (trying later can help); otherwise permanent (Slack invalid_auth or channel_not_found, SMTP 5xx,
 * a payload the peer refuses). `retryAfterMs` is the peer's Retry-After, when it sent one. `code`
 * is stable (the peer's code where it has one: `invalid_auth`, `http_503`, `smtp_451`).
 * The message never holds a secret.
 */
export class NotifyError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(code: string, message: string, options: { retryable: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NotifyError';
    this.code = code;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}
