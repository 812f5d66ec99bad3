/** Plain-text formatting of times and numbers in vigil's Slack messages (UTC, no locale). */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * utcTime renders a time as `12:04 UTC`, or `May 1 12:04 UTC` when it is not on the same UTC day
 * as `now`. UTC because one message is read by people in several time zones.
 */
export function utcTime(ms: number, now: number): string {
  const d = new Date(ms);
  const hm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} UTC`;
  const sameDay = new Date(now).toISOString().slice(0, 10) === d.toISOString().slice(0, 10);
  return sameDay ? hm : `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${hm}`;
}

/** number3 renders a numeric string with three significant digits (`20.1`), other strings as they are. */
export function number3(value: string): string {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v)) return value;
  return String(Number(v.toPrecision(3)));
}

/**
 * percent renders a remaining-budget value: a string ending in `%` as it is, a number as a ratio
 * (vigil and Sloth record `slo:period_error_budget_remaining:ratio`, which goes below 0 once the
 * budget is overspent) with one decimal, e.g. `0.4213` → `42.1%`.
 */
export function percent(value: string): string {
  const t = value.trim();
  if (t.endsWith('%')) return t;
  const v = Number(t);
  if (t === '' || !Number.isFinite(v)) return value;
  return `${String(Number((v * 100).toFixed(1)))}%`;
}
