import type { Vector } from '../value.js';
import type { InstantFunction } from './types.js';
import { vectorArg } from './args.js';

/**
 * The calendar functions (year, month, day_of_month, day_of_week, day_of_year, days_in_month,
 * hour, minute). Each reads every sample's value as Unix seconds, converted as Prometheus does
 * with Go's `time.Unix(int64(v), 0).UTC()`: truncated toward zero, and NaN, ±Inf or values
 * outside int64 becoming the minimum int64 (amd64's conversion), which Go's calendar arithmetic
 * then wraps around (Prometheus answers year 292277026596 for NaN). Dates are proleptic
 * Gregorian in UTC. The output drops the metric name. The engine passes vector(time()) when the
 * call has no argument.
 */

/** The calendar fields of the last `civil` call (module scratch: no allocation per sample). */
const cal = { year: 0, month: 0, day: 0, yday: 0, wday: 0, hour: 0, minute: 0 };

const INT64_MIN = -9223372036854775808;
const INT64_LIMIT = 9223372036854775808;
// Go's unixToInternal + internalToAbsolute (to within a day): Unix seconds below its negation wrap.
const UNIX_TO_ABSOLUTE = 9223372028715321600n;
const TWO_64 = 1n << 64n;

/** civil decomposes Unix time `v` (seconds, a float) into `cal`, as Go's time package does. */
function civil(v: number): void {
  const sec = v >= INT64_MIN && v < INT64_LIMIT ? Math.trunc(v) : INT64_MIN;
  if (Math.abs(sec) <= 1e15) {
    const days = Math.floor(sec / 86400);
    let secOfDay = sec - days * 86400;
    let d = days;
    if (secOfDay < 0) {
      secOfDay += 86400;
      d--;
    } else if (secOfDay >= 86400) {
      secOfDay -= 86400;
      d++;
    }
    fromUnixDays(d);
    cal.hour = Math.floor(secOfDay / 3600);
    cal.minute = Math.floor((secOfDay % 3600) / 60);
    return;
  }
  // Far from the epoch, in exact integer arithmetic. Go converts to seconds since its own epoch
  // (about 292 billion years back) in uint64, which wraps for the most negative int64 values; the
  // wrapped result decodes as the date 2^64 seconds later.
  let big = BigInt(sec);
  if (big + UNIX_TO_ABSOLUTE < 0n) big += TWO_64;
  const days = floorDiv(big, 86400n);
  const secOfDay = Number(big - days * 86400n);
  fromUnixDaysBig(days);
  cal.hour = Math.floor(secOfDay / 3600);
  cal.minute = Math.floor((secOfDay % 3600) / 60);
}

/** fromUnixDays sets year, month, day, yday and wday from days since 1970-01-01 (H. Hinnant's civil_from_days). */
function fromUnixDays(days: number): void {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  cal.year = year;
  cal.month = month;
  cal.day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  cal.yday = dayOfYear(year, month, cal.day);
  cal.wday = (((days + 4) % 7) + 7) % 7;
}

function fromUnixDaysBig(days: bigint): void {
  const z = days + 719468n;
  const era = floorDiv(z, 146097n);
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const month = mp < 10n ? mp + 3n : mp - 9n;
  const year = yoe + era * 400n + (month <= 2n ? 1n : 0n);
  cal.year = Number(year);
  cal.month = Number(month);
  cal.day = Number(doy - (153n * mp + 2n) / 5n + 1n);
  cal.yday = dayOfYear(cal.year, cal.month, cal.day);
  cal.wday = Number((((days + 4n) % 7n) + 7n) % 7n);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

const CUMULATIVE_DAYS = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function dayOfYear(year: number, month: number, day: number): number {
  return CUMULATIVE_DAYS[month]! + day + (month > 2 && isLeap(year) ? 1 : 0);
}

function dateFunction(field: () => number): InstantFunction {
  return (args, ctx) => {
    const vec: Vector = vectorArg(args, 0);
    const out: Vector = new Array(vec.length);
    for (let i = 0; i < vec.length; i++) {
      const s = vec[i]!;
      civil(s.v);
      out[i] = { metric: s.metric, t: ctx.t, v: field(), dropName: true };
    }
    return out;
  };
}

/** DATE_FUNCTIONS are the calendar functions, by name. */
export const DATE_FUNCTIONS: ReadonlyMap<string, InstantFunction> = new Map<string, InstantFunction>([
  ['year', dateFunction(() => cal.year)],
  ['month', dateFunction(() => cal.month)],
  ['day_of_month', dateFunction(() => cal.day)],
  ['day_of_week', dateFunction(() => cal.wday)],
  ['day_of_year', dateFunction(() => cal.yday)],
  ['days_in_month', dateFunction(() => (cal.month === 2 && isLeap(cal.year) ? 29 : MONTH_DAYS[cal.month]!))],
  ['hour', dateFunction(() => cal.hour)],
  ['minute', dateFunction(() => cal.minute)],
]);
