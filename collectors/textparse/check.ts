import type { Labels } from '../../model/labels.js';
import { collectFamilies, type MetricFamily } from './families.js';
import { formatPromAPIFloat } from './format.js';
import { lintFamilies, formatLintProblem, type LintProblem } from './lint.js';
import { mediaType, newParser, OPENMETRICS_MEDIA_TYPE } from './negotiate.js';
import { ParseError, type ParseWarning } from './parser.js';
import { TextParseError } from './errors.js';

/** CheckResult is what `vigil check-metrics` found in one body. */
export interface CheckResult {
  readonly format: 'text' | 'openmetrics';
  /** error is the first thing the parser rejected; the body is then invalid and families is empty. */
  readonly error?: { readonly line: number; readonly column: number; readonly reason: string; readonly code?: string };
  /** warnings are the quirks the parser tolerated and the families it merged. */
  readonly warnings: readonly ParseWarning[];
  /** problems are promlint's findings, as `promtool check metrics` reports them. */
  readonly problems: readonly LintProblem[];
  readonly families: readonly MetricFamily[];
}

/**
 * checkMetrics parses a body (OpenMetrics when the Content-Type says so, else the text format) into
 * families and lints them. A parse error is returned in the result, not thrown.
 */
export function checkMetrics(body: string, contentType?: string): CheckResult {
  const format = mediaType(contentType) === OPENMETRICS_MEDIA_TYPE ? 'openmetrics' : 'text';
  const parser = newParser(body, contentType);
  const mergeWarnings: ParseWarning[] = [];
  let families: MetricFamily[];
  try {
    families = collectFamilies(parser, mergeWarnings);
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    const error = err instanceof TextParseError ? { line: err.line, column: err.column, reason: err.reason, code: err.code } : { line: err.line, column: err.column, reason: err.reason };
    return { format, error, warnings: sortWarnings([...parser.warnings(), ...mergeWarnings]), problems: [], families: [] };
  }
  return { format, warnings: sortWarnings([...parser.warnings(), ...mergeWarnings]), problems: lintFamilies(families), families };
}

export interface CheckOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * formatCheckResult renders a result for the command line. Exit code 1 when the body does not parse
 * (stderr: `line:column: reason`), else 0, with warnings and lint problems on stderr
 * (`warning: line N: ...`, and promtool's `<metric> <text>`). With json, stdout holds the result
 * as JSON: families with their samples, values as strings the way Prometheus's HTTP API writes
 * them (so NaN and ±Inf survive), timestamps in ms.
 */
export function formatCheckResult(result: CheckResult, options: { json: boolean }): CheckOutput {
  const lines: string[] = [];
  for (const w of result.warnings) lines.push(`warning: line ${w.line}: ${w.message}`);
  for (const p of result.problems) lines.push(formatLintProblem(p));
  if (result.error !== undefined) lines.push(`${result.error.line}:${result.error.column}: ${result.error.reason}`);
  const stderr = lines.length === 0 ? '' : lines.join('\n') + '\n';
  const stdout = options.json ? JSON.stringify(toJSON(result), null, 2) + '\n' : '';
  return { stdout, stderr, exitCode: result.error === undefined ? 0 : 1 };
}

function toJSON(result: CheckResult): unknown {
  return {
    format: result.format,
    ...(result.error !== undefined ? { error: result.error } : {}),
    warnings: result.warnings,
    problems: result.problems,
    families: result.families.map((f) => ({
      name: f.name,
      type: f.type,
      ...(f.help !== undefined ? { help: f.help } : {}),
      ...(f.unit !== undefined ? { unit: f.unit } : {}),
      samples: f.samples.map((s) => ({
        labels: labelsRecord(s.labels),
        value: formatPromAPIFloat(s.value),
        ...(s.timestamp !== undefined ? { timestamp_ms: s.timestamp } : {}),
        ...(s.exemplar !== undefined
          ? {
              exemplar: {
                labels: labelsRecord(s.exemplar.labels),
                value: formatPromAPIFloat(s.exemplar.value),
                ...(s.exemplar.timestamp !== undefined ? { timestamp_ms: s.exemplar.timestamp } : {}),
              },
            }
          : {}),
      })),
    })),
  };
}

// labelsRecord uses a null-prototype object so that a label named `__proto__` is kept.
function labelsRecord(labels: Labels): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  labels.forEach((n, v) => (out[n] = v));
  return out;
}

function sortWarnings(warnings: ParseWarning[]): ParseWarning[] {
  return warnings.map((w, i) => ({ w, i })).sort((a, b) => a.w.line - b.w.line || a.i - b.i).map(({ w }) => w);
}
