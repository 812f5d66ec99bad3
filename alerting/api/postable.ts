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
  const times = new TimeCache();
  body.forEach((raw: unknown, i) => {
    try {
      alerts.push(decodeOne(raw, now, resolveTimeoutMs, times));
    } catch (err) {
      errors.push(`alerts[${i}]: ${(err as Error).message}`);
    }
  });
  return { alerts, errors };
}

const FIELDS = new Set(['labels', 'annotations', 'startsAt', 'endsAt', 'generatorURL']);

function decodeOne(raw: unknown, now: number, resolveTimeoutMs: number, times: TimeCache): Alert {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('must be an object');
  const o = raw as Record<string, unknown>;
  for (const k in o) if (!FIELDS.has(k)) throw new Error(`unknown field ${JSON.stringify(k)}`);
  const labels = labelSet(o['labels'], 'labels');
  if (labels.size === 0) throw new Error('at least one label pair required');
  const annotations = o['annotations'] === undefined ? Labels.EMPTY : labelSet(o['annotations'], 'annotations');
  let startsAt = times.parse(o['startsAt'], 'startsAt');
  let endsAt = times.parse(o['endsAt'], 'endsAt');
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
  const o = v as Record<string, unknown>;
  const names: string[] = [];
  for (const name in o) {
    if (!isValidLabelName(name)) throw new Error(`invalid label name ${JSON.stringify(name)} in ${field}`);
    if (typeof o[name] !== 'string') throw new Error(`${field}.${name} must be a string`);
    if (o[name] !== '') names.push(name);
  }
  // JSON object keys are unique, so sorting the names gives the sorted, duplicate-free label set.
  names.sort();
  const flat: string[] = new Array(names.length * 2);
  for (let i = 0; i < names.length; i++) {
    flat[2 * i] = names[i]!;
    flat[2 * i + 1] = o[names[i]!] as string;
  }
  return Labels.fromSorted(flat);
}

/** TimeCache parses each distinct time string of a batch once: a batch's alerts often share them. */
class TimeCache {
  private lastText: unknown;
  private lastValue: number | undefined;

  parse(v: unknown, field: string): number | undefined {
    if (v === this.lastText && typeof v === 'string') return this.lastValue;
    const t = time(v, field);
    this.lastText = v;
    this.lastValue = t;
    return t;
  }
}

/** time reads an RFC 3339 time; Go's zero time ("0001-01-01T00:00:00Z") means unset. */
function time(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new Error(`${field} must be an RFC 3339 time`);
  const t = Date.parse(v);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v) || Number.isNaN(t)) throw new Error(`${field}: invalid RFC 3339 time ${JSON.stringify(v)}`);
  return t <= -62135596800000 ? undefined : t;
}
