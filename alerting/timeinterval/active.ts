import type { Range, TimeInterval } from '../config/types.js';
import { daysInMonth, wallClock } from './zone.js';

/**
 * isActiveAt says whether instant `t` (ms since the epoch) is inside any of `intervals`: the
 * entries of one named time interval (mute_time_intervals / active_time_intervals), which is
 * active when any entry is.
 */
export function isActiveAt(intervals: readonly TimeInterval[], t: number): boolean {
  return intervals.some((i) => containsTime(i, t));
}

/**
 * containsTime is Alertmanager's TimeInterval.ContainsTime: `t` is read as a wall clock in the
 * interval's location, and every list that is not empty must contain it. Times are [start, end)
 * in minutes of the day; weekdays, days of month, months and years are inclusive ranges. A
 * negative day of month counts from the month's end (-1 is the last day); ranges are clamped to
 * the month, and a range starting after the month's last day is skipped.
 *
 * One deliberate difference: Alertmanager computes a month's length as the hours between its
 * first and the next month's first midnight divided by 24, rounded down, so a month with a
 * daylight-saving switch forward has one day too few there (March is 30 days long in
 * Europe/Berlin, and `days_of_month: ['31']` never matches). vigil counts calendar days.
 */
export function containsTime(interval: TimeInterval, t: number): boolean {
  const c = wallClock(t, interval.location);
  if (interval.times.length > 0) {
    const m = c.hour * 60 + c.minute;
    if (!interval.times.some((r) => m >= r.startMinute && m < r.endMinute)) return false;
  }
  if (interval.daysOfMonth.length > 0) {
    const dim = daysInMonth(c.year, c.month);
    if (!interval.daysOfMonth.some((r) => dayInRange(r, c.day, dim))) return false;
  }
  if (interval.months.length > 0 && !interval.months.some((r) => inRange(r, c.month))) return false;
  if (interval.weekdays.length > 0 && !interval.weekdays.some((r) => inRange(r, c.weekday))) return false;
  if (interval.years.length > 0 && !interval.years.some((r) => inRange(r, c.year))) return false;
  return true;
}

function inRange(r: Range, v: number): boolean {
  return v >= r.begin && v <= r.end;
}

function dayInRange(r: Range, day: number, daysInMonth: number): boolean {
  const begin = r.begin < 0 ? daysInMonth + r.begin + 1 : r.begin;
  const end = r.end < 0 ? daysInMonth + r.end + 1 : r.end;
  if (begin > daysInMonth) return false;
  return day >= clamp(begin, -daysInMonth, daysInMonth) && day <= clamp(end, -daysInMonth, daysInMonth);
}

function clamp(n: number, min: number, max: number): number {
  return n <= min ? min : n >= max ? max : n;
}
