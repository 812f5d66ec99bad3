import { formatDuration } from '../../util/duration.js';

/**
 * Small PromQL text builders the SLO compiler shares. They only build strings; the compiled
 * rules are checked by parsing them in tests and by `promtool check rules`.
 */

/** WINDOW_PLACEHOLDER matches Sloth's `{{.window}}` (spaces allowed inside the braces). */
export const WINDOW_PLACEHOLDER = /\{\{\s*\.window\s*\}\}/g;

/** hasWindowPlaceholder says whether a query has a `{{.window}}` to fill in. */
export function hasWindowPlaceholder(query: string): boolean {
  return new RegExp(WINDOW_PLACEHOLDER.source).test(query);
}

/** withWindow fills every `{{.window}}` in a Sloth-style query with a Prometheus duration. */
export function withWindow(query: string, windowMs: number): string {
  return query.replace(WINDOW_PLACEHOLDER, formatDuration(windowMs));
}

/** dur renders a window as Prometheus prints durations: 5m, 1h, 1d, 4w. */
export function dur(ms: number): string {
  return formatDuration(ms);
}

/** str quotes a PromQL string literal (JSON escapes are valid PromQL escapes). */
export function str(value: string): string {
  return JSON.stringify(value);
}

/** num renders a float for PromQL; JavaScript's shortest form (14.4, 0.001, 1e-7) parses as written. */
export function num(x: number): string {
  return String(x);
}

/** selector renders `name{a="x", b="y"}` with equality matchers in the given order. */
export function selector(name: string, labels: readonly (readonly [string, string])[]): string {
  const parts = labels.map(([k, v]) => `${k}=${str(v)}`);
  return parts.length === 0 ? name : `${name}{${parts.join(', ')}}`;
}

/** sumBy renders `sum by (a, b) (inner)`, or `sum(inner)` without grouping labels. */
export function sumBy(grouping: readonly string[], inner: string): string {
  return grouping.length === 0 ? `sum(${inner})` : `sum by (${grouping.join(', ')}) (${inner})`;
}

/** onLabels renders ` on (a, b)`: the matching clause of a set operation on exactly these labels. */
export function onLabels(labels: readonly string[]): string {
  return `on (${labels.join(', ')})`;
}

/** indent prefixes every line after the first with `by` spaces, for nested multi-line expressions. */
export function indent(text: string, by: number): string {
  return text.replaceAll('\n', '\n' + ' '.repeat(by));
}
