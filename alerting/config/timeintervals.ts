import { existsSync } from 'node:fs';
import type { Field } from '../../util/yamlreader.js';
import type { Range, TimeInterval } from './types.js';

/**
 * Decoding of Alertmanager's time intervals (timeinterval/timeinterval.go): the YAML forms
 * `'monday:friday'`, `'09:00'`, `'january:march'`, `'-1'`, `location: Europe/Berlin` and their
 * checks, with Alertmanager's messages. What an interval means at an instant is
 * alerting/timeinterval's.
 */

/**
 * NEVER is how an empty list is kept. Alertmanager (through yaml.v2) reads `weekdays: []` as a
 * list that nothing is in, so the interval is never active; an absent key means "any". A range
 * whose begin is after its end contains nothing.
 */
const NEVER_RANGE: Range = { begin: 1, end: 0 };
const NEVER_TIME = { startMinute: 0, endMinute: 0 };

const WEEKDAYS: Record<string, number> = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 };
const MONTHS: Record<string, number> = {
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6,
  july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
};
const MONTH_NAMES = Object.keys(MONTHS);

/** decodeNamedIntervals reads `time_intervals` or the older `mute_time_intervals` into `into`, by name. */
export function decodeNamedIntervals(f: Field, kind: 'time_intervals' | 'mute_time_intervals', into: Map<string, readonly TimeInterval[]>): void {
  f.list((item) => {
    const o = item.object(['name', 'time_intervals']);
    if (o === undefined) return undefined;
    const name = o.get('name').string();
    const intervals = o.get('time_intervals').list(decodeTimeInterval) ?? [];
    if (name === undefined || name === '') return item.fail(`missing name in ${kind === 'time_intervals' ? '' : 'mute '}time interval`);
    if (into.has(name)) return o.get('name').fail(`time interval ${JSON.stringify(name)} is not unique`);
    into.set(name, intervals);
    return undefined;
  });
}

/** decodeTimeInterval reads one entry of a named interval's `time_intervals` list. */
export function decodeTimeInterval(f: Field): TimeInterval | undefined {
  const o = f.object(['times', 'weekdays', 'days_of_month', 'months', 'years', 'location']);
  if (o === undefined) return f.present ? undefined : anyTime();
  const times = listOrNever(o.get('times'), decodeTimeRange, NEVER_TIME);
  const weekdays = listOrNever(o.get('weekdays'), (i) => decodeRange(i, 'weekday'), NEVER_RANGE);
  const daysOfMonth = listOrNever(o.get('days_of_month'), (i) => decodeRange(i, 'day'), NEVER_RANGE);
  const months = listOrNever(o.get('months'), (i) => decodeRange(i, 'month'), NEVER_RANGE);
  const years = listOrNever(o.get('years'), (i) => decodeRange(i, 'year'), NEVER_RANGE);
  const location = decodeLocation(o.get('location'));
  return { times, weekdays, daysOfMonth, months, years, location: location ?? 'UTC' };
}

function anyTime(): TimeInterval {
  return { times: [], weekdays: [], daysOfMonth: [], months: [], years: [], location: 'UTC' };
}

function listOrNever<T>(f: Field, item: (f: Field) => T | undefined, never: T): T[] {
  const out = f.list(item);
  if (out === undefined) return [];
  if (out.length === 0 && f.present && (f.node as { items?: unknown[] }).items?.length === 0) {
    f.warn('an empty list matches no time at all, so this interval is never active (as in Alertmanager); leave the key out to match any');
    return [never];
  }
  return out;
}

const TIME = /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;

function decodeTimeRange(f: Field): { startMinute: number; endMinute: number } | undefined {
  const o = f.object(['start_time', 'end_time']);
  if (o === undefined) return undefined;
  const start = o.get('start_time').string();
  const end = o.get('end_time').string();
  if (start === undefined || start === '' || end === undefined || end === '') return f.fail('both start and end times must be provided');
  const s = minutes(o.get('start_time'), start);
  const e = minutes(o.get('end_time'), end);
  if (s === undefined || e === undefined) return undefined;
  if (s >= e) return f.fail('start time cannot be equal or greater than end time');
  return { startMinute: s, endMinute: e };
}

