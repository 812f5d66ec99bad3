import { execFileSync } from 'node:child_process';

/**
 * promtool (Debian's prometheus package, 2.42) as the oracle for generated rule files and tests.
 * promtool 2.42 reports success when a rule_files pattern matched nothing (it only warns), so
 * these helpers treat any WARNING as a failure, and `check rules` must find at least one rule.
 */

/** PromtoolResult is promtool's exit code and everything it printed. */
export interface PromtoolResult {
  readonly code: number;
  readonly output: string;
}

function promtool(args: string[], cwd?: string): PromtoolResult {
  try {
    const output = execFileSync('promtool', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...(cwd === undefined ? {} : { cwd }), maxBuffer: 64 << 20 });
    return { code: 0, output };
  } catch (err) {
    const e = err as { status?: number; stdout?: string; stderr?: string };
    return { code: e.status ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** checkRules runs `promtool check rules` and throws unless every file passes with rules found. */
export function checkRules(files: readonly string[]): PromtoolResult {
  const r = promtool(['check', 'rules', ...files]);
  const found = [...r.output.matchAll(/SUCCESS: (\d+) rules found/g)].map((m) => Number(m[1]));
  if (r.code !== 0 || r.output.includes('WARNING') || found.length !== files.length || found.some((n) => n === 0)) {
    throw new Error(`promtool check rules failed (exit ${r.code}):\n${r.output}`);
  }
  return r;
}

/** testRules runs `promtool test rules`; it throws when promtool warns (a rule file matched nothing). */
export function testRules(files: readonly string[], cwd?: string): PromtoolResult {
  const r = promtool(['test', 'rules', ...files], cwd);
  if (r.output.includes('WARNING')) throw new Error(`promtool test rules warned:\n${r.output}`);
  return r;
}

/** promtoolVersion is the installed promtool's version line, for test names. */
export function promtoolVersion(): string {
  return /version (\S+)/.exec(promtool(['--version']).output)?.[1] ?? 'unknown';
}
