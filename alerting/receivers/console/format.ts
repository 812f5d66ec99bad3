import { quoteLabelValue } from '../../../model/labels.js';
import { isResolvedAt } from '../../types.js';
import type { Notification } from '../../notify/types.js';

/**
 * formatNotification is the console's text for one notification: a group header, then one line
 * per alert, each starting with the flush time (UTC, `HH:MM:SSZ`) so a terminal log reads as a
 * timeline:
 *
 *   12:04:05Z [gpu-oncall] 2 firing, 1 resolved {alertname="GPUXidError"}
 *   12:04:05Z FIRING [gpu-oncall] GPUXidError{gpu="3",node="n1"} XID 79 on GPU 3
 *
 * An alert is named by its alertname and its other labels; the text after it is its `summary`
 * annotation (or `description`, or `message`), on one line.
 */
export function formatNotification(n: Notification): string[] {
  const time = clockTime(n.now);
  const firing = n.alerts.filter((a) => !isResolvedAt(a, n.now)).length;
  const resolved = n.alerts.length - firing;
  const lines = [`${time} [${n.receiver}] ${firing} firing, ${resolved} resolved ${labelSet(n.groupLabels.toRecord())}`];
  for (const a of n.alerts) {
    const status = isResolvedAt(a, n.now) ? 'RESOLVED' : 'FIRING';
    const labels = a.labels.toRecord();
    const name = labels['alertname'] ?? '';
    delete labels['alertname'];
    const summary = a.annotations.get('summary') || a.annotations.get('description') || a.annotations.get('message');
    const text = summary === '' ? '' : ' ' + oneLine(summary);
    const rest = Object.keys(labels).length === 0 ? '' : labelSet(labels);
    lines.push(`${time} ${status} [${n.receiver}] ${name}${rest}${text}`);
  }
  return lines;
}

function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19) + 'Z';
}

function labelSet(r: Readonly<Record<string, string>>): string {
  return `{${Object.keys(r)
    .sort()
    .map((n) => `${n}=${quoteLabelValue(r[n]!)}`)
    .join(',')}}`;
}

/** oneLine keeps an alert on one line: newlines and tabs in an annotation become spaces. */
function oneLine(s: string): string {
  return s.replace(/\s*[\r\n\t]+\s*/g, ' ').trim();
}
