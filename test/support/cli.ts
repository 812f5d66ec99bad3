import { main } from '../../cli/cli.js';

/** CliResult is what an in-process `vigil` invocation printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** vigilCli runs `vigil ARGS...` in this process (never `run`, which owns process signals). */
export async function vigilCli(args: string[], stdin = ''): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: async () => stdin,
  });
  return { code, stdout, stderr };
}
