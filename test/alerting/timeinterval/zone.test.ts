import { describe, expect, it } from 'vitest';
import { daysInMonth, wallClock } from '../../../alerting/timeinterval/zone.js';

describe('wallClock', () => {
  it('reads UTC directly', () => {
    expect(wallClock(Date.UTC(2024, 1, 29, 23, 59), 'UTC')).toEqual({ year: 2024, month: 2, day: 29, hour: 23, minute: 59, weekday: 4 });
  });

  it('applies a zone offset that changes the date and the weekday', () => {
    // 2024-03-09 04:30Z is Friday 23:30 in New York (EST, -5).
    expect(wallClock(Date.UTC(2024, 2, 9, 4, 30), 'America/New_York')).toEqual({ year: 2024, month: 3, day: 8, hour: 23, minute: 30, weekday: 5 });
    // Half-hour offset: India is +5:30.
    expect(wallClock(Date.UTC(2024, 0, 1, 3, 30), 'Asia/Kolkata')).toMatchObject({ hour: 9, minute: 0 });
  });

  it('follows daylight saving time (Europe/Berlin springs forward at 01:00Z on 2024-03-31)', () => {
    expect(wallClock(Date.UTC(2024, 2, 31, 0, 59), 'Europe/Berlin')).toMatchObject({ day: 31, hour: 1, minute: 59 });
    expect(wallClock(Date.UTC(2024, 2, 31, 1, 0), 'Europe/Berlin')).toMatchObject({ day: 31, hour: 3, minute: 0 });
    expect(wallClock(Date.UTC(2024, 9, 27, 0, 30), 'Europe/Berlin')).toMatchObject({ hour: 2, minute: 30 });
    expect(wallClock(Date.UTC(2024, 9, 27, 1, 30), 'Europe/Berlin')).toMatchObject({ hour: 2, minute: 30 });
  });

  it('shows midnight as hour 0, not 24', () => {
    expect(wallClock(Date.UTC(2024, 5, 1, 22, 0), 'Europe/Berlin')).toMatchObject({ day: 2, hour: 0, minute: 0, weekday: 0 });
  });
});

describe('daysInMonth', () => {
  it('counts calendar days, leap years included', () => {
    expect([daysInMonth(2024, 2), daysInMonth(2023, 2), daysInMonth(2100, 2), daysInMonth(2000, 2)]).toEqual([29, 28, 28, 29]);
    expect([daysInMonth(2024, 3), daysInMonth(2024, 4), daysInMonth(2024, 12)]).toEqual([31, 30, 31]);
  });
});
