import { formatFloat } from './gofloat.js';
import { GoDuration, GoTime } from './value.js';

/** timeFromSeconds is Go's time for a float of Unix seconds (model.TimeFromUnixNano of v × 1e9), or an error message. */
export function timeFromSeconds(v: number, pointer: boolean): GoTime | string {
  const ns = v * 1e9;
  if (ns > 9223372036854775807 || ns < -9223372036854775808) return `${formatFloat(v, 'g', -1)} cannot be represented as a nanoseconds timestamp since it overflows int64`;
  // int64(v × 1e9), then model.TimeFromUnixNano keeps milliseconds: integer division by 1e6.
  const ms = Number(BigInt(Math.trunc(ns)) / 1_000_000n);
  return new GoTime(ms, 0, pointer);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** timeString is Go's Time.String for a UTC time: `2015-06-23 13:19:44.128 +0000 UTC`. */
export function timeString(t: GoTime): string {
  return formatTime(t, '2006-01-02 15:04:05.999999999 -0700 MST');
}

/** formatTime is Go's Time.Format for a UTC time, with Go's reference-time layout elements. */
export function formatTime(t: GoTime, layout: string): string {
  const d = new Date(t.ms);
  const nanos = (((t.ms % 1000) + 1000) % 1000) * 1e6 + t.nsRemainder;
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const year = d.getUTCFullYear();
  const hour = d.getUTCHours();
  const tokens: [string, () => string][] = [
    ['January', () => MONTHS[d.getUTCMonth()]!],
    ['Monday', () => DAYS[d.getUTCDay()]!],
    ['2006', () => pad(year, 4)],
    ['Jan', () => MONTHS[d.getUTCMonth()]!.slice(0, 3)],
    ['Mon', () => DAYS[d.getUTCDay()]!.slice(0, 3)],
    ['MST', () => 'UTC'],
    ['Z07:00', () => 'Z'],
    ['Z0700', () => 'Z'],
    ['Z07', () => 'Z'],
    ['-07:00', () => '+00:00'],
    ['-0700', () => '+0000'],
    ['-07', () => '+00'],
    ['002', () => pad(dayOfYear(d), 3)],
    ['01', () => pad(d.getUTCMonth() + 1, 2)],
    ['02', () => pad(d.getUTCDate(), 2)],
    ['_2', () => String(d.getUTCDate()).padStart(2, ' ')],
    ['06', () => pad(year % 100, 2)],
    ['15', () => pad(hour, 2)],
    ['03', () => pad(hour % 12 === 0 ? 12 : hour % 12, 2)],
    ['04', () => pad(d.getUTCMinutes(), 2)],
    ['05', () => pad(d.getUTCSeconds(), 2)],
    ['PM', () => (hour >= 12 ? 'PM' : 'AM')],
    ['pm', () => (hour >= 12 ? 'pm' : 'am')],
    ['1', () => String(d.getUTCMonth() + 1)],
    ['2', () => String(d.getUTCDate())],
    ['3', () => String(hour % 12 === 0 ? 12 : hour % 12)],
    ['4', () => String(d.getUTCMinutes())],
    ['5', () => String(d.getUTCSeconds())],
  ];
  let out = '';
  let i = 0;
  outer: while (i < layout.length) {
    // Fractional seconds: .000 (fixed) or .999 (trailing zeros dropped), with . or , as separator.
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac !== null) {
      const n = frac[1]!.length;
      let digits = String(nanos).padStart(9, '0').slice(0, n);
      if (frac[1]![0] === '9') {
        digits = digits.replace(/0+$/, '');
        out += digits === '' ? '' : '.' + digits;
      } else out += layout[i] + digits;
      i += frac[0].length;
      continue;
    }
    for (const [tok, f] of tokens) {
      if (layout.startsWith(tok, i)) {
        out += f();
        i += tok.length;
        continue outer;
      }
    }
    out += layout[i];
    i++;
  }
  return out;
}

function dayOfYear(d: Date): number {
  return Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400_000) + 1;
}

/** durationString is Go's time.Duration.String: `1h2m3.5s`, `1.5ms`, `0s`. */
export function durationString(d: GoDuration): string {
  let ns = Math.trunc(d.ns);
  if (ns === 0) return '0s';
  const neg = ns < 0;
  if (neg) ns = -ns;
  let out: string;
  if (ns < 1e9) {
    const [unit, size] = ns < 1e3 ? ['ns', 1] : ns < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    out = fraction(ns, size as number) + unit;
  } else {
    const h = Math.floor(ns / 3600e9);
    const m = Math.floor((ns % 3600e9) / 60e9);
    const s = fraction(ns % 60e9, 1e9) + 's';
    out = h > 0 ? `${h}h${m}m${s}` : m > 0 ? `${m}m${s}` : s;
  }
  return (neg ? '-' : '') + out;
}

function fraction(n: number, size: number): string {
  const whole = Math.floor(n / size);
  const rest = n % size;
  if (rest === 0) return String(whole);
  const digits = String(rest).padStart(String(size).length - 1, '0').replace(/0+$/, '');
  return `${whole}.${digits}`;
}
