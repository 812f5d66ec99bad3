import { readFile } from 'node:fs/promises';
import { Engine } from '../../promql/engine.js';
import { countsLine, type FileResult, formatHuman, jsonReport, runScript } from '../../promql/promqltest/index.js';
import { type Command, EXIT_FAILURE, EXIT_OK, type IO, UsageError } from '../command.js';

export const promqlTestCommand: Command = {
  name: 'promql-test',
  summary: "run PromQL test scripts (Prometheus's promqltest format) against vigil's engine",
  usage: `Usage: vigil promql-test [--json] [--verbose] FILE...

Runs PromQL test scripts written in Prometheus's promqltest format (load / clear / eval blocks,
as in promql/promqltest/testdata/*.test) against vigil's PromQL engine, with the checks
Prometheus's own runner makes: almost-equal values, exact label sets, and every instant eval
re-run pinned with '@' and as a range query around its time.

Blocks that load or select native histograms, that use syntax Prometheus flags experimental and
the engine does not parse, or that the engine answers as unsupported are skipped, with the reason.

Prints each failing block as FILE:LINE with the query, what was expected and what came back, a
count line per file, and 'N passed, M failed, K skipped'. Progress goes to standard error.

Exit codes: 0 no block failed, 1 some block failed (or a file could not be read), 2 bad command line.

Flags:
  --json        print a machine-readable report (per-file counts, failures, skip reasons)
  --verbose     print every block, passed and skipped ones too
  -h, --help    show this help
`,
  options: { json: { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false } },
  allowPositionals: true,
  async run({ values, positionals }, io: IO) {
    if (positionals.length === 0) throw new UsageError('expected at least one FILE');
    const engine = new Engine({ lookbackDeltaMs: 5 * 60_000, noStepSubqueryIntervalMs: 60_000, delayedNameRemoval: true });
    const results: FileResult[] = [];
    let unreadable = false;
    for (const file of positionals) {
      let source: string;
      try {
        source = await readFile(file, 'utf8');
      } catch (err) {
        io.stderr(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
        unreadable = true;
        continue;
      }
      const started = performance.now();
      const result = await runScript(source, { engine, file });
      results.push(result);
      io.stderr(`${file}: ${countsLine(result)} (${((performance.now() - started) / 1000).toFixed(1)}s)\n`);
    }
    if (values['json'] === true) io.stdout(JSON.stringify(jsonReport(results), null, 2) + '\n');
    else io.stdout(formatHuman(results, values['verbose'] === true));
    return unreadable || results.some((r) => r.failed > 0) ? EXIT_FAILURE : EXIT_OK;
  },
};
