import { readFile } from 'node:fs/promises';
import { loadAlertingConfig } from '../../alerting/config/load.js';
import { buildRouteTree } from '../../alerting/route/route.js';
import { LabelArgError, parseLabelArgs, routeJSON, routeTest, VERIFY_MISMATCH } from '../../alerting/route/routetest.js';
import { formatIssue } from '../../util/yamlreader.js';
import { type Command, EXIT_FAILURE, EXIT_OK, type IO, stringFlag, UsageError } from '../command.js';

export const routeTestCommand: Command = {
  name: 'route-test',
  summary: 'show which receivers an alert with given labels is routed to, like amtool config routes test',
  usage: `Usage: vigil route-test --config FILE [--tree] [--verify.receivers=A,B] [--json] NAME=VALUE...

Loads an Alertmanager configuration file (as 'vigil run' does) and routes an alert with the given
labels through its routing tree. Prints what 'amtool config routes test --config.file=FILE'
(Alertmanager 0.25) prints: the receivers of the matched routes joined by commas, in tree order,
a receiver reached twice listed twice. Each label is NAME=VALUE; quote a value holding spaces or
commas (note="a, b"); \\" \\n and \\\\ are escapes inside quotes. A label given twice takes the
last value; an empty value is an absent label. Inhibition, silences and time intervals do not
change routing and are not applied.

Exit codes: 0 routed (and verified, with --verify.receivers), 1 the configuration does not load
or the receivers differ from --verify.receivers, 2 bad command line or label.

Flags:
  --config FILE               the Alertmanager configuration file (also --config.file)
  --tree                      first print the matched path through the tree ("Matching routes:")
  --verify.receivers=A,B      expect exactly this comma-joined receiver list; otherwise print a
                              warning and exit 1
  --json                      print {"receivers": [...], "routes": [{receiver, key, groupBy,
                              groupByAll, groupWait, groupInterval, repeatInterval,
                              muteTimeIntervals, activeTimeIntervals, continue}]} instead
                              (no tree; a --verify.receivers mismatch is told on standard error)
  -h, --help                  show this help
`,
  options: {
    config: { type: 'string' },
    'config.file': { type: 'string' },
    tree: { type: 'boolean', default: false },
    'verify.receivers': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  allowPositionals: true,
  async run({ values, positionals }, io: IO) {
    const file = stringFlag(values, 'config') ?? stringFlag(values, 'config.file');
    if (file === undefined) throw new UsageError('--config FILE is required');
    let labels;
    try {
      labels = parseLabelArgs(positionals);
    } catch (err) {
      if (err instanceof LabelArgError) throw new UsageError(err.message);
      throw err;
    }
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const { config, warnings } = loadAlertingConfig(file, text);
    for (const w of warnings) io.stderr(`warning: ${formatIssue(w)}\n`);
    const verify = stringFlag(values, 'verify.receivers');
    const result = routeTest(buildRouteTree(config), labels, { tree: values['tree'] === true && values['json'] !== true, ...(verify === undefined ? {} : { verify }) });
    if (values['json'] === true) {
      io.stdout(JSON.stringify({ receivers: result.receivers, routes: result.routes.map(routeJSON) }, null, 2) + '\n');
      if (!result.verified) io.stderr(VERIFY_MISMATCH);
    } else {
      io.stdout(result.stdout);
    }
    return result.verified ? EXIT_OK : EXIT_FAILURE;
  },
};
