import { isAbsolute, dirname, join } from 'node:path';
import { isScalar, isSeq } from 'yaml';
import { isValidLabelName, type Labels } from '../../model/labels.js';
import { parseExpr } from '../../promql/parse.js';
import { ParseError, PromQLError } from '../../promql/errors.js';
import { type Field, readYaml, type SourceIssue } from '../../util/yamlreader.js';
import type { SourceRef } from '../model.js';
import { type InputSeries, parseInputSeries, parseMetric, SeriesTextError } from './series.js';

/**
 * A rule unit-test file in promtool's `test rules` format (Prometheus 2.42), decoded with positions.
 * Durations and times are ms; every time is an offset from t=0, where the input series start.
 */
export interface UnitTestFile {
  readonly file: string;
  /** ruleFiles are the `rule_files` patterns, relative ones joined to the test file's directory. */
  readonly ruleFiles: readonly RuleFilePattern[];
  /** evaluationIntervalMs: every group is evaluated this often (default 1m), whatever its own interval. */
  readonly evaluationIntervalMs: number;
  /** groupEvalOrder lists group names evaluated first, in this order, at each evaluation. */
  readonly groupEvalOrder: readonly string[];
  readonly tests: readonly TestGroup[];
}

/** RuleFilePattern is one `rule_files` entry: a path or a glob. */
export interface RuleFilePattern {
  /** pattern as written in the file. */
  readonly written: string;
  /** pattern, absolute or joined to the test file's directory as promtool does. */
  readonly pattern: string;
  readonly source: SourceRef;
}

/** TestGroup is one entry of `tests`: input series and the assertions on them. */
export interface TestGroup {
  /** index is the group's position in `tests`. */
  readonly index: number;
  /** name is `name:`, or "" when unnamed. */
  readonly name: string;
  /** intervalMs is the step of the input series. */
  readonly intervalMs: number;
  readonly inputSeries: readonly InputSeries[];
  readonly alertRuleTests: readonly AlertTestCase[];
  readonly promqlExprTests: readonly PromqlTestCase[];
  /** externalLabels and externalURL are what alert templates see as $externalLabels and $externalURL. */
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly externalURL: string;
  readonly source: SourceRef;
}

/** AlertTestCase: at evalTimeMs, the firing alerts named `alertname` must be exactly expAlerts. */
export interface AlertTestCase {
  readonly evalTimeMs: number;
  readonly alertname: string;
  readonly expAlerts: readonly ExpectedAlert[];
  readonly source: SourceRef;
}

/** ExpectedAlert: the alert's labels (alertname is added by the runner) and templated annotations. */
export interface ExpectedAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** PromqlTestCase: `expr` at evalTimeMs must give exactly expSamples (values compared exactly). */
export interface PromqlTestCase {
  readonly expr: string;
  readonly evalTimeMs: number;
  readonly expSamples: readonly ExpectedSample[];
  readonly source: SourceRef;
}

export interface ExpectedSample {
  readonly labels: Labels;
  readonly value: number;
}

const DEFAULT_EVALUATION_INTERVAL_MS = 60_000;

const FILE_KEYS = ['rule_files', 'evaluation_interval', 'group_eval_order', 'tests', 'fuzzy_compare'] as const;
const GROUP_KEYS = ['interval', 'input_series', 'alert_rule_test', 'promql_expr_test', 'external_labels', 'external_url', 'name'] as const;

/**
 * parseTestFile decodes a unit-test file. It throws SourceError listing every problem with
 * `file:line:column`, the field path, the value and what was expected; strict as promtool's
 * yaml.UnmarshalStrict (an unknown key is an error), and stricter where promtool fails only at run
 * time or not at all: series notation, `exp_samples` labels and PromQL are checked here, with the
 * position inside the string, and input series without an `interval` are refused (promtool 2.42
 * would load every sample at t=0). Warnings (likely mistakes) go to `warnings`.
 */
export function parseTestFile(file: string, text: string, warnings?: SourceIssue[]): UnitTestFile {
  return readYaml(
    file,
    text,
    (root) => {
      const o = root.object(FILE_KEYS);
      if (o === undefined) {
        if (!root.present) root.fail('the file is empty: expected rule_files and tests');
        return undefined;
      }
      if (o.has('fuzzy_compare')) o.get('fuzzy_compare').fail('fuzzy_compare is a promtool >= 3.5 option; promtool 2.42 and vigil compare values exactly');
      const ruleFiles =
        o.get('rule_files').list((f) => {
          const written = f.string();
          if (written === undefined) return undefined;
          if (written === '') return f.expected('a rule file path or glob') as undefined;
          const pattern = isAbsolute(written) ? written : join(dirname(file), written);
          return { written, pattern, source: ref(f) };
        }) ?? [];
      const evaluationIntervalMs = positiveDuration(o.get('evaluation_interval')) ?? DEFAULT_EVALUATION_INTERVAL_MS;
      const seen = new Set<string>();
      const groupEvalOrder =
        o.get('group_eval_order').list((f) => {
          const name = f.string();
          if (name === undefined) return undefined;
          if (seen.has(name)) return f.fail(`group name repeated in evaluation order: ${name}`) as undefined;
          seen.add(name);
          return name;
        }) ?? [];
      let index = 0;
      const tests = o.get('tests').list((f) => decodeGroup(f, index++)) ?? [];
      if (!o.has('tests')) o.field.warn('no tests: the file asserts nothing');
      return { file, ruleFiles, evaluationIntervalMs, groupEvalOrder, tests };
    },
    warnings,
  ) as UnitTestFile;
}

function ref(f: Field): SourceRef {
  const { line, column } = f.position();
  return { file: f.file, line, column, path: f.path };
}

