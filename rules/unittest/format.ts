import type { Labels } from '../../model/labels.js';
import { goQuote } from '../../promql/strings.js';
import { formatDuration } from '../../util/duration.js';

/**
 * Text in promtool 2.42's shapes (cmd/promtool/unittest.go), so a failure reads the same under
 * `vigil test` and `promtool test rules` and scripts written for one can read the other.
 */

/** goLabels is Prometheus's labels.String: `{a="b", c="d"}` with Go-quoted values. */
export function goLabels(labels: Labels): string {
  const parts: string[] = [];
  labels.forEach((n, v) => parts.push(`${n}=${goQuote(v)}`));
  return `{${parts.join(', ')}}`;
}

/** goFloatE is strconv.FormatFloat(v, 'E', -1, 64): shortest digits, `1.1E+01`, `NaN`, `+Inf`. */
export function goFloatE(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const [mant, exp] = Math.abs(v).toExponential().split('e') as [string, string];
  const e = Number(exp);
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  return `${sign}${mant}E${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** goTimeDuration is Go's time.Duration.String for whole ms: `0s`, `1m0s`, `1h5m0s`, `1.5s`, `500ms`. */
export function goTimeDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const h = Math.floor(rest / 3600_000);
  rest -= h * 3600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const frac = rest - s * 1000;
  const secs = frac === 0 ? `${s}` : `${s}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
  if (h > 0) return `${sign}${h}h${m}m${secs}s`;
  if (m > 0) return `${sign}${m}m${secs}s`;
  return `${sign}${secs}s`;
}

/** promDuration is model.Duration.String, how promtool prints an `eval_time`: `1h5m`, `0s`. */
export const promDuration = formatDuration;

/** indentLines prefixes every line but the first with `indent` (promtool's indentLines). */
export function indentLines(text: string, indent: string): string {
  return text
    .split('\n')
    .map((l, i) => (i > 0 ? indent + l : l))
    .join('\n');
}

/** LabelsAndAnnotations is one alert as compared: its labels and annotations. */
export interface LabelsAndAnnotations {
  readonly labels: Labels;
  readonly annotations: Labels;
}

/** alertListString is promtool's labelsAndAnnotations.String: `[]`, or numbered entries. */
export function alertListString(list: readonly LabelsAndAnnotations[]): string {
  if (list.length === 0) return '[]';
  const entry = (a: LabelsAndAnnotations, i: number) =>
    `${i}:` + indentLines(`\nLabels:${goLabels(a.labels)}\nAnnotations:${goLabels(a.annotations)}`, '  ');
  return '[\n' + list.map(entry).join(',\n') + '\n]';
}

/** SampleLike is one sample of a promql_expr_test, expected or got. */
export interface SampleLike {
  readonly labels: Labels;
  readonly value: number;
}

/** samplesString is promtool's parsedSamplesString: `nil`, or `{a="b"} 1E+00, ...`. */
export function samplesString(list: readonly SampleLike[]): string {
  if (list.length === 0) return 'nil';
  return list.map((s) => `${goLabels(s.labels)} ${goFloatE(s.value)}`).join(', ');
}

/** testNamePrefix is the `    name: X,` line promtool puts before an alert failure of a named group. */
function testNamePrefix(groupName: string): string {
  return groupName === '' ? '' : `    name: ${groupName},\n`;
}

/** alertFailureText is promtool's message for an alert_rule_test whose firing alerts differ. */
export function alertFailureText(groupName: string, alertname: string, evalTimeMs: number, exp: readonly LabelsAndAnnotations[], got: readonly LabelsAndAnnotations[]): string {
  const pad = ' '.repeat(12);
  return (
    `${testNamePrefix(groupName)}    alertname: ${alertname}, time: ${promDuration(evalTimeMs)}, \n` +
    `        exp:${indentLines(alertListString(exp), pad)}, \n` +
    `        got:${indentLines(alertListString(got), pad)}`
  );
}

/** exprFailureText is promtool's message for a promql_expr_test whose samples differ. */
export function exprFailureText(expr: string, evalTimeMs: number, exp: readonly SampleLike[], got: readonly SampleLike[]): string {
  return `    expr: ${goQuote(expr)}, time: ${promDuration(evalTimeMs)},\n        exp: ${samplesString(exp)}\n        got: ${samplesString(got)}`;
}

/** exprErrorText is promtool's message for a promql_expr_test whose query failed. */
export function exprErrorText(expr: string, evalTimeMs: number, err: string): string {
  return `    expr: ${goQuote(expr)}, time: ${promDuration(evalTimeMs)}, err: ${err}`;
}

/** ruleErrorText is promtool's message for a rule that failed to evaluate (which ends the test group). */
export function ruleErrorText(rule: string, tMs: number, err: string): string {
  return `    rule: ${rule}, time: ${goTimeDuration(tMs)}, err: ${err}`;
}
