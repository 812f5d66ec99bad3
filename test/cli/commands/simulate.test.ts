import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { vigilCli } from '../../support/cli.js';

const STEADY = resolve('examples/scenarios/steady.yaml');
const dir = mkdtempSync(join(tmpdir(), 'vigil-simulate-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vigil simulate', () => {
  it('rejects a wrong command line with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--out', 'x.om'], /--scenario FILE is required/],
      [['--scenario', STEADY], /exactly one of --out FILE and --listen ADDR/],
      [['--scenario', STEADY, '--out', 'x.om', '--listen', '127.0.0.1:0'], /exactly one of/],
      [['--scenario', STEADY, '--out', 'x.om', '--duration', 'long'], /--duration: expected a duration/],
      [['--scenario', STEADY, '--out', 'x.om', '--step', '0s'], /--step must be positive/],
      [['--scenario', STEADY, '--out', 'x.om', '--start', 'yesterday'], /--start: expected an RFC 3339 time/],
      [['--scenario', STEADY, '--listen', 'localhost'], /--listen: expected HOST:PORT/],
      [['--scenario', STEADY, '--listen', '127.0.0.1:0', '--duration', '1h'], /--duration applies to --out only/],
      [['--scenario', STEADY, '--out', 'x.om', '--seed', '1.5'], /--seed must be a whole number/],
    ];
    for (const [args, message] of cases) {
      const res = await vigilCli(['simulate', ...args]);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr, args.join(' ')).toMatch(message);
      expect(res.stderr).toContain("Run 'vigil simulate --help'");
    }
  });

  it('reports an invalid scenario as file:line:column with exit 1, and an unreadable one', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\nphases:\n  - name: a\n    at: 0s\n    set:\n      queue: {consumer: 2}\n');
    const res = await vigilCli(['simulate', '--scenario', bad, '--out', join(dir, 'never.om')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(`${bad}:6:15: phases[0].set.queue.consumer: unknown field "consumer" (did you mean "consumers"?)\n`);
    const missing = await vigilCli(['simulate', '--scenario', join(dir, 'missing.yaml'), '--out', join(dir, 'never.om')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read scenario .*missing\.yaml: ENOENT/);
  });

  it('writes OpenMetrics that vigil tsdb import reads back, from --start for --duration every --step', async () => {
    const out = join(dir, 'steady.om');
    const res = await vigilCli(['simulate', '--scenario', STEADY, '--out', out, '--start', '2024-05-01T00:00:00Z', '--duration', '10m', '--step', '1m']);
    expect(res.code, res.stderr).toBe(0);
    const written = /wrote (\d+) samples of (\d+) series to .* \(11 scrapes every 1m, from 2024-05-01T00:00:00\.000Z\)/.exec(res.stderr);
    expect(written, res.stderr).not.toBeNull();
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n').find((l) => l.startsWith('up{'))).toMatch(/ 1 1714521600$/);
    const imported = await vigilCli(['tsdb', 'import', out, '--data', join(dir, 'data'), '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ appended: Number(written![1]), series: Number(written![2]) });
  });

  it("writes to standard output with --out -, and --seed changes the run", async () => {
    const args = ['simulate', '--scenario', STEADY, '--out', '-', '--start', '1714521600', '--duration', '2m', '--step', '1m'];
    const a = await vigilCli(args);
    const again = await vigilCli(args);
    const seeded = await vigilCli([...args, '--seed', '99']);
    expect(a.code).toBe(0);
    expect(a.stdout.endsWith('# EOF\n')).toBe(true);
    expect(again.stdout).toBe(a.stdout);
    expect(seeded.stdout).not.toBe(a.stdout);
  });

  // The compiled build as a child process: --listen runs until a signal.
  it('serves the exporters with --listen, prints scrape configs, and stops on SIGTERM with exit 0', async () => {
    const child = spawn(process.execPath, [resolve('dist/cli/main.js'), 'simulate', '--scenario', STEADY, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const deadline = Date.now() + 20_000;
    while (!stdout.includes('job_name: kube-state-metrics') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    expect(stdout, stderr).toContain('scrape_configs:');
    const target = /targets: \['([^']+)'\]\n\s+labels: \{[^}]*__metrics_path__: "(\/vllm\/llama-3-70b\/v1\/metrics)"/.exec(stdout);
    expect(target, stdout).not.toBeNull();
    const body = await (await fetch(`http://${target![1]}${target![2]}`)).text();
    expect(body).toContain('vllm:request_success_total{engine="0",finished_reason="stop",model_name="meta-llama/Meta-Llama-3-70B-Instruct"}');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/serving 8 exporters on http:\/\/127\.0\.0\.1:\d+[\s\S]*SIGTERM: stopped/);
  });
});
