import { spawnSync } from 'node:child_process';

/** PromtoolResult is one `promtool check rules` run. */
export interface PromtoolResult {
  readonly code: number;
  /** output is stdout and stderr together, as promtool spreads its report over both. */
  readonly output: string;
  /** rulesFound is the sum of "SUCCESS: N rules found" over the files checked. */
  readonly rulesFound: number;
}

/**
 * promtoolCheckRules runs `promtool check rules FILE...` (promtool 2.42 from the Debian package
 * `prometheus`, the oracle for Prometheus's rule-file format). It throws, failing the test, when
 * promtool says a file matched nothing or loaded no rules: promtool 2.42 then still reports
 * success, so a test that trusted the exit code would pass without checking anything.
 */
export function promtoolCheckRules(files: readonly string[], opts: { readonly cwd?: string } = {}): PromtoolResult {
  const r = spawnSync('promtool', ['check', 'rules', ...files], { cwd: opts.cwd, encoding: 'utf8' });
  if (r.error !== undefined) throw new Error(`cannot run promtool (Debian package prometheus): ${r.error.message}`);
  const output = `${r.stdout}${r.stderr}`;
  if (/no file match|WARNING: no file/i.test(output)) throw new Error(`promtool matched no file:\n${output}`);
  const found = [...output.matchAll(/SUCCESS: (\d+) rules found/g)].map((m) => Number(m[1]));
  if (found.includes(0)) throw new Error(`promtool loaded 0 rules from a file, so it checked nothing:\n${output}`);
  return { code: r.status ?? -1, output, rulesFound: found.reduce((a, b) => a + b, 0) };
}
