import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAlertingConfigs, isAlertingConfigPath, isAlertingConfigText } from '../../../alerting/config/check.js';
import { vigilCli } from '../../support/cli.js';

const VALID = 'test/alerting/fixtures/routing/ai-routing.yml';
const INVALID = 'test/alerting/fixtures/routing/invalid/group-by-duplicate.yml';
const RULES = 'test/rules/testdata/valid/prometheus';

describe('isAlertingConfigPath', () => {
  it('recognises a file with top-level route and receivers', () => {
    expect(isAlertingConfigText('route:\n  receiver: a\nreceivers: []\n')).toBe(true);
    expect(isAlertingConfigText('groups:\n  - name: route\n    receivers: x\n')).toBe(false);
    expect(isAlertingConfigPath(VALID)).toBe(true);
    expect(isAlertingConfigPath(RULES)).toBe(false);
    expect(isAlertingConfigPath('test/alerting/fixtures/routing/*.yml')).toBe(false);
    expect(isAlertingConfigPath('does/not/exist.yml')).toBe(false);
  });
});

describe('checkAlertingConfigs', () => {
  it('collects every file’s errors and warnings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-check-am-'));
    const warn = join(dir, 'warn.yml');
    writeFileSync(warn, 'route: {receiver: r}\nreceivers:\n  - name: r\n    email_configs: [{to: a, from: b, smarthost: "h:25", auth_password: pw}]\n');
    const r = checkAlertingConfigs([VALID, INVALID, warn, join(dir, 'missing.yml')]);
    expect(r.errors.map((e) => `${e.file}:${e.line}:${e.column}`)).toEqual([`${INVALID}:6:34`, `${join(dir, 'missing.yml')}:1:1`]);
    expect(r.warnings.map((w) => w.path)).toEqual(['receivers[0].email_configs[0].auth_password']);
  });
});

describe('vigil check with Alertmanager configuration files', () => {
  it('checks a named alerting config next to rule files', async () => {
    const res = await vigilCli(['check', RULES, VALID]);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr).toBe('checked 3 files: 3 groups, 9 rules, 0 SLOs, 1 alerting config; 0 errors, 0 warnings\n');
  });

  it('reports an alerting config error with file:line:column', async () => {
    const res = await vigilCli(['check', INVALID]);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe(`${INVALID}:6:34: route.group_by[2]: duplicated label "cluster" in group_by\n`);
    expect(res.stderr).toBe('checked 1 file: 1 error, 0 warnings\n');
  });

  it('takes --alerting FILE, and prints alerting issues in --json', async () => {
    const res = await vigilCli(['check', '--json', '--alerting', INVALID]);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout)).toEqual({
      errors: [{ file: INVALID, line: 6, column: 34, path: 'route.group_by[2]', message: 'duplicated label "cluster" in group_by' }],
      warnings: [],
    });
  });

  it('says what it checked for alerting configs alone', async () => {
    const res = await vigilCli(['check', '--alerting', VALID]);
    expect(res.stderr).toBe('checked 1 file: 1 alerting config; 0 errors, 0 warnings\n');
  });
});
