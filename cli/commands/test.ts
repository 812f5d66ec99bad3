import { readFile } from 'node:fs/promises';
import { Engine } from '../../promql/engine.js';
import { glob } from '../../rules/load/files.js';
import { loadRuleGroups } from '../../rules/unittest/load.js';
import { formatFile, jsonReport, SEMANTICS_NOTE, summaryLine, totals } from '../../rules/unittest/report.js';
import { type FileResult, type RunFileOptions, runTestFile, type UnitTestEnv } from '../../rules/unittest/runner.js';
import { parseTestFile } from '../../rules/unittest/testfile.js';
import { Head } from '../../tsdb/index.js';
import { VirtualClock } from '../../util/clock.js';
import { formatIssue, SourceError, type SourceIssue } from '../../util/yamlreader.js';
import { engineQuery } from '../adapters.js';
import { type Command, EXIT_FAILURE, EXIT_OK, type IO, UsageError } from '../command.js';

/** A century in ms: the in-memory store of a test group never refuses a sample as too old. */
const CENTURY_MS = 100 * 365 * 24 * 3600_000;

/**
 * unitTestEnv wires rule unit tests to vigil's engine and an in-memory store (a tsdb Head per test
 * group, its clock at t=0 so that a test's 1970 timestamps are never out of bounds). The engine has
 * Prometheus's defaults: 5m lookback, and subqueries without a step use the file's
 * evaluation_interval, as promtool sets them.
 */
export function unitTestEnv(): UnitTestEnv {
  return {
    newStore: () => new Head({ retentionMs: CENTURY_MS, clock: new VirtualClock(0), completedSlabBytes: 1 << 16 }),
    queryFn: (store, opts) =>
      engineQuery(new Engine({ lookbackDeltaMs: 5 * 60_000, noStepSubqueryIntervalMs: opts.noStepSubqueryIntervalMs, delayedNameRemoval: true }), store),
  };
}

/**
 * runTestFiles runs unit-test files with vigil's engine: each file read, parsed, its rule files
 * loaded (SLOs compiled) and every selected test group run. A file that cannot be read or parsed
 * is a FileResult with status 'error'.
 */
export async function runTestFiles(files: readonly string[], opts: { run?: readonly RegExp[]; env?: UnitTestEnv } = {}): Promise<FileResult[]> {
  const env = opts.env ?? unitTestEnv();
  const results: FileResult[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      results.push({ file, status: 'error', error: `${file}: cannot read test file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, warnings: [], groups: [] });
      continue;
    }
    const warnings: SourceIssue[] = [];
    let parsed;
    try {
      parsed = parseTestFile(file, text, warnings);
    } catch (err) {
      if (!(err instanceof SourceError)) throw err;
      results.push({ file, status: 'error', error: err.message, warnings: warnings.map(formatIssue), groups: [] });
      continue;
    }
    const runOpts: RunFileOptions = {
      env,
      loadRules: async (paths) => loadRuleGroups(paths),
      // Patterns are already joined to the test file's directory, as promtool joins them.
      expandPattern: (pattern) => glob(pattern, process.cwd()),
      ...(opts.run === undefined ? {} : { run: opts.run }),
    };
    const r = await runTestFile(parsed, runOpts);
    results.push({ ...r, warnings: [...warnings.map(formatIssue), ...r.warnings] });
  }
  return results;
}

export const testCommand: Command = {
  name: 'test',
  summary: "run rule unit tests in promtool's 'test rules' format on vigil's engine",
  usage: `Usage: vigil test [--json] [--run REGEX]... FILE...

Runs rule unit tests written in promtool's 'test rules' format (Prometheus 2.42): rule_files
(relative to the test file; globs), evaluation_interval (default 1m), group_eval_order, and tests
with interval, input_series in the expanding notation ('0+600x180', '_', 'stale', '_x3'),
alert_rule_test (eval_time, alertname, exp_alerts with exp_labels and exp_annotations; only firing
alerts are compared), promql_expr_test (expr, eval_time, exp_samples; values compared exactly, as
promtool 2.42 does), external_labels, external_url and name.

As promtool does, every rule group is evaluated at every evaluation_interval tick from 0 up to the
latest eval_time (a group's own interval is not used), with input series loaded from t=0, on a
virtual clock. Rule files may be of any kind vigil reads; their SLOs are compiled to rules first.

Semantics: queries run on vigil's engine with Prometheus 3 semantics. Range windows are
left-open, (t-r, t], where promtool 2.42 (Prometheus 2) uses closed windows [t-r, t], so values
computed over a window whose left edge falls on a sample can differ from promtool's. Assert alerts
at times away from thresholds, or pin values for one major version.

Differences from promtool 2.42, on purpose: a rule_files pattern that matches nothing is an error
(promtool warns and runs without those rules); input_series without an interval is an error
(promtool loads every value at t=0); series notation, exp_samples labels and PromQL are checked
before anything runs, with file:line:column.

Output: per file, 'Unit Testing:  FILE', a PASS / FAIL / SKIP line per test group with promtool's
failure messages, then SUCCESS or FAILED. Exit codes: 0 every test passed, 1 a test failed or a
file could not be run, 2 bad command line.

Flags:
  --run REGEX   run only test groups whose name matches REGEX (repeatable; unnamed groups have
                the name "")
  --json        print a machine-readable report
  -h, --help    show this help
`,
  options: { json: { type: 'boolean', default: false }, run: { type: 'string', multiple: true } },
  allowPositionals: true,
  async run({ values, positionals }, io: IO) {
    if (positionals.length === 0) throw new UsageError('expected at least one test FILE');
    const run = runFilters(values['run']);
    const results = await runTestFiles(positionals, run === undefined ? {} : { run });
    const t = totals(results);
    if (values['json'] === true) {
      io.stdout(JSON.stringify(jsonReport(results), null, 2) + '\n');
    } else {
      io.stdout(`${SEMANTICS_NOTE}\n\n`);
      for (const r of results) io.stdout(formatFile(r));
      io.stdout(summaryLine(t) + '\n');
    }
    return t.filesFailed > 0 ? EXIT_FAILURE : EXIT_OK;
  },
};

function runFilters(v: unknown): RegExp[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  return v.map((source: string) => {
    try {
      return new RegExp(source);
    } catch (err) {
      throw new UsageError(`--run ${JSON.stringify(source)}: ${(err as Error).message}`);
    }
  });
}
