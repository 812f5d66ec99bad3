import { readFile } from 'node:fs/promises';
import { checkMetrics, formatCheckResult } from '../../collectors/textparse/index.js';
import { type Command, type IO, stringFlag, UsageError } from '../command.js';

export const checkMetricsCommand: Command = {
  name: 'check-metrics',
  summary: 'validate a metrics exposition body, like promtool check metrics',
  usage: `Usage: vigil check-metrics [--json] [--content-type TYPE] FILE|-

Parses a Prometheus text-format (0.0.4) or OpenMetrics 1.0 body, from FILE or standard input
('-'), and lints it the way 'promtool check metrics' does.

Exit codes: 0 the body parses (lint problems and tolerated quirks are printed as warnings),
1 it does not (the first error is printed as line:column: reason), 2 bad command line.

Flags:
  --json                 print the parsed metric families as JSON on standard output
  --content-type TYPE    parse as this Content-Type; default: OpenMetrics when the body ends
                         in '# EOF', else the text format
  -h, --help             show this help
`,
  options: { json: { type: 'boolean', default: false }, 'content-type': { type: 'string' } },
  allowPositionals: true,
  async run({ values, positionals }, io: IO) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one FILE (or - for standard input)');
    const file = positionals[0]!;
    let body: string;
    try {
      body = file === '-' ? await io.readStdin() : await readFile(file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    let contentType = stringFlag(values, 'content-type');
    if (contentType === undefined && /(^|\n)# EOF\n?$/.test(body)) contentType = 'application/openmetrics-text; version=1.0.0';
    const out = formatCheckResult(checkMetrics(body, contentType), { json: values['json'] === true });
    if (out.stdout !== '') io.stdout(out.stdout);
    if (out.stderr !== '') io.stderr(out.stderr);
    return out.exitCode;
  },
};
