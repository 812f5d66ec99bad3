import { describe, expect, it } from 'vitest';
import { vigilCli } from '../../support/cli.js';

const VALID = 'test/rules/testdata/valid';
const BROKEN = 'test/rules/testdata/broken';

describe('vigil check', () => {
  it('exits 0 on valid files and says what it checked on standard error', async () => {
    const res = await vigilCli(['check', `${VALID}/prometheus`, `${VALID}/vigil/alert-rules.yml`]);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr).toBe('checked 3 files: 5 groups, 12 rules, 0 SLOs; 0 errors, 0 warnings\n');
  });

  it('takes globs', async () => {
    const res = await vigilCli(['check', `${VALID}/prometheus/*.yml`]);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/^checked 2 files: /);
  });

  it('exits 1 and prints every error, then every warning, one per line', async () => {
    const res = await vigilCli(['check', `${BROKEN}/bare-counter.yml`, `${BROKEN}/record-with-for.yml`]);
    expect(res.code).toBe(1);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines.map((l) => /^((warning: )?\S+?:\d+:\d+): /.exec(l)?.[1])).toEqual([
      `${BROKEN}/bare-counter.yml:13:65`,
      `${BROKEN}/record-with-for.yml:6:14`,
      `${BROKEN}/record-with-for.yml:7:26`,
      `warning: ${BROKEN}/bare-counter.yml:5:31`,
      `warning: ${BROKEN}/bare-counter.yml:10:26`,
    ]);
    expect(res.stderr).toBe('checked 2 files: 3 errors, 2 warnings\n');
  });

  it('exits 0 with warnings only', async () => {
    const res = await vigilCli(['check', 'test/rules/testdata/warnings-only.yml']);
    expect(res.stdout).toMatch(/^warning: test\/rules\/testdata\/warnings-only\.yml:5:29: groups\[0\]\.rules\[0\]\.expr: "gpu_errors_total" looks like a counter/);
    expect(res.code).toBe(0);
  });

  it('prints {errors, warnings} with --json', async () => {
    const res = await vigilCli(['check', '--json', `${BROKEN}/bare-counter.yml`]);
    expect(res.code).toBe(1);
    const out = JSON.parse(res.stdout) as { errors: unknown[]; warnings: unknown[] };
    expect(Object.keys(out)).toEqual(['errors', 'warnings']);
    expect(out.errors).toEqual([
      {
        file: `${BROKEN}/bare-counter.yml`,
        line: 13,
        column: 65,
        path: 'groups[0].rules[1].annotations.summary',
        message: 'annotation "summary": template: __alert_SlowRequests:1: unexpected "}" in operand',
      },
    ]);
    expect(out.warnings).toHaveLength(2);
  });

  it('reports a path that matches nothing as an error', async () => {
    const res = await vigilCli(['check', 'test/rules/testdata/nothing-*.yml', 'test/rules/testdata/missing.yml']);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe(
      'test/rules/testdata/nothing-*.yml:1:1: no file matches this pattern\ntest/rules/testdata/missing.yml:1:1: cannot read rule file: ENOENT\n',
    );
  });

  it('exits 2 without a path', async () => {
    const res = await vigilCli(['check']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('expected at least one PATH');
  });
});
