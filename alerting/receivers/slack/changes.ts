import { fingerprint } from '../../fingerprint.js';
import type { Notification } from '../../notify/types.js';
import { isResolvedAt, type Alert } from '../../types.js';
import { summary } from './facts.js';
import { utcTime } from './format.js';
import { escape, truncate } from './mrkdwn.js';
import type { SlackState } from './state.js';

const MAX_LISTED = 5;
const NOTE_MAX = 1000;

/**
 * describeChange says in one short mrkdwn note what changed since the notification `prev`
 * recorded: `:white_check_mark: Resolved at 12:04 UTC`, `:fire: 2 new alerts — now 5 firing`
 * (the new ones listed), `:white_check_mark: 1 resolved — 2 still firing`, or
 * `:repeat: Repeat: still firing, 3 alerts` when nothing did (repeat_interval). It is the text of
 * thread replies. When prev kept only a count (too many alerts), the change is told from counts.
 */
export function describeChange(prev: SlackState, n: Notification): string {
  const firing = n.alerts.filter((a) => !isResolvedAt(a, n.now));
  if (firing.length === 0) {
    const at = n.alerts.length === 0 ? n.now : Math.max(...n.alerts.map((a) => Math.min(a.endsAt, n.now)));
    const all = prev.firingCount > 1 ? ` — all ${prev.firingCount} alerts` : '';
    return `:white_check_mark: Resolved at ${utcTime(at, n.now)}${all}`;
  }
  let added: Alert[];
  let gone: number;
  if (prev.firing !== undefined) {
    const before = new Set(prev.firing);
    added = firing.filter((a) => !before.has(fingerprint(a.labels)));
    const now = new Set(firing.map((a) => fingerprint(a.labels)));
    gone = prev.firing.filter((f) => !now.has(f)).length;
  } else {
    added = firing.slice(0, Math.max(0, firing.length - prev.firingCount));
    gone = Math.max(0, prev.firingCount - firing.length);
  }
  const count = `${firing.length} ${firing.length === 1 ? 'alert' : 'alerts'}`;
  if (added.length === 0 && gone === 0) return `:repeat: Repeat: still firing, ${count}`;
  const parts: string[] = [];
  if (added.length > 0) parts.push(`:fire: ${added.length} new ${added.length === 1 ? 'alert' : 'alerts'}`);
  if (gone > 0) parts.push(`:white_check_mark: ${gone} resolved`);
  let text = `${parts.join(', ')} — ${added.length > 0 ? 'now' : 'still'} ${firing.length} firing`;
  if (prev.firing !== undefined) {
    for (const a of added.slice(0, MAX_LISTED)) text += `\n• ${escape(describe(a))}`;
    if (added.length > MAX_LISTED) text += `\n• and ${added.length - MAX_LISTED} more`;
  }
  return truncate(text, NOTE_MAX);
}

/** describe names an alert in a list: its summary, else its name and labels. */
function describe(a: Alert): string {
  return summary(a) ?? (a.labels.toString() || 'alert');
}