function minutes(f: Field, s: string): number | undefined {
  if (!TIME.test(s)) return f.fail(`couldn't parse timestamp ${s}, invalid format`);
  const [h, m] = s.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

type RangeKind = 'weekday' | 'day' | 'month' | 'year';

/** decodeRange reads `a` or `a:b`, lower-cased first, then checks it as Alertmanager does per kind. */
function decodeRange(f: Field, kind: RangeKind): Range | undefined {
  const raw = f.string();
  if (raw === undefined) return undefined;
  const s = raw.toLowerCase();
  const parts = s.includes(':') ? s.split(':') : [s, s];
  if (parts.length !== 2) return f.fail(`couldn't parse range ${s}, invalid format`);
  const begin = member(f, kind, parts[0]!);
  if (begin === undefined) return undefined;
  const end = member(f, kind, parts[1]!);
  if (end === undefined) return undefined;
  const problem = rangeProblem(kind, raw, begin, end);
  return problem === undefined ? { begin, end } : f.fail(problem);
}

function member(f: Field, kind: RangeKind, s: string): number | undefined {
  if (kind === 'weekday') return WEEKDAYS[s] ?? f.fail(`${s} is not a valid weekday`);
  if (kind === 'month') return MONTHS[s] ?? atoi(s) ?? f.fail(`${s} is not a valid month`);
  return atoi(s) ?? f.fail(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
}

/** atoi is Go's strconv.Atoi for the values that matter here: an optional sign and decimal digits. */
function atoi(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

function rangeProblem(kind: RangeKind, raw: string, begin: number, end: number): string | undefined {
  switch (kind) {
    case 'weekday':
      if (begin > end) return 'start day cannot be before end day';
      if (begin < 0 || begin > 6 || end < 0 || end > 6) return `${raw} is not a valid day of the week: out of range`;
      return undefined;
    case 'day': {
      if (begin === 0 || begin < -31 || begin > 31) return `${begin} is not a valid day of the month: out of range`;
      if (end === 0 || end < -31 || end > 31) return `${end} is not a valid day of the month: out of range`;
      if (begin < 0 && end > 0) return 'end day must be negative if start day is negative';
      // Negative days count from the month's end; with the shortest month (28 days) a range that
      // is always empty is an error.
      const b = begin < 0 ? 28 + begin : begin;
      const e = end < 0 ? 28 + end : end;
      if (b > e) return `end day ${end} is always before start day ${begin}`;
      return undefined;
    }
    case 'month':
      if (begin > end) return `end month ${MONTH_NAMES[end - 1] ?? ''} is before start month ${MONTH_NAMES[begin - 1] ?? ''}`;
      return undefined;
    case 'year':
      if (begin > end) return `end year ${end} is before start year ${begin}`;
      return undefined;
  }
}

/**
 * decodeLocation reads an IANA time zone name as Go's time.LoadLocation: "" and "UTC" are UTC,
 * "Local" is this process's zone (resolved now), names are case-sensitive. A name is known when
 * Intl knows it and, on a system with a zoneinfo database, that database has it (which is where
 * Go looks).
 */
function decodeLocation(f: Field): string | undefined {
  const name = f.string();
  if (name === undefined) return undefined;
  if (name === '' || name === 'UTC') return 'UTC';
  if (name === 'Local') return new Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!isKnownZone(name)) return f.fail(`unknown time zone ${name}`);
  return name;
}

const ZONEINFO = '/usr/share/zoneinfo';

/**
 * isKnownZone says whether Go would load `name`. Intl ignores case ("utc"), Go does not: a name
 * that Intl resolves to the same name in other case is refused even without a zoneinfo database.
 */
export function isKnownZone(name: string): boolean {
  if (name.includes('..') || name.startsWith('/')) return false;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return false;
  }
  if (resolved !== name && resolved.toLowerCase() === name.toLowerCase()) return false;
  return !existsSync(ZONEINFO) || existsSync(`${ZONEINFO}/${name}`);
}
