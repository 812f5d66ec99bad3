import { parseDuration as parsePromDuration } from '../../util/duration.js';
import { goQuote } from './errors.js';

/**
 * Request parameters read exactly as Prometheus's HTTP API reads them (web/api/v1/api.go): times
 * are Unix seconds (Go's strconv.ParseFloat syntax, rounded to the millisecond) or RFC 3339;
 * durations are float seconds or Prometheus durations; limits are Go integers. Each parser throws
 * ParamError whose message is Prometheus's reason; the handlers prefix the parameter's name.
 */
export class ParamError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ParamError';
  }
}

/**
 * MIN_TIME_MS and MAX_TIME_MS stand for Prometheus's MinTime and MaxTime, the defaults of optional
 * ranges (series, labels). Prometheus's own values are beyond exact doubles; any bound past every
 * sample selects the same, so the store gets safe integers.
 */
export const MIN_TIME_MS = Number.MIN_SAFE_INTEGER;
export const MAX_TIME_MS = Number.MAX_SAFE_INTEGER;

/** Prometheus prints MinTime and MaxTime like this, and reads them back (clients such as Grafana send them). */
const MIN_TIME_FORMATTED = '-292273086-05-16T16:47:06Z';
const MAX_TIME_FORMATTED = '292277025-08-18T07:12:54.999999999Z';

/**
 * What Go makes of a time from a float that is not a number or past int64 seconds (on amd64 the
 * conversion yields MinInt64): Prometheus then evaluates at -9223372036.854s. Kept so that `time=Inf`
 * answers as it does there.
 */
const GO_OVERFLOW_MS = -9223372036854;

const DECIMAL = /^[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?$/;
const HEX = /^([+-]?)0[xX]_?((?:[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)?)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+(?:_\d+)*)$/;
const INF = /^[+-]?inf(?:inity)?$/i;

/**
 * parseGoFloat reads a float as Go's strconv.ParseFloat(s, 64) does, or returns undefined where Go
 * fails: no surrounding space, underscores only between digits, hexadecimal with a `p` exponent,
 * "NaN", "Inf" and "Infinity" in any case, and a finite literal too large for float64 is an error.
 */
export function parseGoFloat(s: string): number | undefined {
  if (DECIMAL.test(s)) {
    const f = Number(s.replaceAll('_', ''));
    return Number.isFinite(f) ? f : undefined;
  }
  if (INF.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  const hex = HEX.exec(s);
  if (hex !== null) {
    const int = hex[2]!.replaceAll('_', '');
    const frac = hex[3] ?? '';
    if (int.length + frac.length === 0) return undefined;
    const mantissa = parseInt(int + frac || '0', 16);
    const f = mantissa * 2 ** (Number(hex[4]!.replaceAll('_', '')) - 4 * frac.length);
    if (!Number.isFinite(f)) return undefined;
    return hex[1] === '-' ? -f : f;
  }
  return undefined;
}

/** roundHalfAway is Go's math.Round: halves away from zero (JavaScript's Math.round goes up). */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * secondsToMs converts Unix seconds to ms with Prometheus's arithmetic: the fraction is rounded to
 * the millisecond (half away from zero), and a negative fraction borrows from the seconds.
 */
function secondsToMs(f: number): number {
  if (!Number.isFinite(f) || Math.abs(f) >= 2 ** 63) return GO_OVERFLOW_MS;
  let sec = Math.trunc(f);
  const frac = roundHalfAway((f - sec) * 1000) / 1000;
  let nsec = Math.trunc(frac * 1e9);
  if (nsec < 0) {
    sec -= 1;
    nsec += 1e9;
  } else if (nsec >= 1e9) {
    sec += 1;
    nsec -= 1e9;
  }
  return sec * 1000 + Math.floor(nsec / 1e6);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** daysFromCivil counts days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** parseRFC3339 reads Go's RFC3339Nano layout strictly (upper-case T and Z, ranges checked); ms, floored. */
function parseRFC3339(s: string): number | undefined {
  const m = RFC3339.exec(s);
  if (m === null) return undefined;
  const [year, month, day, hour, min, sec] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || min > 59 || sec > 59) return undefined;
  let offset = 0;
  if (m[8] !== undefined) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 23 || om > 59) return undefined;
    offset = (m[8] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const ms = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  return (daysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec - offset) * 1000 + ms;
}

/** parseTime reads a timestamp parameter into ms: Unix seconds first, then RFC 3339. */
export function parseTime(s: string): number {
  const f = parseGoFloat(s);
  if (f !== undefined) return secondsToMs(f);
  const t = parseRFC3339(s);
  if (t !== undefined) return t;
  if (s === MIN_TIME_FORMATTED) return MIN_TIME_MS;
  if (s === MAX_TIME_FORMATTED) return MAX_TIME_MS;
  throw new ParamError(`cannot parse ${goQuote(s)} to a valid timestamp`);
}

/**
 * parseTimeParam is parseTime for an optional parameter: `fallback` when it is empty, and
 * Prometheus's extra "Invalid time value for 'NAME'" in front of the reason otherwise.
 */
export function parseTimeParam(value: string, name: string, fallback: number): number {
  if (value === '') return fallback;
  try {
    return parseTime(value);
  } catch (err) {
    throw new ParamError(`Invalid time value for '${name}': ${(err as Error).message}`);
  }
}

const MAX_INT64 = 2 ** 63;

/**
 * parseDurationNs reads a duration parameter (`step`, `timeout`, `lookback_delta`) into integer
 * nanoseconds, Go's time.Duration: float seconds (truncated to the nanosecond; NaN becomes
 * Go's MinInt64, a negative duration) or a Prometheus duration such as `1h30m`.
 */
export function parseDurationNs(s: string): number {
  const f = parseGoFloat(s);
  if (f !== undefined) {
    const ns = f * 1e9;
    if (ns > MAX_INT64 || ns < -MAX_INT64) throw new ParamError(`cannot parse ${goQuote(s)} to a valid duration. It overflows int64`);
    // Go's conversion of NaN, and of exactly 2^63, to int64 gives MinInt64 on amd64.
    return Number.isNaN(ns) || ns === MAX_INT64 ? -MAX_INT64 : Math.trunc(ns);
  }
  try {
    return parsePromDuration(s) * 1e6;
  } catch {
    throw new ParamError(`cannot parse ${goQuote(s)} to a valid duration`);
  }
}

/** goAtoi is Go's strconv.Atoi on 64 bits, with its error texts. */
export function goAtoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new ParamError(`strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n >= 2n ** 63n || n < -(2n ** 63n)) throw new ParamError(`strconv.Atoi: parsing ${goQuote(s)}: value out of range`);
  return Number(n);
}

/** parseLimit reads `limit` as Prometheus 3 does: empty is 0 (no limit), negative is refused. */
export function parseLimit(s: string): number {
  if (s === '') return 0;
  const n = goAtoi(s);
  if (n < 0) throw new ParamError('limit must be non-negative');
  return n;
}
