import { isValidLabelName, isValidMetricName } from '../../model/labels.js';
import { DurationError, parseDuration } from '../../util/duration.js';
import type { Field } from '../../util/yamlreader.js';
import { checkExpr } from '../load/expr.js';
import type { DecodeContext } from '../load/kinds.js';
import { decodeAnnotations, decodeLabels } from '../load/rulecheck.js';
import type { SourceRef } from '../model.js';
import { WINDOW_PLACEHOLDER } from './promql.js';
import { RESERVED_LABELS } from './series.js';

/**
 * Field checks the SLO decoders share (vigil/v1, Sloth, OpenSLO). Each reports on the field with
 * its file:line:column and path, says what was found and what was expected, and returns undefined
 * after a problem so decoding goes on and every problem in a file is reported at once.
 */

/** NAME is what SLO and service names may be: they become label values, group and file names. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** sourceOf is the SourceRef of a field. */
export function sourceOf(f: Field): SourceRef {
  const { line, column } = f.position();
  return { file: f.file, line, column, path: f.path };
}

/** sloName reads an SLO or service name. */
export function sloName(f: Field): string | undefined {
  const s = f.string();
  if (s === undefined) return undefined;
  if (!NAME.test(s)) return f.expected("a name of letters, digits, '_', '.' and '-' starting with a letter or digit");
  return s;
}

/** positiveDuration reads a Prometheus duration greater than zero. */
export function positiveDuration(f: Field): number | undefined {
  const s = f.string();
  if (s === undefined) return undefined;
  let ms: number;
  try {
    ms = parseDuration(s);
  } catch (err) {
    if (err instanceof DurationError) return f.expected('a duration such as 5m, 1h or 30d');
    throw err;
  }
  if (ms <= 0) return f.expected('a duration greater than 0');
  return ms;
}

/** nonNegativeDuration reads a Prometheus duration, 0 allowed (`for: 0s`). */
export function nonNegativeDuration(f: Field): number | undefined {
  const s = f.string();
  if (s === undefined) return undefined;
  try {
    return parseDuration(s);
  } catch (err) {
    if (err instanceof DurationError) return f.expected('a duration such as 0s, 5m or 1h');
    throw err;
  }
}

/** alertWindow reads a burn-rate window: a whole number of minutes, at least 5m. */
export function alertWindow(f: Field): number | undefined {
  const ms = positiveDuration(f);
  if (ms === undefined) return undefined;
  if (ms < 5 * 60_000 || ms % 60_000 !== 0) return f.expected('a whole number of minutes, at least 5m (the base rate window)');
  return ms;
}

/**
 * labelMap reads labels added to series or alerts: valid label names, none the compiler sets
 * itself. `reserved` overrides the reserved list (alert labels may set `severity`, for example);
 * with `alert`, values are that alert's templates and must parse.
 */
export function labelMap(
  f: Field,
  opts: { reserved?: readonly string[]; alert?: { alertName: string; ctx: DecodeContext } } = {},
): Record<string, string> | undefined {
  const m = decodeLabels(f, opts.alert);
  if (m === undefined) return undefined;
  const reserved = opts.reserved ?? RESERVED_LABELS;
  let ok = true;
  for (const [key, value] of f.entries() ?? []) {
    if (reserved.includes(key)) {
      value.fail(`label ${JSON.stringify(key)} is set by the SLO compiler and cannot be set here`);
      ok = false;
    }
  }
  return ok ? m : undefined;
}

/** annotationMap reads an alert's annotations: valid label names as keys, templates as values. */
export function annotationMap(f: Field, alert: { alertName: string; ctx: DecodeContext }): Record<string, string> | undefined {
  return decodeAnnotations(f, alert);
}

/** alertName reads an alert name, which Prometheus requires to be a valid metric name. */
export function alertName(f: Field): string | undefined {
  const s = f.string();
  if (s === undefined) return undefined;
  if (!isValidMetricName(s)) return f.expected('an alert name such as SLOErrorBudgetBurn ([a-zA-Z_:][a-zA-Z0-9_:]*)');
  return s;
}

