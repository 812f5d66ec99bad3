import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../cli/command.js';
import { promqlTestCommand } from '../../../cli/commands/promql-test.js';
import type { JsonReport } from '../../../promql/promqltest/report.js';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(promqlTestCommand, args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: async () => '' }, 'vigil promql-test');
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-promql-test-'));
const script = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const good = script(
  'good.test',
  `load 1m
  up{job="a"} 1 1 0
  up{job="b"} 1 1 1
  h {{schema:0 sum:1 count:1}}

eval instant at 2m sum(up)
  {} 1

eval range from 0 to 2m step 1m up{job="a"}
  up{job="a"} 1 1 0

eval instant at 2m h
`,
);
const bad = script('bad.test', 'load 1m\n  up 1 2\n\neval instant at 1m up\n  up 3\n');

describe('vigil promql-test', () => {
  it('exits 0 when nothing failed, with per-file counts and the total', async () => {
    const r = await run([good]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${good}: 2 passed, 0 failed, 1 skipped`);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('2 passed, 0 failed, 1 skipped');
    expect(r.stderr).toMatch(/good\.test: 2 passed, 0 failed, 1 skipped \(\d+\.\ds\)/);
  });

  it('exits 1 and prints file:line, query, expected and got when a block fails', async () => {
    const r = await run([good, bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAILED ${bad}:4: eval instant at 1m up\n  problem:  expected 3 for {__name__="up"} but got 2\n  expected: up 3\n  got:      up 2`);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('2 passed, 1 failed, 1 skipped');
  });

  it('prints a JSON report with --json', async () => {
    const r = await run(['--json', good, bad]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.totals).toEqual({ passed: 2, failed: 1, skipped: 1 });
    expect(report.files.map((f) => [f.passed, f.failed, f.skipped])).toEqual([
      [2, 0, 1],
      [0, 1, 0],
    ]);
    expect(report.files[1]!.failures[0]!.line).toBe(4);
    expect(report.files[0]!.skips[0]!.category).toBe('native histograms');
  });

  it('prints passed and skipped blocks with --verbose', async () => {
    const r = await run(['--verbose', good]);
    expect(r.stdout).toContain(`PASSED ${good}:6: eval instant at 2m sum(up)`);
    expect(r.stdout).toContain(`SKIPPED ${good}:12: eval instant at 2m h`);
  });

  it('exits 2 without files or with an unknown flag, and 1 for an unreadable file', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['--nope', good])).code).toBe(2);
    const missing = await run([join(dir, 'missing.test')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/missing\.test: cannot read: ENOENT/);
  });

  it('prints its usage with --help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: vigil promql-test \[--json\] \[--verbose\] FILE\.\.\./);
  });
});
