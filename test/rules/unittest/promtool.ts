import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';

/** PromtoolRun is what `promtool test rules FILE` printed and returned. */
export interface PromtoolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** failures is the text promtool printed after `  FAILED:` (its error messages, one per line group). */
  readonly failures: string;
}

/**
 * promtoolTestRules runs the installed promtool (Debian's 2.42) on one test file, from the file's
 * directory. It throws when promtool warns that a rule_files pattern matched nothing: promtool 2.42
 * then runs without those rules and may report success, which would make a comparison meaningless.
 */
export function promtoolTestRules(file: string, opts: { allowNoMatch?: boolean } = {}): PromtoolRun {
  const r = spawnSync('promtool', ['test', 'rules', file], { cwd: dirname(file), encoding: 'utf8' });
  if (r.error !== undefined) throw r.error;
  const stdout = r.stdout;
  const stderr = r.stderr;
  if (opts.allowNoMatch !== true && /WARNING: no file match pattern/.test(stderr)) {
    throw new Error(`promtool loaded no rules from a rule_files pattern of ${file}:\n${stderr}`);
  }
  const at = stderr.indexOf('  FAILED:\n');
  const failures = at < 0 ? '' : stderr.slice(at + '  FAILED:\n'.length).replace(/\n+$/, '');
  return { code: r.status ?? -1, stdout, stderr, failures };
}

/** promtoolVersion is the installed promtool's version, such as "2.42.0+ds". */
export function promtoolVersion(): string {
  const r = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  return /version (\S+)/.exec(r.stdout + r.stderr)?.[1] ?? 'unknown';
}
