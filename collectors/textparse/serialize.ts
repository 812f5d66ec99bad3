import { METRIC_NAME, quoteLabelValue } from '../../model/labels.js';
import type { Labels } from '../../model/labels.js';
import type { MetricFamily, MetricSample } from './families.js';
import { formatGoFloat } from './format.js';
import type { MetricType } from './parser.js';

/**
 * serializeText writes families as Prometheus text format 0.0.4. Values are written in Go's `%g`
 * form (shortest digits that read back as the same float64, `NaN`, `+Inf`, `-Inf`), timestamps
 * as integer milliseconds; exemplars and units, which the format lacks, are left out. Types the
 * format lacks (gaugehistogram, info, stateset) are written as untyped.
 */
export function serializeText(families: readonly MetricFamily[]): string {
  const out: string[] = [];
  for (const family of families) {
    if (family.help !== undefined) out.push(`# HELP ${family.name} ${escapeHelp(family.help, false)}\n`);
    out.push(`# TYPE ${family.name} ${textType(family.type)}\n`);
    for (const sample of family.samples) {
      out.push(seriesText(sample.labels), ' ', formatGoFloat(sample.value));
      if (sample.timestamp !== undefined) out.push(' ', String(sample.timestamp));
      out.push('\n');
    }
  }
  return out.join('');
}

/**
 * serializeOpenMetrics writes families as OpenMetrics 1.0 text, ending with `# EOF`. Timestamps
 * are written as exact decimal seconds (`1700000000.123`), which the parser reads back to the same
 * milliseconds. A counter family named with its `_total`, as the text format names them, is
 * declared without it, so its samples keep their names.
 */
export function serializeOpenMetrics(families: readonly MetricFamily[]): string {
  const out: string[] = [];
  for (const family of families) {
    const name = openMetricsFamilyName(family);
    out.push(`# TYPE ${name} ${family.type}\n`);
    if (family.unit !== undefined && family.unit !== '') out.push(`# UNIT ${name} ${family.unit}\n`);
    if (family.help !== undefined) out.push(`# HELP ${name} ${escapeHelp(family.help, true)}\n`);
    for (const sample of family.samples) {
      out.push(seriesText(sample.labels), ' ', formatGoFloat(sample.value));
      if (sample.timestamp !== undefined) out.push(' ', millisToSeconds(sample.timestamp));
      if (sample.exemplar !== undefined) out.push(exemplarText(sample));
      out.push('\n');
    }
  }
  out.push('# EOF\n');
  return out.join('');
}

/** seriesText renders `name{label="value",...}`, the metric name from `__name__`, labels in order. */
export function seriesText(labels: Labels): string {
  let name = '';
  const parts: string[] = [];
  labels.forEach((n, v) => {
    if (n === METRIC_NAME) name = v;
    else parts.push(`${n}=${quoteLabelValue(v)}`);
  });
  return parts.length === 0 ? name : `${name}{${parts.join(',')}}`;
}

function exemplarText(sample: MetricSample): string {
  const exemplar = sample.exemplar!;
  const parts: string[] = [];
  exemplar.labels.forEach((n, v) => parts.push(`${n}=${quoteLabelValue(v)}`));
  let text = ` # {${parts.join(',')}} ${formatGoFloat(exemplar.value)}`;
  if (exemplar.timestamp !== undefined) text += ' ' + millisToSeconds(exemplar.timestamp);
  return text;
}

/** millisToSeconds writes integer milliseconds as exact decimal seconds. */
export function millisToSeconds(ms: number): string {
  const negative = ms < 0;
  const abs = Math.abs(ms);
  const whole = Math.floor(abs / 1000);
  const fraction = abs - whole * 1000;
  const text = fraction === 0 ? String(whole) : `${whole}.${String(fraction).padStart(3, '0').replace(/0+$/, '')}`;
  return negative ? '-' + text : text;
}

// escapeHelp escapes HELP text: backslash and newline in both formats, and the double quote in
// OpenMetrics.
function escapeHelp(help: string, quotes: boolean): string {
  let out = help.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
  if (quotes) out = out.replaceAll('"', '\\"');
  return out;
}

function textType(type: MetricType): string {
  switch (type) {
    case 'counter':
    case 'gauge':
    case 'histogram':
    case 'summary':
      return type;
    default:
      return 'untyped';
  }
}

function openMetricsFamilyName(family: MetricFamily): string {
  if (family.type !== 'counter' || !family.name.endsWith('_total')) return family.name;
  const bare = family.name.slice(0, -'_total'.length);
  return family.samples.every((s) => s.labels.metricName === family.name) ? bare : family.name;
}
