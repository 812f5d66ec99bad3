import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vigilCli } from '../../support/cli.js';

const EDGE = 'test/alerting/fixtures/routing/edge-cases.yml';

describe('vigil route-test', () => {
  it('prints the receivers comma-joined, in tree order with duplicates', async () => {
    const res = await vigilCli(['route-test', '--config', EDGE, 'env=prod', 'tier=gold']);
    expect(res).toEqual({ code: 0, stdout: 'a-nogpu,b,a\n', stderr: '' });
  });

  it('takes --config.file as amtool spells it', async () => {
    const res = await vigilCli(['route-test', `--config.file=${EDGE}`, 'env=staging']);
    expect(res.stdout).toBe('b\n');
  });

  it('prints the matching tree with --tree', async () => {
    const res = await vigilCli(['route-test', '--config', EDGE, '--tree', 'env=prod', 'gpu=h100x']);
    expect(res.stdout).toBe(
      [
        'Matching routes:',
        '.',
        '└── default-route',
        '    ├── {env="prod"}  receiver: a',
        '    ├── {env=~"prod|staging",severity!="info"}  receiver: b',
        '    └── {env="prod"}  receiver: never',
        '',
        '',
        'a,b,never',
        '',
      ].join('\n'),
    );
  });

  it('exits 1 with a warning when --verify.receivers differs, 0 when it matches', async () => {
    const bad = await vigilCli(['route-test', '--config', EDGE, '--verify.receivers=a-gpu', 'env=prod', 'gpu=h100']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('a-gpu,b,never\nWARNING: Expected receivers did not match resolved receivers.\n');
    const good = await vigilCli(['route-test', '--config', EDGE, '--verify.receivers=a-gpu,b,never', 'env=prod', 'gpu=h100']);
    expect(good.code).toBe(0);
  });

  it('prints receivers and the matched routes with --json', async () => {
    const res = await vigilCli(['route-test', '--config', EDGE, '--json', 'env=staging']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({
      receivers: ['b'],
      routes: [
        {
          receiver: 'b',
          key: '{}/{env=~"prod|staging",severity!="info"}',
          groupBy: [],
          groupByAll: true,
          groupWait: '30s',
          groupInterval: '5m',
          repeatInterval: '4h',
          muteTimeIntervals: [],
          activeTimeIntervals: [],
          continue: true,
        },
      ],
    });
  });

  it('exits 2 when a label is not name=value, as amtool refuses it', async () => {
    const res = await vigilCli(['route-test', '--config', EDGE, 'env=~prod']);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('labels must be specified as key=value pairs');
  });

  it('exits 2 without --config', async () => {
    const res = await vigilCli(['route-test', 'env=prod']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--config FILE is required');
  });

  it('exits 1 with file:line:column when the configuration does not load', async () => {
    const file = 'test/alerting/fixtures/routing/invalid/undefined-receiver.yml';
    const res = await vigilCli(['route-test', '--config', file, 'team=ml']);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toBe(`vigil route-test: ${file}:9:21: route.routes[0].routes[0].receiver: undefined receiver "ml-pager" used in route\n`);
  });

  it('prints load warnings on standard error, never the secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-route-test-'));
    const file = join(dir, 'am.yml');
    writeFileSync(file, 'route: {receiver: r}\nreceivers:\n  - name: r\n    webhook_configs: [{url: "http://h/", http_config: {bearer_token: s3cr3t-value}}]\n');
    const res = await vigilCli(['route-test', '--config', file]);
    expect(res.stdout).toBe('r\n');
    expect(res.stderr).toMatch(/^warning: .*am\.yml:4:70: receivers\[0\]\.webhook_configs\[0\]\.http_config\.bearer_token: a secret written in the config file/);
    expect(res.stderr).not.toContain('s3cr3t-value');
  });

  it('explains itself with --help', async () => {
    const res = await vigilCli(['route-test', '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Usage: vigil route-test --config FILE/);
    expect(res.stdout).toContain('--verify.receivers');
  });
});
