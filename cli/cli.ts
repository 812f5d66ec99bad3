import { type CommandGroup, type IO, processIO, runCommand } from './command.js';
import { checkCommand } from './commands/check.js';
import { backtestCommand } from './commands/backtest.js';
import { bundleCommand } from './commands/bundle.js';
import { checkMetricsCommand } from './commands/check-metrics.js';
import { compileCommand } from './commands/compile.js';
import { dashboardsCommand } from './commands/dashboards.js';
import { demoCommand } from './commands/demo.js';
import { promqlTestCommand } from './commands/promql-test.js';
import { queryCommand } from './commands/query.js';
import { routeTestCommand } from './commands/route-test.js';
import { runCommand as runVigil } from './commands/run.js';
import { silenceCommands } from './commands/silence.js';
import { simulateCommand } from './commands/simulate.js';
import { testCommand } from './commands/test.js';
import { tsdbCommands } from './commands/tsdb.js';

export const VERSION = '0.1.0';

/** vigil is the whole command line: `vigil COMMAND [flags]`. */
export const vigil: CommandGroup = {
  name: 'vigil',
  summary: 'Observability and SLO alerting for AI workloads: scrape, store, evaluate, notify.',
  commands: [runVigil, checkCommand, compileCommand, checkMetricsCommand, queryCommand, promqlTestCommand, testCommand, backtestCommand, simulateCommand, demoCommand, routeTestCommand, dashboardsCommand, bundleCommand, tsdbCommands, silenceCommands],
};

/** main runs vigil with `argv` (without node and script) and returns the exit code. */
export function main(argv: string[], io: IO = processIO): Promise<number> {
  if (argv[0] === '--version' || argv[0] === 'version') {
    io.stdout(`vigil ${VERSION}\n`);
    return Promise.resolve(0);
  }
  return runCommand(vigil, argv, io);
}
