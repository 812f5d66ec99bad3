import { parseArgs, type ParseArgsConfig } from 'node:util';

/** IO is where a command reads and writes, so tests can run commands in process. */
export interface IO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => Promise<string>;
}

export const processIO: IO = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/**
 * Exit codes, the same for every command: 0 success, 1 the checked thing is bad (a body that does
 * not parse, a failed test) or the command failed at run time, 2 the command line is wrong.
 */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

type Options = NonNullable<ParseArgsConfig['options']>;

/** Command is one `vigil` subcommand. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** usage is the text `--help` prints: synopsis, description, flags. */
  readonly usage: string;
  readonly options: Options;
  /** allowPositionals says whether the command takes arguments besides flags. */
  readonly allowPositionals: boolean;
  run(args: { values: Record<string, unknown>; positionals: string[] }, io: IO): Promise<number>;
}

/** UsageError is a wrong command line; it exits 2 with the message and a pointer to --help. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** CommandGroup is a command made of subcommands, such as `vigil tsdb`. */
export interface CommandGroup {
  readonly name: string;
  readonly summary: string;
  readonly commands: readonly (Command | CommandGroup)[];
}

/** groupUsage lists a group's commands. */
export function groupUsage(prefix: string, group: CommandGroup): string {
  const width = Math.max(...group.commands.map((c) => c.name.length)) + 2;
  return `Usage: ${prefix} COMMAND [flags]

${group.summary}

Commands:
${group.commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}

Run '${prefix} COMMAND --help' for a command's flags.
`;
}

/** runCommand parses `argv` for `cmd` (a command or a group), handles --help, and maps errors to exit codes. */
export async function runCommand(cmd: Command | CommandGroup, argv: string[], io: IO, prefix = 'vigil'): Promise<number> {
  if ('commands' in cmd) {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      (name === undefined ? io.stderr : io.stdout)(groupUsage(prefix, cmd));
      return name === undefined ? EXIT_USAGE : EXIT_OK;
    }
    const sub = cmd.commands.find((c) => c.name === name);
    if (sub === undefined) {
      io.stderr(`${prefix}: unknown command ${JSON.stringify(name)}\nRun '${prefix} --help' for usage.\n`);
      return EXIT_USAGE;
    }
    return runCommand(sub, rest, io, `${prefix} ${name}`);
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...cmd.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: cmd.allowPositionals,
      strict: true,
    }) as { values: Record<string, unknown>; positionals: string[] };
  } catch (err) {
    io.stderr(`${prefix}: ${(err as Error).message}\nRun '${prefix} --help' for usage.\n`);
    return EXIT_USAGE;
  }
  if (parsed.values['help'] === true) {
    io.stdout(cmd.usage.endsWith('\n') ? cmd.usage : cmd.usage + '\n');
    return EXIT_OK;
  }
  try {
    return await cmd.run(parsed, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`${prefix}: ${err.message}\nRun '${prefix} --help' for usage.\n`);
      return EXIT_USAGE;
    }
    io.stderr(`${prefix}: ${(err as Error).message}\n`);
    return EXIT_FAILURE;
  }
}

/** stringFlag reads a string flag or undefined. */
export function stringFlag(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}