/** positiveDuration reads a Prometheus duration; 0 or absent gives undefined (the default). */
function positiveDuration(f: Field): number | undefined {
  const ms = f.duration();
  return ms === 0 ? undefined : ms;
}

function decodeGroup(f: Field, index: number): TestGroup | undefined {
  const o = f.object(GROUP_KEYS);
  if (o === undefined) return undefined;
  const intervalMs = positiveDuration(o.get('interval'));
  const seriesField = o.get('input_series');
  let inputSeries: InputSeries[] = [];
  if (intervalMs === undefined && isSeq(seriesField.node) && seriesField.node.items.length > 0) {
    o.get('interval').present
      ? o.get('interval').fail('interval must be positive: it is the step between input series values')
      : f.fail('field "interval" is required with input_series (promtool 2.42 has no default and would load every value at t=0)');
  } else {
    inputSeries = seriesField.list((s) => decodeSeries(s, intervalMs ?? 0)) ?? [];
  }
  const externalLabels = o.get('external_labels').stringMap() ?? {};
  for (const name of Object.keys(externalLabels)) {
    if (!isValidLabelName(name)) o.get('external_labels').fail(`${JSON.stringify(name)} is not a valid label name`);
  }
  return {
    index,
    name: o.get('name').string() ?? '',
    intervalMs: intervalMs ?? 0,
    inputSeries,
    alertRuleTests: o.get('alert_rule_test').list(decodeAlertTest) ?? [],
    promqlExprTests: o.get('promql_expr_test').list(decodePromqlTest) ?? [],
    externalLabels,
    externalURL: o.get('external_url').string() ?? '',
    source: ref(f),
  };
}

function decodeSeries(f: Field, intervalMs: number): InputSeries | undefined {
  const o = f.object(['series', 'values']);
  if (o === undefined || !o.require('series', 'values')) return undefined;
  const seriesField = o.get('series');
  const valuesField = o.get('values');
  const series = seriesField.string();
  const values = valuesField.string();
  if (series === undefined || values === undefined) return undefined;
  try {
    return parseInputSeries(series, values, intervalMs);
  } catch (err) {
    if (!(err instanceof SeriesTextError)) throw err;
    const field = err.part === 'series' ? seriesField : valuesField;
    const text = err.part === 'series' ? series : values;
    const what = err.part === 'series' ? 'a series such as \'http_requests_total{code="500"}\'' : "values in the expanding notation, such as '0+1x10 _ stale'";
    field.failAt(field.valueOffset(err.index), `${JSON.stringify(text)}: ${err.reason} (expected ${what})`);
    return undefined;
  }
}

function decodeAlertTest(f: Field): AlertTestCase | undefined {
  const o = f.object(['eval_time', 'alertname', 'exp_alerts']);
  if (o === undefined) return undefined;
  const evalTimeMs = o.get('eval_time').duration() ?? 0;
  const alertname = o.get('alertname').string();
  if (alertname === undefined || alertname === '') {
    // promtool's words, with the position it cannot give.
    f.fail('an item under alert_rule_test misses required attribute alertname');
    return undefined;
  }
  const expAlerts =
    o.get('exp_alerts').list((a) => {
      const ao = a.object(['exp_labels', 'exp_annotations']);
      if (ao === undefined) return undefined;
      const labels = ao.get('exp_labels').stringMap() ?? {};
      for (const name of Object.keys(labels)) {
        if (!isValidLabelName(name)) ao.get('exp_labels').fail(`${JSON.stringify(name)} is not a valid label name`);
      }
      return { labels, annotations: ao.get('exp_annotations').stringMap() ?? {} };
    }) ?? [];
  return { evalTimeMs, alertname, expAlerts, source: ref(f) };
}

function decodePromqlTest(f: Field): PromqlTestCase | undefined {
  const o = f.object(['expr', 'eval_time', 'exp_samples']);
  if (o === undefined) return undefined;
  const exprField = o.get('expr');
  const expr = exprField.string();
  if (expr === undefined || expr.trim() === '') {
    exprField.present ? exprField.expected('a PromQL expression') : f.fail('field "expr" is required');
    return undefined;
  }
  try {
    parseExpr(expr);
  } catch (err) {
    if (err instanceof ParseError) exprField.failAt(exprField.valueOffset(err.position.start), `${JSON.stringify(expr)}: ${err.message}`);
    else if (err instanceof PromQLError) exprField.fail(`${JSON.stringify(expr)}: ${err.message}`);
    else throw err;
    return undefined;
  }
  const evalTimeMs = o.get('eval_time').duration() ?? 0;
  const expSamples =
    o.get('exp_samples').list((s) => {
      const so = s.object(['labels', 'value']);
      if (so === undefined) return undefined;
      const labelsField = so.get('labels');
      const text = labelsField.string() ?? '';
      const value = sampleValue(so.get('value'));
      let labels: Labels;
      try {
        labels = parseMetric(text);
      } catch (err) {
        if (!(err instanceof SeriesTextError)) throw err;
        labelsField.failAt(labelsField.valueOffset(err.index + text.length - text.trimStart().length), `${JSON.stringify(text)}: ${err.reason} (expected a label set such as 'metric{a="b"}' or '{a="b"}')`);
        return undefined;
      }
      if (value === undefined) return undefined;
      return { labels, value };
    }) ?? [];
  return { expr, evalTimeMs, expSamples, source: ref(f) };
}

/**
 * sampleValue reads `value` as Go's YAML reads a float64: a number, or `.inf`, `-.inf`, `.nan`; a
 * quoted string is refused as promtool refuses it. Absent means 0, as in promtool.
 */
function sampleValue(f: Field): number | undefined {
  if (!f.present) return 0;
  if (isScalar(f.node) && typeof f.node.value === 'number') return f.node.value;
  return f.expected('a number (or .inf, -.inf, .nan)');
}
