import { checkAlertingConfigs, isAlertingConfigPath } from '../../alerting/config/check.js';
import { checkRules } from '../../rules/check.js';
import { formatIssue } from '../../util/yamlreader.js';
import { type Command, EXIT_FAILURE, EXIT_OK, type IO, UsageError } from '../command.js';

export const checkCommand: Command = {
  name: 'check',
  summary: 'validate rule files (Prometheus, vigil, Sloth, OpenSLO) and Alertmanager configuration files',
  usage: `Usage: vigil check [--json] [--alerting FILE]... PATH...

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

A file named directly whose top level has both 'route:' and 'receivers:' is an Alertmanager
configuration file (vigil's alerting config), checked as 'amtool check-config' checks it (plus
vigil's own keys); --alerting FILE names one explicitly. Warnings point at secrets written inline
and at settings vigil ignores.

Exit codes: 0 no errors (warnings allowed), 1 errors, 2 bad command line.

Flags:
  --json            print {"errors": [...], "warnings": [...]} with file, line, column, path
                    and message for each, on standard output
  --alerting FILE   check FILE as an Alertmanager configuration file (repeatable)
  -h, --help        show this help
`,
  options: { json: { type: 'boolean', default: false }, alerting: { type: 'string', multiple: true } },
  allowPositionals: true,
  async run({ values, positionals }, io: IO) {
    const alertingFiles = [...((values['alerting'] as string[] | undefined) ?? [])];
    const rulePaths: string[] = [];
    for (const p of positionals) (isAlertingConfigPath(p) ? alertingFiles : rulePaths).push(p);
    if (positionals.length === 0 && alertingFiles.length === 0) throw new UsageError('expected at least one PATH (a rule file, directory or glob)');
    const r = checkRules(rulePaths);
    const a = checkAlertingConfigs(alertingFiles);
    const errors = [...r.errors, ...a.errors];
    const warnings = [...r.warnings, ...a.warnings];
    if (values['json'] === true) {
      io.stdout(JSON.stringify({ errors, warnings }, null, 2) + '\n');
    } else {
      let out = '';
      for (const e of errors) out += formatIssue(e) + '\n';
      for (const w of warnings) out += `warning: ${formatIssue(w)}\n`;
      io.stdout(out);
    }
    const files = plural(r.files.length + alertingFiles.length, 'file');
    const rules = r.ruleSet.groups.reduce((n, g) => n + g.rules.length, 0);
    const ruleCounts = `${plural(r.ruleSet.groups.length, 'group')}, ${plural(rules, 'rule')}, ${plural(r.ruleSet.slos.length, 'SLO')}`;
    const alertingCount = plural(alertingFiles.length, 'alerting config');
    const counts = alertingFiles.length === 0 ? ruleCounts : rulePaths.length === 0 ? alertingCount : `${ruleCounts}, ${alertingCount}`;
    const issues = `${plural(errors.length, 'error')}, ${plural(warnings.length, 'warning')}`;
    io.stderr(errors.length > 0 ? `checked ${files}: ${issues}\n` : `checked ${files}: ${counts}; ${issues}\n`);
    return errors.length > 0 ? EXIT_FAILURE : EXIT_OK;
  },
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
