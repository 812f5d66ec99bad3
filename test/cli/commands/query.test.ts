import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vigilCli } from '../../support/cli.js';

// Samples every 15s from T0 (Unix seconds), 40 of them: gen_requests_total counts 6/s on pod a
// and 3/s on pod b; gen_gpu_util is 0.25 and 0.75.
const T0 = 1_700_000_000;

function data(): string {
  const lines = ['# TYPE gen_requests counter'];
  for (const [pod, perSec] of [['a', 6], ['b', 3]] as const) {
    for (let i = 0; i < 40; i++) lines.push(`gen_requests_total{job="api",pod="${pod}"} ${i * 15 * perSec} ${T0 + i * 15}`);
  }
  lines.push('# TYPE gen_gpu_util gauge');
  for (const [gpu, v] of [['0', 0.25], ['1', 0.75]] as const) {
    for (let i = 0; i < 40; i++) lines.push(`gen_gpu_util{gpu="${gpu}"} ${v} ${T0 + i * 15}`);
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

describe('vigil query', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-query-'));
  const store = join(dir, 'data');
  const at = String(T0 + 300);

  beforeAll(async () => {
    writeFileSync(join(dir, 'data.om'), data());
    const imported = await vigilCli(['tsdb', 'import', join(dir, 'data.om'), '--data', store]);
    expect(imported.code, imported.stderr).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints an instant vector as a table of series, values and times', async () => {
    const res = await vigilCli(['query', 'sum by (pod) (gen_requests_total)', '--data', store, '--time', at]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(
      ['SERIES     VALUE  TIME', '{pod="a"}  1800   2023-11-14T22:18:20Z', '{pod="b"}  900    2023-11-14T22:18:20Z', ''].join('\n'),
    );
  });

  it('prints the JSON the HTTP API puts in "data"', async () => {
    const res = await vigilCli(['query', 'gen_gpu_util', '--data', store, '--time', new Date((T0 + 300) * 1000).toISOString(), '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({
      resultType: 'vector',
      result: [
        { metric: { __name__: 'gen_gpu_util', gpu: '0' }, value: [T0 + 300, '0.25'] },
        { metric: { __name__: 'gen_gpu_util', gpu: '1' }, value: [T0 + 300, '0.75'] },
      ],
    });
    const scalar = await vigilCli(['query', '1 / 8', '--data', store, '--time', at, '--json']);
    expect(JSON.parse(scalar.stdout)).toEqual({ resultType: 'scalar', result: [T0 + 300, '0.125'] });
  });

  it('runs a range query: one block per series', async () => {
    const res = await vigilCli(['query', 'gen_gpu_util{gpu="1"} * 2', '--data', store, '--start', String(T0 + 60), '--end', String(T0 + 180), '--step', '1m']);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(
      ['{gpu="1"}', '  2023-11-14T22:14:20Z  1.5', '  2023-11-14T22:15:20Z  1.5', '  2023-11-14T22:16:20Z  1.5', ''].join('\n'),
    );
    const json = await vigilCli(['query', 'count(gen_gpu_util)', '--data', store, '--start', String(T0 + 60), '--end', String(T0 + 120), '--step', '30', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({
      resultType: 'matrix',
      result: [{ metric: {}, values: [[T0 + 60, '2'], [T0 + 90, '2'], [T0 + 120, '2']] }],
    });
    // Only --end: the range is the 5 minutes before it, in 250ths of it rounded to whole seconds.
    const defaults = await vigilCli(['query', 'count(gen_gpu_util)', '--data', store, '--end', String(T0 + 500), '--json']);
    const values = JSON.parse(defaults.stdout).result[0].values as [number, string][];
    expect(values[0]![0]).toBe(T0 + 200);
    expect(values[1]![0] - values[0]![0]).toBe(1);
    expect(values.at(-1)![0]).toBe(T0 + 500);
  });

  it('says when nothing matches', async () => {
    const res = await vigilCli(['query', 'gen_nothing', '--data', store, '--time', at]);
    expect([res.code, res.stdout]).toEqual([0, 'empty vector: no series\n']);
  });

  it('fails a query that does not parse with exit code 1, showing where', async () => {
    const res = await vigilCli(['query', 'sum(rate(gen_requests_total[1m])', '--data', store, '--time', at]);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    const [message, line, caret] = res.stderr.split('\n');
    expect(message).toMatch(/^vigil query: 1:(\d+): parse error: /);
    const column = Number(/1:(\d+)/.exec(message!)![1]);
    expect(line).toBe('  sum(rate(gen_requests_total[1m])');
    expect(caret).toBe(' '.repeat(column + 1) + '^');
  });

  it('refuses a wrong command line with exit code 2', async () => {
    const cases: [string[], string][] = [
      [['query', '--data', store], 'expected exactly one EXPR'],
      [['query', 'up'], '--data DIR is required'],
      [['query', 'up', '--data', store, '--time', 'noon'], '--time: cannot parse "noon" to a valid timestamp'],
      [['query', 'up', '--data', store, '--time', '1', '--start', '1'], '--time is for an instant query'],
      [['query', 'up', '--data', store, '--start', '10', '--end', '5'], '--end must not be before --start'],
      [['query', 'up', '--data', store, '--end', '100', '--step', 'often'], '--step: cannot parse "often" to a valid duration'],
      [['query', 'up', '--data', store, '--start', '0', '--end', '100000', '--step', '1'], 'more than 11000 points per series'],
      [['query', 'up', '--data', store, '--bogus'], "Unknown option '--bogus'"],
    ];
    for (const [args, message] of cases) {
      const res = await vigilCli(args);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toContain(message);
    }
  });

  it('does not create a missing data directory', async () => {
    const res = await vigilCli(['query', 'up', '--data', join(dir, 'missing')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`data directory ${join(dir, 'missing')} does not exist`);
  });

  it('refuses a directory a running vigil holds, and points at the HTTP API', async () => {
    // Any other live process will do as the lock holder.
    const holder: ChildProcess = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      writeFileSync(join(store, 'lock'), `${holder.pid}\n`);
      const res = await vigilCli(['query', 'up', '--data', store]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`is in use by process ${holder.pid}`);
      expect(res.stderr).toContain('/api/v1/query');
    } finally {
      rmSync(join(store, 'lock'), { force: true });
      holder.kill();
    }
  });

  it('has --help that names the HTTP alternative', async () => {
    const res = await vigilCli(['query', '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Usage: vigil query EXPR --data DIR');
    expect(res.stdout).toContain("curl 'http://127.0.0.1:9470/api/v1/query'");
  });
});
