import { Labels, isValidLabelName } from '../../model/labels.js';
import type { Alert } from '../types.js';

/**
 * decodePostableAlerts validates an Alertmanager v2 `POST /api/v2/alerts` body (an array of
 * PostableAlert) received at `now` and fills in times as Alertmanager does: a missing startsAt is
 * now (or the endsAt, when only that is set); a missing endsAt is now + resolve_timeout and marks
 * the alert as timing out. Invalid alerts are returned as errors with their index; the valid
 * ones are still accepted, as Alertmanager accepts them.
 */
export function decodePostableAlerts(body: unknown, now: number, resolveTimeoutMs: number): { alerts: Alert[]; errors: string[] } {
  if (!Array.isArray(body)) return { alerts: [], errors: ['body must be a JSON array of alerts'] };
  const alerts: Alert[] = [];
  const errors: string[] = [];
  body.forEach((raw: unknown, i) => {
    try {
      alerts.push(decodeOne(raw, now, resolveTimeoutMs));
    } catch (err) {
      errors.push(`alerts[${i}]: ${(err as Error).message}`);
    }
  });
  return { alerts, errors };
}

function decodeOne(raw: unknown, now: number, resolveTimeoutMs: number): Alert {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('must be an object');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!['labels', 'annotations', 'startsAt', 'endsAt', 'generatorURL'].includes(k)) throw new Error(`unknown field ${JSON.stringify(k)}`);
  }
  const labels = labelSet(o['labels'], 'labels');
  if (labels.size === 0) throw new Error('at least one label pair required');
  const annotations = o['annotations'] === undefined ? Labels.EMPTY : labelSet(o['annotations'], 'annotations');
  let startsAt = time(o['startsAt'], 'startsAt');
  let endsAt = time(o['endsAt'], 'endsAt');
  let timeout = false;
  if (startsAt === undefined) startsAt = endsAt ?? now;
  if (endsAt === undefined) {
    endsAt = now + resolveTimeoutMs;
    timeout = true;
  }
  if (endsAt < startsAt) throw new Error('start time must be before end time');
  const generatorURL = o['generatorURL'] ?? '';
  if (typeof generatorURL !== 'string') throw new Error('generatorURL must be a string');
  return { labels, annotations, startsAt, endsAt, generatorURL, updatedAt: now, timeout };
}

function labelSet(v: unknown, field: string): Labels {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${field} must be an object of strings`);
  const entries: [string, string][] = [];
  for (const [name, value] of Object.entries(v)) {
    if (!isValidLabelName(name)) throw new Error(`invalid label name ${JSON.stringify(name)} in ${field}`);
    if (typeof value !== 'string') throw new Error(`${field}.${name} must be a string`);
    entries.push([name, value]);
  }
  return Labels.from(entries);
}

/** time reads an RFC 3339 time; Go's zero time ("0001-01-01T00:00:00Z") means unset. */
function time(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new Error(`${field} must be an RFC 3339 time`);
  const t = Date.parse(v);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v) || Number.isNaN(t)) throw new Error(`${field}: invalid RFC 3339 time ${JSON.stringify(v)}`);
  return t <= -62135596800000 ? undefined : t;
}
