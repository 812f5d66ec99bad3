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
  const flat = scratch;
  let n = 0;
  // Prometheus sends label sets sorted by name: sort only when one is not.
  let sorted = true;
  for (const name in o) {
    const value = o[name];
    if (!validNames.has(name)) {
      if (!isValidLabelName(name)) throw new Error(`invalid label name ${JSON.stringify(name)} in ${field}`);
      if (validNames.size < VALID_NAMES_KEPT) validNames.add(name);
    }
    if (typeof value !== 'string') throw new Error(`${field}.${name} must be a string`);
    if (value === '') continue;
    if (sorted && n > 0 && name < flat[n - 2]!) sorted = false;
    flat[n++] = name;
    flat[n++] = value;
  }
  // The set is kept for as long as its alert is: copy it out at its exact size (an array grown by
  // push keeps room for about twice as many pairs, and alerting holds tens of thousands of sets).
  const exact = flat.slice(0, n);
  // JSON object keys are unique, so sorting by name gives the sorted, duplicate-free label set.
  return Labels.fromSorted(sorted ? exact : sortPairs(exact));
}

/** scratch collects a label set's pairs as they are read (labelSet is never re-entered). */
const scratch: string[] = [];

/** validNames remembers label names already checked: a sender uses the same few names in every alert. */
const validNames = new Set<string>();
const VALID_NAMES_KEPT = 10_000;

/**
 * sortPairs sorts interleaved pairs by name in place: insertion sort, as a label set is short,
 * and a general sort for a long one (insertion sort's quadratic time is a denial of service there).
 */
function sortPairs(flat: string[]): string[] {
  if (flat.length > 64) {
    const pairs: [string, string][] = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    return pairs.flat();
  }
  for (let i = 2; i < flat.length; i += 2) {
    const name = flat[i]!;
    const value = flat[i + 1]!;
    let j = i - 2;
    for (; j >= 0 && flat[j]! > name; j -= 2) {
      flat[j + 2] = flat[j]!;
      flat[j + 3] = flat[j + 1]!;
    }
    flat[j + 2] = name;
    flat[j + 3] = value;
  }
  return flat;
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
