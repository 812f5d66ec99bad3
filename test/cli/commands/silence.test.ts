import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silenceRoutes, silencesAPI } from '../../../alerting/api/silences.js';
import { Silences } from '../../../alerting/silence/silences.js';
import { HttpServer } from '../../../cli/server.js';
import { VirtualClock } from '../../../util/clock.js';
import { freePort } from '../../support/ports.js';
import { vigilCli } from '../../support/cli.js';

const HOUR = 3600_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Served {
  readonly url: string;
  readonly clock: VirtualClock;
  readonly silences: Silences;
  close(): Promise<void>;
}

/** serveVigil serves vigil's silence routes on 127.0.0.1:0, its virtual clock starting at the wall clock's now (the CLI uses real time). */
async function serveVigil(token?: () => string): Promise<Served> {
  const clock = new VirtualClock(Date.now());
  const db = new Database(':memory:');
  const silences = new Silences({ db, clock });
  const server = new HttpServer();
  for (const r of silenceRoutes(silencesAPI({ silences, clock }), token)) {
    if (r.prefix) server.routePrefix(r.methods, r.path, r.handler);
    else server.route(r.methods, r.path, r.handler);
  }
  const { port } = await server.listen('127.0.0.1:0');
  return {
    url: `http://127.0.0.1:${port}`,
    clock,
    silences,
    async close() {
      await server.close();
      db.close();
    },
  };
}

const execFileP = promisify(execFile);

