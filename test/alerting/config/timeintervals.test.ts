import { describe, expect, it } from 'vitest';
import { loadAlertingConfig } from '../../../alerting/config/load.js';
import { isKnownZone } from '../../../alerting/config/timeintervals.js';
import { formatIssue, SourceError } from '../../../util/yamlreader.js';

/** intervals loads `time_intervals: [{name: t, time_intervals: <entries>}]` and returns t's entries. */
function intervals(entries: string) {
  const { config, warnings } = loadAlertingConfig('am.yml', `route: {receiver: a}\nreceivers: [{name: a}]\ntime_intervals:\n  - name: t\n    time_intervals: ${entries}\n`);
  return { entries: config.timeIntervals.get('t')!, warnings: warnings.map((w) => w.message) };
}

function error(entries: string): string {
  try {
    intervals(entries);
  } catch (err) {
    if (err instanceof SourceError) return err.issues.map(formatIssue).join('\n');
    throw err;
  }
  throw new Error('expected an error');
}

describe('time interval decoding', () => {
  it('reads weekday names and ranges, case-insensitively, Sunday = 0', () => {
    expect(intervals("[{weekdays: ['Monday:FRIDAY', sunday]}]").entries[0]!.weekdays).toEqual([
      { begin: 1, end: 5 },
      { begin: 0, end: 0 },
    ]);
  });

  it('reads times as minutes of the day, 24:00 allowed as an end', () => {
    expect(intervals("[{times: [{start_time: '09:30', end_time: '24:00'}]}]").entries[0]!.times).toEqual([{ startMinute: 570, endMinute: 1440 }]);
  });

  it('reads months by name or number, days of month (negative from the end) and years', () => {
    const [e] = intervals("[{months: ['january:march', '12', '0:3'], days_of_month: ['-3:-1', 1, '5:10'], years: ['2024:2026', '2030']}]").entries;
    expect(e!.months).toEqual([
      { begin: 1, end: 3 },
      { begin: 12, end: 12 },
      { begin: 0, end: 3 },
    ]);
    expect(e!.daysOfMonth).toEqual([
      { begin: -3, end: -1 },
      { begin: 1, end: 1 },
      { begin: 5, end: 10 },
    ]);
    expect(e!.years).toEqual([
      { begin: 2024, end: 2026 },
      { begin: 2030, end: 2030 },
    ]);
  });

  it('reads a location; "" and a missing one are UTC; Local is this process zone', () => {
    expect(intervals("[{location: 'Europe/Berlin'}, {location: ''}, {}]").entries.map((e) => e.location)).toEqual(['Europe/Berlin', 'UTC', 'UTC']);
    expect(intervals('[{location: Local}]').entries[0]!.location).toBe(new Intl.DateTimeFormat().resolvedOptions().timeZone);
  });

  it('keeps an empty list as one that matches nothing, with a warning, as Alertmanager reads it', () => {
    const r = intervals('[{weekdays: []}]');
    expect(r.entries[0]!.weekdays).toEqual([{ begin: 1, end: 0 }]);
    expect(r.warnings).toEqual([expect.stringMatching(/^an empty list matches no time at all/)]);
  });

  it('refuses what Alertmanager refuses, with its message and the position', () => {
    expect(error("[{weekdays: ['saturday:sunday']}]")).toBe('am.yml:5:34: time_intervals[0].time_intervals[0].weekdays[0]: start day cannot be before end day');
    expect(error("[{weekdays: ['mon']}]")).toMatch(/weekdays\[0\]: mon is not a valid weekday$/);
    expect(error("[{times: [{start_time: '9:00', end_time: '17:00'}]}]")).toMatch(/start_time: couldn't parse timestamp 9:00, invalid format$/);
    expect(error("[{times: [{start_time: '17:00', end_time: '17:00'}]}]")).toMatch(/times\[0\]: start time cannot be equal or greater than end time$/);
    expect(error("[{times: [{start_time: '17:00'}]}]")).toMatch(/both start and end times must be provided$/);
    expect(error("[{days_of_month: ['0']}]")).toMatch(/0 is not a valid day of the month: out of range$/);
    expect(error("[{days_of_month: ['3:-27']}]")).toMatch(/end day -27 is always before start day 3$/);
    expect(error("[{months: ['jan']}]")).toMatch(/jan is not a valid month$/);
    expect(error("[{months: ['march:january']}]")).toMatch(/end month january is before start month march$/);
    expect(error("[{years: ['2020:2019']}]")).toMatch(/end year 2019 is before start year 2020$/);
    expect(error("[{weekdays: ['monday:tuesday:friday']}]")).toMatch(/couldn't parse range monday:tuesday:friday, invalid format$/);
    expect(error('[{location: utc}]')).toMatch(/location: unknown time zone utc$/);
    expect(error('[{location: Mars/Olympus_Mons}]')).toMatch(/unknown time zone Mars\/Olympus_Mons$/);
  });

  it('refuses a name used twice, across mute_time_intervals and time_intervals', () => {
    expect(() =>
      loadAlertingConfig('am.yml', 'route: {receiver: a}\nreceivers: [{name: a}]\nmute_time_intervals: [{name: x}]\ntime_intervals: [{name: x}]\n'),
    ).toThrow('am.yml:4:25: time_intervals[0].name: time interval "x" is not unique');
  });
});

describe('isKnownZone', () => {
  it('knows IANA names and their aliases, case-sensitively as Go does', () => {
    expect(['Europe/Berlin', 'America/New_York', 'US/Eastern', 'Asia/Kolkata'].map(isKnownZone)).toEqual([true, true, true, true]);
    expect(['utc', 'europe/berlin', 'Mars/Olympus_Mons', '../etc/passwd', '/etc/localtime'].map(isKnownZone)).toEqual([false, false, false, false, false]);
  });
});
