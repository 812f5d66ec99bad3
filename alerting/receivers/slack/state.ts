import { fingerprint } from '../../fingerprint.js';
import type { Notification } from '../../notify/types.js';
import { isResolvedAt } from '../../types.js';

/**
 * SlackState is what the Slack integration keeps per group between notifications (the
 * Notification.state the notification log stores, as Alertmanager 0.32+ keeps `channelId` and
 * `threadTs` for update_message): where the group's message is, and which alerts it last showed
 * firing, so a thread reply can say what changed.
 */
export interface SlackState {
  /** channel: the channel id from chat.postMessage's reply (chat.update takes ids only). */
  readonly channel: string;
  /** ts: the group's top-level message, the one chat.update edits and replies thread under. */
  readonly ts: string;
  /** firing: fingerprints of the alerts last shown firing, sorted; undefined when there were too many to keep. */
  readonly firing: readonly string[] | undefined;
  readonly firingCount: number;
}

/** MAX_TRACKED: beyond this many firing alerts only their count is kept (the store stays small). */
const MAX_TRACKED = 100;

/** decodeState reads the stored state; undefined when there is none (the group's first notification). */
export function decodeState(state: Readonly<Record<string, string>>): SlackState | undefined {
  const channel = state['channel'];
  const ts = state['ts'];
  if (channel === undefined || channel === '' || ts === undefined || ts === '') return undefined;
  const list = state['firing'];
  const count = Number(state['firing_count']);
  const firing = list === undefined ? undefined : list === '' ? [] : list.split(',');
  return { channel, ts, firing, firingCount: Number.isInteger(count) ? count : (firing?.length ?? 0) };
}

/**
 * encodeState is the state to keep after notifying `n` through the message at channel/ts:
 * `{channel, ts, firing_count, firing?}` (`firing` is the comma-separated fingerprints).
 */
export function encodeState(channel: string, ts: string, n: Notification): Record<string, string> {
  const firing = firingFingerprints(n);
  const out: Record<string, string> = { channel, ts, firing_count: String(firing.length) };
  if (firing.length <= MAX_TRACKED) out['firing'] = firing.join(',');
  return out;
}

/** firingFingerprints are the fingerprints of the notification's firing alerts, sorted. */
export function firingFingerprints(n: Notification): string[] {
  return n.alerts
    .filter((a) => !isResolvedAt(a, n.now))
    .map((a) => fingerprint(a.labels))
    .sort();
}