/** groupingLabels reads `grouping`: distinct valid label names, none the compiler sets. */
export function groupingLabels(f: Field): string[] | undefined {
  const seen = new Set<string>();
  return f.list((item) => {
    const s = item.string();
    if (s === undefined) return undefined;
    if (!isValidLabelName(s)) return item.expected('a label name ([a-zA-Z_][a-zA-Z0-9_]*)');
    if (RESERVED_LABELS.includes(s)) return item.fail(`label ${JSON.stringify(s)} is set by the SLO compiler and cannot be a grouping label`);
    if (seen.has(s)) return item.fail(`label ${JSON.stringify(s)} is listed twice`);
    seen.add(s);
    return s;
  });
}

/**
 * seriesSelector reads a PromQL series selector (`http_requests_total{code=~"5.."}`), which the
 * compiler rates itself. A parse error points at its exact column inside the YAML value.
 */
export function seriesSelector(f: Field, ctx: DecodeContext): string | undefined {
  return selectorAndName(f, ctx)?.text;
}

/**
 * histogramSelector reads a classic histogram's base name with optional matchers
 * (`http_request_duration_seconds{job="api"}`); the compiler selects its `_bucket` and `_count`.
 */
export function histogramSelector(f: Field, ctx: DecodeContext): string | undefined {
  const s = selectorAndName(f, ctx);
  if (s === undefined) return undefined;
  if (s.name === '') return f.expected('a histogram name before the braces, such as http_request_duration_seconds{job="api"}');
  const suffix = ['_bucket', '_count', '_sum'].find((x) => s.name.endsWith(x));
  if (suffix !== undefined) {
    return f.fail(`got ${JSON.stringify(s.name)}, expected the histogram's base name without ${suffix} (vigil selects ${s.name.slice(0, -suffix.length)}_bucket and _count itself)`);
  }
  return s.text;
}

function selectorAndName(f: Field, ctx: DecodeContext): { text: string; name: string } | undefined {
  const text = f.string();
  if (text === undefined) return undefined;
  const expr = checkExpr(f, ctx, { types: ['vector'] });
  if (expr === undefined) return undefined;
  if (expr.kind !== 'VectorSelector' || expr.offsetMs !== 0 || expr.at !== undefined) {
    return f.expected('a series selector such as http_requests_total{code=~"5.."} (vigil applies rate() itself; use sli.raw for other expressions)');
  }
  return { text: text.trim(), name: expr.name };
}

/**
 * windowQuery reads a Sloth-style PromQL query with `{{.window}}` where the range goes, parsed
 * with the placeholder filled in. With `requireWindow`, a query without the placeholder is an
 * error, as Sloth says.
 */
export function windowQuery(f: Field, ctx: DecodeContext, requireWindow: boolean): string | undefined {
  const text = f.string();
  if (text === undefined) return undefined;
  const { filled, mapIndex, count } = fillWindow(text);
  if (count === 0 && requireWindow) return f.fail('the query must contain the {{.window}} template variable where the range goes, such as rate(x[{{.window}}])');
  const expr = checkExpr(f, ctx, { text: filled, mapIndex, types: ['vector', 'scalar'] });
  return expr === undefined ? undefined : text;
}

/**
 * fillWindow replaces each `{{.window}}` with `5m` so the query parses, and maps an index in the
 * filled text back to the original (an index inside a replacement maps to the placeholder).
 */
export function fillWindow(text: string): { filled: string; mapIndex: (i: number) => number; count: number } {
  const spans: { at: number; origLen: number }[] = [];
  let filled = '';
  let last = 0;
  for (const m of text.matchAll(new RegExp(WINDOW_PLACEHOLDER.source, 'g'))) {
    filled += text.slice(last, m.index);
    spans.push({ at: filled.length, origLen: m[0].length });
    filled += '5m';
    last = m.index + m[0].length;
  }
  filled += text.slice(last);
  const mapIndex = (i: number): number => {
    let shift = 0;
    for (const s of spans) {
      if (i < s.at) break;
      if (i < s.at + 2) return s.at + shift;
      shift += s.origLen - 2;
    }
    return i + shift;
  };
  return { filled, mapIndex, count: spans.length };
}

/** objective reads an objective in percent; `fraction` says the file format writes it 0-1 (OpenSLO). */
export function objectivePercent(f: Field, warn: (message: string) => void): number | undefined {
  const o = f.number();
  if (o === undefined) return undefined;
  if (!(o > 0 && o < 100)) return f.expected('an objective in percent, greater than 0 and less than 100, such as 99.9');
  if (o <= 1) warn(`objective ${o} looks like a fraction; objectives are percentages (did you mean ${+(o * 100).toPrecision(12)}?)`);
  return o;
}
