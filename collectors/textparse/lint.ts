import type { MetricFamily } from './families.js';

/** LintProblem is one finding, printed by promtool as `<metric> <text>`. */
export interface LintProblem {
  readonly metric: string;
  readonly text: string;
}

/**
 * lintFamilies applies client_golang's promlint rules (what `promtool check metrics` reports), with
 * its wording, and returns the problems sorted by metric name then text, as promtool prints them.
 * A problem about a label is reported once per sample that has it, as promlint does.
 *
 * Families read from OpenMetrics are named without their counter `_total`; a counter whose samples
 * all carry the suffix counts as having it. A gaugehistogram may use `le` and `_bucket`.
 */
export function lintFamilies(families: readonly MetricFamily[]): LintProblem[] {
  const problems: LintProblem[] = [];
  for (const family of families) {
    for (const text of lintFamily(family)) problems.push({ metric: family.name, text });
  }
  // A stable sort, like promlint's sort.SliceStable.
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => compare(a.p.metric, b.p.metric) || compare(a.p.text, b.p.text) || a.i - b.i)
    .map(({ p }) => p);
}

/** formatLintProblem renders a problem as promtool does. */
export function formatLintProblem(problem: LintProblem): string {
  return `${problem.metric} ${problem.text}`;
}

function lintFamily(family: MetricFamily): string[] {
  const out: string[] = [];
  const name = family.name;
  const type = family.type;
  const untyped = type === 'unknown';
  const metrics = metricLabelNames(family);

  if (family.help === undefined) out.push('no help text');

  const unit = metricUnits(name);
  if (unit !== undefined && unit.unit !== unit.base) out.push(`use base unit ${goQuote(unit.base)} instead of ${goQuote(unit.unit)}`);

  const hasTotal = name.endsWith('_total') || (type === 'counter' && family.samples.length > 0 && family.samples.every((s) => s.labels.metricName.endsWith('_total')));
  if (type === 'counter' && !hasTotal) out.push('counter metrics should have "_total" suffix');
  else if (!untyped && type !== 'counter' && name.endsWith('_total')) out.push('non-counter metrics should not have "_total" suffix');

  if (!untyped && type !== 'gauge' && name.endsWith('_timestamp_seconds')) out.push('non-gauge metrics should not have "_timestamp_seconds" suffix');

  if (!untyped) {
    const histogram = type === 'histogram' || type === 'gaugehistogram';
    const summary = type === 'summary';
    if (!histogram && name.endsWith('_bucket')) out.push('non-histogram metrics should not have "_bucket" suffix');
    if (!histogram && !summary && name.endsWith('_count')) out.push('non-histogram and non-summary metrics should not have "_count" suffix');
    if (!histogram && !summary && name.endsWith('_sum')) out.push('non-histogram and non-summary metrics should not have "_sum" suffix');
    for (const labels of metrics) {
      for (const label of labels) {
        if (!histogram && label === 'le') out.push('non-histogram metrics should not have "le" label');
        if (!summary && label === 'quantile') out.push('non-summary metrics should not have "quantile" label');
      }
    }
  }

  const lower = name.toLowerCase();
  for (const typeName of ['counter', 'gauge', 'summary', 'histogram', 'gauge_histogram']) {
    if (lower.includes(`_${typeName}_`) || lower.endsWith(`_${typeName}`)) out.push(`metric name should not include type '${typeName}'`);
  }

  if (name.includes(':')) out.push("metric names should not contain ':'");

  if (CAMEL_CASE.test(name)) out.push("metric names should be written in 'snake_case' not 'camelCase'");
  for (const labels of metrics) {
    for (const label of labels) {
      if (CAMEL_CASE.test(label)) out.push("label names should be written in 'snake_case' not 'camelCase'");
    }
  }

  for (const abbreviation of UNIT_ABBREVIATIONS) {
    if (lower.includes(`_${abbreviation}_`) || lower.endsWith(`_${abbreviation}`)) out.push('metric names should not contain abbreviated units');
  }

  const seen = new Map<string, number>();
  for (const sample of family.samples) seen.set(sample.labels.key, (seen.get(sample.labels.key) ?? 0) + 1);
  for (const count of seen.values()) for (let i = 1; i < count; i++) out.push('metric not unique');

  return out;
}

const CAMEL_CASE = /[a-z][A-Z]/;

/**
 * metricLabelNames lists the label names of each metric of the family as client_golang's data
 * model holds them: a histogram's buckets, sum and count (or a summary's quantiles, sum and count)
 * with one label set are one metric, whose labels exclude `__name__` and `le` (or `quantile`).
 * Label rules are applied per metric, so they report as often as promtool does.
 */
function metricLabelNames(family: MetricFamily): string[][] {
  const folded = family.type === 'histogram' || family.type === 'gaugehistogram' ? 'le' : family.type === 'summary' ? 'quantile' : '';
  const metrics = new Map<string, string[]>();
  for (const sample of family.samples) {
    const names: string[] = [];
    let key = '';
    sample.labels.forEach((n, v) => {
      if (n === '__name__' || n === folded) return;
      names.push(n);
      key += n + '\u0000' + v + '\u0000';
    });
    if (!metrics.has(key)) metrics.set(key, names);
  }
  return [...metrics.values()];
}

// promlint's units: each unit and the base unit it should be expressed in.
const UNITS = new Map<string, string>([
  ['amperes', 'amperes'],
  ['bytes', 'bytes'],
  ['celsius', 'celsius'],
  ['grams', 'grams'],
  ['joules', 'joules'],
  ['kelvin', 'kelvin'],
  ['meters', 'meters'],
  ['metres', 'metres'],
  ['seconds', 'seconds'],
  ['volts', 'volts'],
  ['minutes', 'seconds'],
  ['hours', 'seconds'],
  ['days', 'seconds'],
  ['weeks', 'seconds'],
  ['kelvins', 'kelvin'],
  ['fahrenheit', 'celsius'],
  ['rankine', 'celsius'],
  ['inches', 'meters'],
  ['yards', 'meters'],
  ['miles', 'meters'],
  ['bits', 'bytes'],
  ['calories', 'joules'],
  ['pounds', 'grams'],
  ['ounces', 'grams'],
]);

const UNIT_PREFIXES = ['pico', 'nano', 'micro', 'milli', 'centi', 'deci', 'deca', 'hecto', 'kilo', 'kibi', 'mega', 'mibi', 'giga', 'gibi', 'tera', 'tebi', 'peta', 'pebi'];

const UNIT_ABBREVIATIONS = ['s', 'ms', 'us', 'ns', 'sec', 'b', 'kb', 'mb', 'gb', 'tb', 'pb', 'm', 'h', 'd'];

// metricUnits finds the first `_`-separated part of the name that is a known unit, possibly with
// an SI or binary prefix (so "thermometers" is no unit but "kilometers" is).
function metricUnits(name: string): { unit: string; base: string } | undefined {
  for (const part of name.split('_')) {
    const base = UNITS.get(part);
    if (base !== undefined) return { unit: part, base };
    for (const prefix of UNIT_PREFIXES) {
      if (!part.startsWith(prefix)) continue;
      const prefixedBase = UNITS.get(part.slice(prefix.length));
      if (prefixedBase !== undefined) return { unit: part, base: prefixedBase };
    }
  }
  return undefined;
}

// goQuote is Go's %q for the plain ASCII words used here.
function goQuote(s: string): string {
  return JSON.stringify(s);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
