import type { LabelsAndAnnotations, SampleLike } from './format.js';
import type { FileResult, GroupResult } from './runner.js';

/**
 * SEMANTICS_NOTE heads `vigil test` output: vigil's engine has Prometheus 3 semantics, so values
 * computed over a range whose left edge falls on a sample can differ from promtool 2.42's.
 */
export const SEMANTICS_NOTE =
  "Rule unit tests on vigil's engine: Prometheus 3 semantics (range windows are left-open, (t-r, t]); " +
  'values near window boundaries can differ from promtool 2.42 (Prometheus 2, closed windows).';

function groupTitle(g: GroupResult): string {
  return `tests[${g.index}]${g.name === '' ? '' : ` ${JSON.stringify(g.name)}`}`;
}

/**
 * formatFile renders one file's result in promtool's layout (`Unit Testing:  FILE`, then `SUCCESS`
 * or `FAILED:`), with a PASS / FAIL / SKIP line per test group; each failure is promtool's message,
 * followed by a blank line as promtool prints it.
 */
export function formatFile(r: FileResult): string {
  const out: string[] = [`Unit Testing:  ${r.file}`];
  for (const w of r.warnings) out.push(`  WARNING: ${w}`);
  if (r.status === 'error') {
    out.push('  FAILED:', r.error ?? '', '', '');
    return out.join('\n');
  }
  for (const g of r.groups) {
    if (g.status === 'skipped') {
      out.push(`  SKIP  ${groupTitle(g)} (not selected by --run)`);
      continue;
    }
    out.push(`  ${g.status === 'pass' ? 'PASS' : 'FAIL'}  ${groupTitle(g)}`);
    for (const f of g.failures) out.push(f.text, '');
  }
  const failed = r.groups.filter((g) => g.status === 'fail').length;
  const ran = r.groups.filter((g) => g.status !== 'skipped').length;
  out.push(failed === 0 ? '  SUCCESS' : `  FAILED: ${failed} of ${ran} test group${ran === 1 ? '' : 's'} failed`, '', '');
  return out.join('\n');
}

/** Totals counts files and test groups by outcome. */
export interface Totals {
  readonly files: number;
  readonly filesFailed: number;
  readonly groupsPassed: number;
  readonly groupsFailed: number;
  readonly groupsSkipped: number;
}

export function totals(results: readonly FileResult[]): Totals {
  const groups = results.flatMap((r) => r.groups);
  return {
    files: results.length,
    filesFailed: results.filter((r) => r.status !== 'pass').length,
    groupsPassed: groups.filter((g) => g.status === 'pass').length,
    groupsFailed: groups.filter((g) => g.status === 'fail').length,
    groupsSkipped: groups.filter((g) => g.status === 'skipped').length,
  };
}

/** summaryLine: `3 test groups passed, 1 failed, 0 skipped in 2 files`. */
export function summaryLine(t: Totals): string {
  return `${t.groupsPassed} test group${t.groupsPassed === 1 ? '' : 's'} passed, ${t.groupsFailed} failed, ${t.groupsSkipped} skipped in ${t.files} file${t.files === 1 ? '' : 's'}${t.filesFailed > 0 ? ` (${t.filesFailed} with failures or errors)` : ''}`;
}

/** jsonNumber keeps finite values as numbers and spells NaN and infinities as Go does ("NaN", "+Inf", "-Inf"). */
function jsonNumber(v: number): number | string {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
}

function alertsJson(list: readonly LabelsAndAnnotations[] | undefined) {
  return list?.map((a) => ({ labels: a.labels.toRecord(), annotations: a.annotations.toRecord() }));
}

function samplesJson(list: readonly SampleLike[] | undefined) {
  return list?.map((s) => ({ labels: s.labels.toRecord(), value: jsonNumber(s.value) }));
}

/**
 * jsonReport is `vigil test --json`: every file, test group and failure, with expected and got
 * alerts or samples as plain objects, and the totals. `message` is the promtool-shaped text.
 */
export function jsonReport(results: readonly FileResult[]) {
  return {
    semantics: 'prometheus3',
    note: SEMANTICS_NOTE,
    files: results.map((r) => ({
      file: r.file,
      status: r.status,
      ...(r.error === undefined ? {} : { error: r.error }),
      warnings: r.warnings,
      groups: r.groups.map((g) => ({
        index: g.index,
        name: g.name,
        status: g.status,
        evaluations: g.evaluations,
        failures: g.failures.map((f) => ({
          kind: f.kind,
          evalTime: f.evalTimeMs / 1000,
          ...(f.source === undefined ? {} : { source: f.source }),
          ...(f.alertname === undefined ? {} : { alertname: f.alertname }),
          ...(f.expr === undefined ? {} : { expr: f.expr }),
          ...(f.rule === undefined ? {} : { rule: f.rule }),
          ...(f.error === undefined ? {} : { error: f.error }),
          ...(f.expectedAlerts === undefined ? {} : { expected: alertsJson(f.expectedAlerts), got: alertsJson(f.gotAlerts) }),
          ...(f.expectedSamples === undefined ? {} : { expected: samplesJson(f.expectedSamples), got: samplesJson(f.gotSamples) }),
          message: f.text,
        })),
      })),
    })),
    totals: totals(results),
  };
}
