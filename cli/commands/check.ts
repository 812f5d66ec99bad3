import { checkRules } from '../../rules/check.js';
import { formatIssue } from '../../util/yamlreader.js';
import { type Command, EXIT_FAILURE, EXIT_OK, type IO, UsageError } from '../command.js';

export const checkCommand: Command = {
  name: 'check',
  summary: 'validate rule files: Prometheus rule groups, vigil AlertRule/RecordingRule/SLO, Sloth, OpenSLO',
  usage: `Usage: vigil check [--json] PATH...

Loads every rule file named by PATH (a file; a directory, read recursively for *.yaml and *.yml;
or a glob such as 'rules/*.yml', as Prometheus's rule_files allows) and prints every problem:

  FILE:LINE:COLUMN: FIELD.PATH: message              an error
  warning: FILE:LINE:COLUMN: FIELD.PATH: message     a likely mistake

PromQL in rule files is parsed and type-checked, with the position of a fault inside the
expression; alert templates are parsed as Prometheus parses them. Warnings point at an objective
written as a fraction (0.999 for 99.9), an SLO window shorter than its longest alert window, a
counter (a name ending in _total, _count, _bucket or _sum) used without rate() or increase(), a
recording-rule name (level:metric:operations) that no checked file records, and duplicate rules
(same name and labels in one file, as promtool's duplicate-rules lint). A summary goes to
standard error.

Exit codes: 0 no errors (warnings allowed), 1 errors, 2 bad command line.

Flags:
  --json        print {"errors": [...], "warnings": [...]} with file, line, column, path and
                message for each, on standard output
  -h, --help    show this help
`,
  options: { json: { type: 'boolean', default: false } },
  allowPositionals: true,
  async run({ values, positionals }, io: IO) {
    if (positionals.length === 0) throw new UsageError('expected at least one PATH (a rule file, directory or glob)');
    const r = checkRules(positionals);
    if (values['json'] === true) {
      io.stdout(JSON.stringify({ errors: r.errors, warnings: r.warnings }, null, 2) + '\n');
    } else {
      let out = '';
      for (const e of r.errors) out += formatIssue(e) + '\n';
      for (const w of r.warnings) out += `warning: ${formatIssue(w)}\n`;
      io.stdout(out);
    }
    const rules = r.ruleSet.groups.reduce((n, g) => n + g.rules.length, 0);
    const counts = `${plural(r.files.length, 'file')}: ${plural(r.ruleSet.groups.length, 'group')}, ${plural(rules, 'rule')}, ${plural(r.ruleSet.slos.length, 'SLO')}`;
    const issues = `${plural(r.errors.length, 'error')}, ${plural(r.warnings.length, 'warning')}`;
    io.stderr(r.errors.length > 0 ? `checked ${plural(r.files.length, 'file')}: ${issues}\n` : `checked ${counts}; ${issues}\n`);
    return r.errors.length > 0 ? EXIT_FAILURE : EXIT_OK;
  },
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