/** amtool runs Debian's amtool 0.25 with UTC times, as the reference for vigil's output. */
async function amtool(args: string[]): Promise<string> {
  const { stdout } = await execFileP('amtool', args, { timeout: 20_000, env: { ...process.env, TZ: 'UTC' } });
  return stdout;
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-silence-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vigil silence', () => {
  let vigil: Served;
  beforeAll(async () => (vigil = await serveVigil()));
  afterAll(() => vigil.close());
  const url = () => `--alertmanager.url=${vigil.url}`;

  it('prints help for the group and each command', async () => {
    for (const path of [['silence'], ['silence', 'add'], ['silence', 'ls'], ['silence', 'expire']]) {
      const res = await vigilCli([...path, '--help']);
      expect(res.code, path.join(' ')).toBe(0);
      expect(res.stdout).toMatch(new RegExp(`^Usage: vigil ${path.join(' ')}`));
    }
    expect((await vigilCli(['silence', 'add', '--help'])).stdout).toContain('http://127.0.0.1:9470');
  });

  it('add posts a silence and prints its id; a first matcher without an operator is the alertname', async () => {
    const res = await vigilCli(['silence', 'add', url(), '-a', 'alice', '-c', 'disk swap', '-d', '2h', 'DiskFull', 'instance=~"db[0-9]+"', 'env!=dev']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const id = res.stdout.trim();
    expect(id).toMatch(UUID);
    const s = vigil.silences.get(id)!;
    expect(s.matchers.map((m) => m.toString())).toEqual(['alertname="DiskFull"', 'instance=~"db[0-9]+"', 'env!="dev"']);
    expect(s).toMatchObject({ createdBy: 'alice', comment: 'disk swap' });
    expect(s.endsAt - s.startsAt).toBeGreaterThan(2 * HOUR - 1000);
    expect(s.endsAt - s.startsAt).toBeLessThanOrEqual(2 * HOUR);
  });

  it('add takes --start and --end as RFC 3339 times', async () => {
    const start = new Date(Math.ceil(Date.now() / 1000) * 1000 + HOUR);
    const end = new Date(start.getTime() + 30 * 60_000);
    const res = await vigilCli(['silence', 'add', url(), '-c', 'later', `--start=${start.toISOString()}`, `--end=${end.toISOString()}`, 'job=batch']);
    expect(res.code).toBe(0);
    expect(vigil.silences.get(res.stdout.trim())).toMatchObject({ startsAt: start.getTime(), endsAt: end.getTime() });
  });

  it('exits 2 on a wrong command line, before calling the API', async () => {
    const cases: [string[], RegExp][] = [
      [['silence', 'add', '-c', 'x'], /no matchers specified/],
      [['silence', 'add', 'a=b'], /--comment is required/],
      [['silence', 'add', '-c', 'x', 'a=~"("'], /matcher "a=~\\"\(\\"": invalid regular expression/],
      [['silence', 'add', '-c', 'x', '{a="b"}'], /bad matcher format/],
      [['silence', 'add', '-c', 'x', '-d', '2 hours', 'a=b'], /--duration/],
      [['silence', 'add', '-c', 'x', '-d', '0s', 'a=b'], /silence duration must be greater than 0/],
      [['silence', 'add', '-c', 'x', '--start=2030-01-02T00:00:00Z', '--end=2030-01-01T00:00:00Z', 'a=b'], /silence cannot start after it ends/],
      [['silence', 'add', '-c', 'x', '--start=tomorrow', 'a=b'], /--start: "tomorrow" is not an RFC 3339 time/],
      [['silence', 'add', '-c', 'x', '--alertmanager.url=ftp://x', 'a=b'], /not an http\(s\) URL/],
      [['silence', 'ls', 'bad matcher'], /bad matcher format/],
      [['silence', 'expire'], /no silence IDs specified/],
      [['silence', 'frobnicate'], /unknown command/],
    ];
    for (const [args, message] of cases) {
      const res = await vigilCli(args.some((a) => a.startsWith('--alertmanager.url')) ? args : [...args, url()]);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('exits 1 with the API message when the API refuses or cannot be reached', async () => {
    const refused = await vigilCli(['silence', 'add', url(), '-c', 'x', 'a=""']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('vigil silence add: POST /api/v2/silences: 400: silence invalid: at least one matcher must not match the empty string\n');
    const port = await freePort();
    const down = await vigilCli(['silence', 'ls', `--alertmanager.url=http://127.0.0.1:${port}`]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach the API: ECONNREFUSED/);
  });

  it('ls prints the table amtool silence query prints for the same server', async () => {
    await vigilCli(['silence', 'add', url(), '-a', 'bob', '-c', 'quiet night', '--end=2099-01-01T00:00:00Z', 'alertname=Noise', 'team=~"ml|data"']);
    const ours = await vigilCli(['silence', 'ls', url()]);
    expect(ours.code).toBe(0);
    const theirs = await amtool(['silence', 'query', url()]);
    const trimmed = (t: string) => t.split('\n').map((l) => l.trimEnd()).join('\n');
    expect(ours.stdout).toBe(trimmed(theirs));
    expect(ours.stdout).toMatch(/alertname="Noise" team=~"ml\|data"\s+2099-01-01 00:00:00 UTC\s+bob\s+quiet night\n/);
    // Filters, --json and --quiet against amtool's -o json and -q.
    const json = await vigilCli(['silence', 'ls', '--json', url(), 'alertname=Noise']);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(await amtool(['silence', 'query', '-o', 'json', url(), 'alertname=Noise'])));
    expect(JSON.parse(json.stdout)).toHaveLength(1);
    const quiet = await vigilCli(['silence', 'ls', '-q', url()]);
    expect(quiet.stdout).toBe(await amtool(['silence', 'query', '-q', url()]));
  });

  it('expire expires each id; ls --expired then lists them; a failed id exits 1 and the others still expire', async () => {
    const ids = await Promise.all(['one', 'two'].map(async (n) => (await vigilCli(['silence', 'add', url(), '-c', 'x', `job=${n}`])).stdout.trim()));
    const unknown = '00000000-0000-4000-8000-000000000000';
    const res = await vigilCli(['silence', 'expire', url(), ids[0]!, unknown, ids[1]!]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(`vigil silence expire: DELETE /api/v2/silence/${unknown}: 404: no silence has this id\n`);
    await vigil.clock.advance(1); // past the expired silences' endsAt (bounds are inclusive)
    const expired = await vigilCli(['silence', 'ls', '--expired', '-q', url()]);
    expect(expired.stdout.trim().split('\n').sort()).toEqual([...ids].sort());
    const active = await vigilCli(['silence', 'ls', '-q', url()]);
    for (const id of ids) expect(active.stdout).not.toContain(id);
    expect((await vigilCli(['silence', 'expire', url(), ids[0]!])).code).toBe(0); // already expired: nothing to do
  });
});

describe('vigil silence with a bearer token', () => {
  let vigil: Served;
  const saved = process.env['VIGIL_TOKEN'];
  beforeAll(async () => (vigil = await serveVigil(() => 'tok-123')));
  afterAll(() => vigil.close());
  afterEach(() => {
    if (saved === undefined) delete process.env['VIGIL_TOKEN'];
    else process.env['VIGIL_TOKEN'] = saved;
  });
  const url = () => `--alertmanager.url=${vigil.url}`;

  it('sends the token from --token-file or VIGIL_TOKEN, and never prints it', async () => {
    delete process.env['VIGIL_TOKEN'];
    const without = await vigilCli(['silence', 'add', url(), '-c', 'x', 'a=b']);
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/401: unauthorized.*\(give a token with --token-file or VIGIL_TOKEN\)/);

    const file = join(dir, 'token');
    writeFileSync(file, 'tok-123\n');
    const viaFile = await vigilCli(['silence', 'add', url(), '--token-file', file, '-c', 'x', 'a=b']);
    expect(viaFile.code).toBe(0);

    process.env['VIGIL_TOKEN'] = 'tok-123';
    const id = (await vigilCli(['silence', 'add', url(), '-c', 'x', 'a=c'])).stdout.trim();
    expect(id).toMatch(UUID);
    expect((await vigilCli(['silence', 'expire', url(), id])).code).toBe(0);

    process.env['VIGIL_TOKEN'] = 'wrong';
    const wrong = await vigilCli(['silence', 'expire', url(), id]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr + wrong.stdout).not.toMatch(/tok-123|wrong/);

    const missing = await vigilCli(['silence', 'ls', url(), '--token-file', join(dir, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read secret file .*nope: ENOENT/);
  });
});
