import { describe, expect, it } from 'vitest';
import { loadAlertingConfig } from '../../../alerting/config/load.js';
import type { TimeInterval } from '../../../alerting/config/types.js';
import { containsTime, isActiveAt } from '../../../alerting/timeinterval/active.js';

/** named reads one named time interval from its YAML entries, through the config loader. */
function named(entries: string): readonly TimeInterval[] {
  const yaml = `route: {receiver: a}\nreceivers: [{name: a}]\ntime_intervals:\n  - name: t\n    time_intervals: ${entries}\n`;
  return loadAlertingConfig('am.yml', yaml).config.timeIntervals.get('t')!;
}

const at = (iso: string) => Date.parse(iso);

describe('isActiveAt', () => {
  const officeBerlin = named("[{weekdays: ['monday:friday'], times: [{start_time: '09:00', end_time: '17:00'}], location: Europe/Berlin}]");

  it('reads the wall clock in the interval location, across daylight saving time', () => {
    expect(isActiveAt(officeBerlin, at('2024-03-29T08:30:00Z'))).toBe(true); // Fri 09:30 CET
    expect(isActiveAt(officeBerlin, at('2024-03-29T07:59:00Z'))).toBe(false); // Fri 08:59 CET
    expect(isActiveAt(officeBerlin, at('2024-04-02T07:30:00Z'))).toBe(true); // Tue 09:30 CEST
    expect(isActiveAt(officeBerlin, at('2024-04-02T14:59:00Z'))).toBe(true); // Tue 16:59 CEST
    expect(isActiveAt(officeBerlin, at('2024-04-02T15:00:00Z'))).toBe(false); // Tue 17:00 CEST: end is exclusive
    expect(isActiveAt(officeBerlin, at('2024-03-30T10:00:00Z'))).toBe(false); // Saturday
  });

  it('uses UTC when no location is given', () => {
    const office = named("[{times: [{start_time: '09:00', end_time: '17:00'}]}]");
    expect(isActiveAt(office, at('2024-04-02T07:30:00Z'))).toBe(false);
    expect(isActiveAt(office, at('2024-04-02T09:00:00Z'))).toBe(true);
  });

  it('finds no time in the hour a spring-forward skips', () => {
    const skipped = named("[{times: [{start_time: '02:00', end_time: '03:00'}], location: Europe/Berlin}]");
    const night = Date.parse('2024-03-30T23:00:00Z');
    const hits = Array.from({ length: 4 * 60 }, (_, i) => night + i * 60_000).filter((t) => isActiveAt(skipped, t));
    expect(hits).toEqual([]);
    expect(isActiveAt(skipped, at('2024-03-30T01:30:00Z'))).toBe(true); // the night before, CET
  });

  it('weekend in New York starts at local midnight, not UTC midnight', () => {
    const weekend = named("[{weekdays: ['saturday', 'sunday'], location: America/New_York}]");
    expect(isActiveAt(weekend, at('2024-03-09T04:30:00Z'))).toBe(false); // Fri 23:30 EST
    expect(isActiveAt(weekend, at('2024-03-09T05:30:00Z'))).toBe(true); // Sat 00:30 EST
    expect(isActiveAt(weekend, at('2024-03-11T03:59:00Z'))).toBe(true); // Sun 23:59 EDT
    expect(isActiveAt(weekend, at('2024-03-11T04:00:00Z'))).toBe(false); // Mon 00:00 EDT
  });

  it('counts negative days of month from the month end, leap years included', () => {
    const lastDay = named("[{days_of_month: ['-1']}]");
    expect(isActiveAt(lastDay, at('2024-02-29T12:00:00Z'))).toBe(true);
    expect(isActiveAt(lastDay, at('2024-02-28T12:00:00Z'))).toBe(false);
    expect(isActiveAt(lastDay, at('2023-02-28T12:00:00Z'))).toBe(true);
    const lastWeek = named("[{days_of_month: ['-7:-1']}]");
    expect(isActiveAt(lastWeek, at('2024-04-24T00:00:00Z'))).toBe(true);
    expect(isActiveAt(lastWeek, at('2024-04-23T23:59:00Z'))).toBe(false);
  });

  it('clamps a range to the month and skips one starting after its end', () => {
    expect(isActiveAt(named("[{days_of_month: ['25:31']}]"), at('2024-02-29T00:00:00Z'))).toBe(true);
    expect(isActiveAt(named("[{days_of_month: ['30:31']}]"), at('2024-02-29T00:00:00Z'))).toBe(false);
    expect(isActiveAt(named("[{days_of_month: ['30:31']}]"), at('2024-03-30T00:00:00Z'))).toBe(true);
  });

  it('counts calendar days in a month with a daylight-saving switch (where Alertmanager counts one too few)', () => {
    expect(isActiveAt(named("[{days_of_month: ['31'], location: Europe/Berlin}]"), at('2024-03-31T12:00:00Z'))).toBe(true);
    expect(isActiveAt(named("[{days_of_month: ['-1'], location: Europe/Berlin}]"), at('2024-03-31T12:00:00Z'))).toBe(true);
  });

  it('needs every given list to contain the instant; any entry of the name will do', () => {
    const q1Mornings = named("[{months: ['january:march'], times: [{start_time: '06:00', end_time: '12:00'}]}, {years: ['2030']}]");
    expect(isActiveAt(q1Mornings, at('2024-02-10T07:00:00Z'))).toBe(true);
    expect(isActiveAt(q1Mornings, at('2024-02-10T13:00:00Z'))).toBe(false);
    expect(isActiveAt(q1Mornings, at('2024-04-10T07:00:00Z'))).toBe(false);
    expect(isActiveAt(q1Mornings, at('2030-07-01T20:00:00Z'))).toBe(true);
  });

  it('treats 24:00 as the end of the day and an entry with no lists as always', () => {
    expect(isActiveAt(named("[{times: [{start_time: '22:00', end_time: '24:00'}]}]"), at('2024-01-01T23:59:00Z'))).toBe(true);
    expect(isActiveAt(named('[{}]'), at('1999-12-31T23:59:00Z'))).toBe(true);
    expect(isActiveAt([], at('2024-01-01T00:00:00Z'))).toBe(false);
  });

  it('never matches an empty list, as Alertmanager', () => {
    expect(isActiveAt(named('[{weekdays: []}]'), at('2024-01-01T00:00:00Z'))).toBe(false);
    expect(isActiveAt(named('[{times: []}]'), at('2024-01-01T00:00:00Z'))).toBe(false);
  });

  it('containsTime checks one entry', () => {
    const entry: TimeInterval = { times: [], weekdays: [{ begin: 1, end: 1 }], daysOfMonth: [], months: [], years: [], location: 'Asia/Tokyo' };
    expect(containsTime(entry, at('2024-01-07T15:00:00Z'))).toBe(true); // Monday 00:00 in Tokyo
    expect(containsTime(entry, at('2024-01-07T14:59:00Z'))).toBe(false);
  });
});
