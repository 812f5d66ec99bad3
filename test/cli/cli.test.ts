import { describe, expect, it } from 'vitest';
import { vigil } from '../../cli/cli.js';
import type { Command, CommandGroup } from '../../cli/command.js';
import { vigilCli } from '../support/cli.js';

/** every command path, such as ['tsdb', 'stats']. */
function commandPaths(group: CommandGroup, prefix: string[] = []): string[][] {
  return group.commands.flatMap((c: Command | CommandGroup) =>
    'commands' in c ? [[...prefix, c.name], ...commandPaths(c, [...prefix, c.name])] : [[...prefix, c.name]],
  );
}

describe('vigil command line', () => {
  it('prints usage for --help on every command, exit 0', async () => {
    const paths = commandPaths(vigil);
    expect(paths.map((p) => p.join(' '))).toEqual(['run', 'check', 'compile', 'check-metrics', 'query', 'promql-test', 'test', 'backtest', 'simulate', 'demo', 'route-test', 'dashboards', 'bundle', 'tsdb', 'tsdb stats', 'tsdb import', 'tsdb export', 'silence', 'silence add', 'silence ls', 'silence expire']);
    for (const path of [[], ...paths]) {
      const res = await vigilCli([...path, '--help']);
      expect(res.code, path.join(' ')).toBe(0);
      expect(res.stdout, path.join(' ')).toMatch(/^Usage: vigil/);
    }
  });

  it('lists the commands when none is given, exit 2', async () => {
    const res = await vigilCli([]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('check-metrics');
  });

  it('rejects unknown commands and flags with exit 2 and a pointer to --help', async () => {
    const unknown = await vigilCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`unknown command "frobnicate"`);
    const flag = await vigilCli(['tsdb', 'stats', '--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/vigil tsdb stats: .*--bogus[\s\S]*Run 'vigil tsdb stats --help'/);
  });

  it('prints its version', async () => {
    expect((await vigilCli(['--version'])).stdout).toBe('vigil 0.1.0\n');
  });
});
