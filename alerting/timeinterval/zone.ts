/** WallClock is what a clock on the wall in some time zone shows at an instant. */
export interface WallClock {
  readonly year: number;
  /** month: 1 = January. */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  /** weekday: 0 = Sunday, as Go's time.Weekday. */
  readonly weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * wallClock reads instant `t` (ms since the epoch) in IANA time zone `zone` through Intl, which
 * applies the zone's offsets and daylight-saving rules as Go's time.In does. Throws a RangeError
 * for a zone Intl does not know (the config loader has checked the zone already).
 */
export function wallClock(t: number, zone: string): WallClock {
  if (zone === 'UTC') {
    const d = new Date(t);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), weekday: d.getUTCDay() };
  }
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(t)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const year = parts['year']!;
  const month = parts['month']!;
  const day = parts['day']!;
  return { year, month, day, hour: parts['hour']!, minute: parts['minute']!, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay() };
}

/** daysInMonth is the number of days of `month` (1-12) in `year` of the Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
