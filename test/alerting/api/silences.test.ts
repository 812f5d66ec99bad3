import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SilencesAPIOptions, silenceRoutes, silencesAPI } from '../../../alerting/api/silences.js';
import { Silences } from '../../../alerting/silence/silences.js';
import { HttpServer } from '../../../cli/server.js';
import { VirtualClock } from '../../../util/clock.js';
import { startAlertmanager, type AlertmanagerServer } from '../../support/alertmanager.js';

const HOUR = 3600_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Served {
  readonly url: string;
  readonly clock: VirtualClock;
  readonly silences: Silences;
  close(): Promise<void>;
}

/**
 * serveVigil serves vigil's silence routes on 127.0.0.1:0. Its virtual clock starts at the wall
 * clock's now, so that amtool and Alertmanager, which use real time, see the same present.
 */
async function serveVigil(opts: { token?: () => string; maxBodyBytes?: number } = {}): Promise<Served> {
  const clock = new VirtualClock(Date.now());
  const db = new Database(':memory:');
  const silences = new Silences({ db, clock });
  const server = new HttpServer();
  const apiOpts: SilencesAPIOptions = { silences, clock, ...(opts.maxBodyBytes === undefined ? {} : { maxBodyBytes: opts.maxBodyBytes }) };
  for (const r of silenceRoutes(silencesAPI(apiOpts), opts.token)) {
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

interface Reply {
  readonly status: number;
  readonly type: string | null;
  readonly text: string;
}

async function send(base: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  const init: RequestInit = { method, headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers } };
  if (body !== undefined) init.body = body;
  const res = await fetch(base + path, init);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

const iso = (ms: number) => new Date(ms).toISOString();

function silenceBody(o: Record<string, unknown> = {}): string {
  const now = Date.now();
  return JSON.stringify({
    matchers: [
      { name: 'alertname', value: 'DiskFull', isRegex: false },
      { name: 'instance', value: 'db[0-9]+', isRegex: true },
    ],
    startsAt: iso(now),
    endsAt: iso(now + HOUR),
    createdBy: 'alice',
    comment: 'disk swap',
    ...o,
  });
}

describe("vigil's Alertmanager v2 silences API", () => {
  let vigil: Served;
  beforeAll(async () => (vigil = await serveVigil({ maxBodyBytes: 4096 })));
  afterAll(() => vigil.close());

  it('creates a silence, serves it by id and in the list, as gettableSilence JSON', async () => {
    const start = vigil.clock.now() + HOUR;
    const posted = await send(vigil.url, 'POST', '/api/v2/silences', silenceBody({ startsAt: iso(start), endsAt: iso(start + HOUR) }));
    expect(posted.status).toBe(200);
    expect(posted.type).toBe('application/json');
    const { silenceID } = JSON.parse(posted.text) as { silenceID: string };
    expect(silenceID).toMatch(UUID);

    const one = await send(vigil.url, 'GET', `/api/v2/silence/${silenceID}`);
    expect(one.status).toBe(200);
    expect(one.text).toBe(
      `{"id":"${silenceID}","status":{"state":"pending"},"updatedAt":"${iso(vigil.clock.now())}","comment":"disk swap","createdBy":"alice",` +
        `"endsAt":"${iso(start + HOUR)}","matchers":[{"isEqual":true,"isRegex":false,"name":"alertname","value":"DiskFull"},` +
        `{"isEqual":true,"isRegex":true,"name":"instance","value":"db[0-9]+"}],"startsAt":"${iso(start)}"}\n`,
    );
    const list = await send(vigil.url, 'GET', '/api/v2/silences');
    expect(list.status).toBe(200);
    expect((JSON.parse(list.text) as { id: string }[]).map((s) => s.id)).toContain(silenceID);
  });

  it('filters the list by exact matchers and refuses a filter that is not a matcher', async () => {
    const id = JSON.parse((await send(vigil.url, 'POST', '/api/v2/silences', silenceBody({ matchers: [{ name: 'team', value: 'ml', isRegex: false }] }))).text).silenceID;
    const hit = await send(vigil.url, 'GET', `/api/v2/silences?filter=${encodeURIComponent('team="ml"')}`);
    expect((JSON.parse(hit.text) as { id: string }[]).map((s) => s.id)).toEqual([id]);
    const miss = await send(vigil.url, 'GET', `/api/v2/silences?filter=team%3Dml&filter=${encodeURIComponent('env="x"')}`);
    expect(JSON.parse(miss.text)).toEqual([]);
    const bad = await send(vigil.url, 'GET', `/api/v2/silences?filter=${encodeURIComponent('{a="x"}')}`);
    expect([bad.status, bad.text]).toEqual([400, '"bad matcher format: {a=\\"x\\"}"\n']);
  });

  it('updates in place, replaces on a matcher change, and 404s an unknown id', async () => {
    const now = vigil.clock.now();
    const body = (o: Record<string, unknown>) => silenceBody({ matchers: [{ name: 'job', value: 'batch', isRegex: false }], startsAt: iso(now), ...o });
    const id = JSON.parse((await send(vigil.url, 'POST', '/api/v2/silences', body({}))).text).silenceID;
    const same = await send(vigil.url, 'POST', '/api/v2/silences', body({ id, endsAt: iso(now + 2 * HOUR), comment: 'longer' }));
    expect(JSON.parse(same.text)).toEqual({ silenceID: id });
    expect(vigil.silences.get(id)).toMatchObject({ endsAt: now + 2 * HOUR, comment: 'longer' });
    const other = await send(vigil.url, 'POST', '/api/v2/silences', body({ id, matchers: [{ name: 'job', value: 'etl', isRegex: false }] }));
    const next = JSON.parse(other.text).silenceID;
    expect(next).not.toBe(id);
    expect(vigil.silences.get(id)!.endsAt).toBe(now);
    const unknown = await send(vigil.url, 'POST', '/api/v2/silences', body({ id: '00000000-0000-4000-8000-000000000000' }));
    expect([unknown.status, JSON.parse(unknown.text)]).toEqual([404, 'silence not found']);
  });

  it('expires with DELETE: 200 and an empty body, 404 for an unknown id, 422 for a non-UUID', async () => {
    const id = JSON.parse((await send(vigil.url, 'POST', '/api/v2/silences', silenceBody())).text).silenceID;
    const del = await send(vigil.url, 'DELETE', `/api/v2/silence/${id}`);
    expect([del.status, del.text, del.type]).toEqual([200, '', null]);
    await vigil.clock.advance(1);
    expect(JSON.parse((await send(vigil.url, 'GET', `/api/v2/silence/${id}`)).text).status).toEqual({ state: 'expired' });
    expect((await send(vigil.url, 'DELETE', `/api/v2/silence/${id}`)).status).toBe(200); // already expired: no change
    const unknown = await send(vigil.url, 'DELETE', '/api/v2/silence/00000000-0000-4000-8000-000000000000');
    expect([unknown.status, unknown.text]).toEqual([404, '']);
    const getUnknown = await send(vigil.url, 'GET', '/api/v2/silence/00000000-0000-4000-8000-000000000000');
    expect([getUnknown.status, getUnknown.text]).toEqual([404, '']);
    const notUUID = await send(vigil.url, 'GET', '/api/v2/silence/nope');
    expect([notUUID.status, JSON.parse(notUUID.text)]).toEqual([422, { code: 601, message: 'silenceID in path must be of type uuid: "nope"' }]);
    expect((await send(vigil.url, 'GET', `/api/v2/silence/${id}/x`)).status).toBe(404);
    expect((await send(vigil.url, 'PUT', `/api/v2/silence/${id}`)).status).toBe(405);
  });

  it('refuses bad bodies with the status Alertmanager uses and a message saying what is wrong', async () => {
    const now = vigil.clock.now();
    const cases: [string, number, RegExp][] = [
      ['{bad', 400, /parsing silence body failed/],
      [silenceBody({ comment: 5 }), 400, /comment of type string/],
      [silenceBody({ startsAt: 'soon' }), 400, /startsAt: "soon" is not an RFC 3339 time/],
      ['', 422, /silence in body is required/],
      [silenceBody({ createdBy: undefined }), 422, /createdBy in body is required/],
      [silenceBody({ matchers: [] }), 422, /matchers in body should have at least 1 items/],
      [silenceBody({ matchers: [{ name: 'a', value: '', isRegex: false }] }), 400, /at least one matcher must not match the empty string/],
      [silenceBody({ matchers: [{ name: 'a', value: '(', isRegex: true }] }), 400, /invalid label matcher 0: invalid regular expression "\("/],
      [silenceBody({ matchers: [{ name: 'a-b', value: 'x', isRegex: false }] }), 400, /invalid label name "a-b"/],
      [silenceBody({ startsAt: iso(now + HOUR), endsAt: iso(now) }), 400, /start time must be before end time/],
      [silenceBody({ startsAt: iso(now - 2 * HOUR), endsAt: iso(now - HOUR) }), 400, /end time can't be in the past/],
    ];
    for (const [body, status, message] of cases) {
      const r = await send(vigil.url, 'POST', '/api/v2/silences', body);
      expect(r.status, body).toBe(status);
      expect(r.type, body).toBe('application/json');
      const v = JSON.parse(r.text) as string | { code: number; message: string };
      expect(typeof v === 'string' ? v : v.message, body).toMatch(message);
    }
  });

  it('answers 415 to a body that is not JSON and 413 past the body limit', async () => {
    const plain = await send(vigil.url, 'POST', '/api/v2/silences', silenceBody(), { 'Content-Type': 'text/plain' });
    expect(plain.status).toBe(415);
    const big = await send(vigil.url, 'POST', '/api/v2/silences', silenceBody({ comment: 'x'.repeat(5000) }));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.text)).toEqual({ code: 413, message: 'request body is larger than 4096 bytes' });
    // The server keeps answering after refusing a large body.
    expect((await send(vigil.url, 'GET', '/api/v2/silences')).status).toBe(200);
  });
});

describe('the bearer token on write routes', () => {
  let vigil: Served;
  let token: string | undefined = 's3cret-token';
  beforeAll(async () => {
    vigil = await serveVigil({
      token: () => {
        if (token === undefined) throw new Error('cannot read /run/secrets/token');
        return token;
      },
    });
  });
  afterAll(() => vigil.close());

  it('requires Authorization: Bearer <token> on POST and DELETE, not on GET, and never echoes it', async () => {
    const none = await send(vigil.url, 'POST', '/api/v2/silences', silenceBody());
    expect(none.status).toBe(401);
    const wrong = await send(vigil.url, 'POST', '/api/v2/silences', silenceBody(), { Authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('s3cret');
    const ok = await send(vigil.url, 'POST', '/api/v2/silences', silenceBody(), { Authorization: 'Bearer s3cret-token' });
    expect(ok.status).toBe(200);
    const id = JSON.parse(ok.text).silenceID;
    expect((await send(vigil.url, 'GET', '/api/v2/silences')).status).toBe(200);
    expect((await send(vigil.url, 'DELETE', `/api/v2/silence/${id}`)).status).toBe(401);
    expect((await send(vigil.url, 'DELETE', `/api/v2/silence/${id}`, undefined, { Authorization: 'bearer s3cret-token' })).status).toBe(200);
  });

  it('reads the token per request: a rotated token applies at once, an unreadable one fails closed', async () => {
    token = 'rotated';
    expect((await send(vigil.url, 'POST', '/api/v2/silences', silenceBody(), { Authorization: 'Bearer s3cret-token' })).status).toBe(401);
    expect((await send(vigil.url, 'POST', '/api/v2/silences', silenceBody(), { Authorization: 'Bearer rotated' })).status).toBe(200);
    token = undefined;
    const failed = await send(vigil.url, 'POST', '/api/v2/silences', silenceBody(), { Authorization: 'Bearer rotated' });
    expect(failed.status).toBe(500);
    expect(failed.text).not.toContain('/run/secrets');
  });
});

/** normalize replaces silence ids (numbered by first appearance) and updatedAt, which differ between servers. */
function normalize(text: string): string {
  const ids = new Map<string, string>();
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
      if (!ids.has(id)) ids.set(id, `<id${ids.size}>`);
      return ids.get(id)!;
    })
    .replace(/"updatedAt":"[^"]*"/g, '"updatedAt":"<t>"');
}

const amtool = promisify(execFile);

async function runAmtool(url: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await amtool('amtool', [`--alertmanager.url=${url}`, ...args], { timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('differential: vigil against Alertmanager 0.25 (Debian prometheus-alertmanager, amtool 0.25)', () => {
  let am: AlertmanagerServer;
  let vigil: Served;
  // One at a time, each assigned as soon as it runs, so afterAll stops whatever did start.
  beforeAll(async () => {
    am = await startAlertmanager();
    vigil = await serveVigil();
  });
  afterAll(async () => {
    await am?.stop();
    await vigil?.close();
  });

  /** both sends one request to each server and returns [Alertmanager's, vigil's] replies. */
  const both = (method: string, path: string, body?: string, headers?: Record<string, string>) =>
    Promise.all([send(am.url, method, path, body, headers), send(vigil.url, method, path, body, headers)]);

  it('answers refused requests with the same status codes (and the same body where the text is Alertmanager-defined)', async () => {
    const now = Date.now();
    const cases: { body?: string; path?: string; method?: string; headers?: Record<string, string>; sameBody: boolean }[] = [
      { body: '{bad', sameBody: false },
      { body: '[]', sameBody: false },
      { body: silenceBody({ createdBy: 5 }), sameBody: false },
      { body: silenceBody({ matchers: [{ name: 'a', value: 'b', isRegex: 'yes' }] }), sameBody: false },
      { body: silenceBody({ startsAt: 'nowish' }), sameBody: false },
      { body: '', sameBody: true },
      { body: '{}', sameBody: true },
      { body: 'null', sameBody: true },
      { body: silenceBody({ comment: undefined }), sameBody: true },
      { body: silenceBody({ createdBy: null }), sameBody: true },
      { body: silenceBody({ endsAt: undefined }), sameBody: true },
      { body: silenceBody({ startsAt: undefined }), sameBody: true },
      { body: silenceBody({ matchers: [] }), sameBody: true },
      { body: silenceBody({ matchers: [{ name: 'a', value: 'b' }] }), sameBody: true },
      { body: silenceBody({ matchers: [{ isRegex: false, value: 'b' }] }), sameBody: true },
      { body: silenceBody({ matchers: [{ isRegex: false, name: 'b' }] }), sameBody: true },
      { body: silenceBody({ matchers: [{ name: 'a', value: '', isRegex: false }] }), sameBody: true },
      { body: silenceBody({ matchers: [{ name: 'a', value: '.*', isRegex: true }, { name: 'b', value: '', isRegex: false }] }), sameBody: true },
      { body: silenceBody({ matchers: [{ name: 'a-b', value: 'x', isRegex: false }] }), sameBody: true },
      { body: silenceBody({ matchers: [{ name: 'a:b', value: 'x', isRegex: false }] }), sameBody: true },
      { body: silenceBody({ matchers: [{ name: 'a', value: '(', isRegex: true }] }), sameBody: false },
      { body: silenceBody({ startsAt: iso(now + HOUR), endsAt: iso(now) }), sameBody: true },
      { body: silenceBody({ startsAt: iso(now + HOUR), endsAt: iso(now + HOUR) }), sameBody: true },
      { body: silenceBody({ startsAt: iso(now - 2 * HOUR), endsAt: iso(now - HOUR) }), sameBody: true },
      { body: silenceBody({ id: '00000000-0000-4000-8000-000000000000' }), sameBody: true },
      { body: silenceBody(), headers: { 'Content-Type': 'text/plain' }, sameBody: true },
      { method: 'GET', path: '/api/v2/silences?filter=bad%20matcher', sameBody: true },
      { method: 'GET', path: `/api/v2/silences?filter=${encodeURIComponent('{a="x"}')}`, sameBody: true },
      { method: 'GET', path: '/api/v2/silence/nope', sameBody: true },
      { method: 'DELETE', path: '/api/v2/silence/nope', sameBody: true },
      { method: 'GET', path: '/api/v2/silence/00000000-0000-4000-8000-000000000000', sameBody: true },
    ];
    for (const c of cases) {
      const label = `${c.method ?? 'POST'} ${c.path ?? '/api/v2/silences'} ${c.body ?? ''}`;
      const [a, v] = await both(c.method ?? 'POST', c.path ?? '/api/v2/silences', c.body, c.headers);
      expect(v.status, label).toBe(a.status);
      if (c.sameBody) expect(v.text, label).toBe(a.text);
    }
  });

  it('creates, updates, replaces and expires silences with the same outcome', async () => {
    const start = Math.ceil(Date.now() / 1000) * 1000 + HOUR; // pending: neither server moves startsAt
    const body = (o: Record<string, unknown>) => silenceBody({ startsAt: iso(start), endsAt: iso(start + HOUR), ...o });
    const ids = async (replies: Reply[]) => replies.map((r) => (JSON.parse(r.text) as { silenceID: string }).silenceID);
    const getBoth = async ([amID, vigilID]: string[]) =>
      Promise.all([send(am.url, 'GET', `/api/v2/silence/${amID}`), send(vigil.url, 'GET', `/api/v2/silence/${vigilID}`)]);

    const created = await ids(await both('POST', '/api/v2/silences', body({})));
    let [a, v] = await getBoth(created);
    expect(normalize(v.text)).toBe(normalize(a.text));

    // Same matchers, a later end: updated in place on both.
    const updated = await Promise.all([
      send(am.url, 'POST', '/api/v2/silences', body({ id: created[0], endsAt: iso(start + 2 * HOUR), comment: 'longer' })),
      send(vigil.url, 'POST', '/api/v2/silences', body({ id: created[1], endsAt: iso(start + 2 * HOUR), comment: 'longer' })),
    ]);
    expect(await ids(updated)).toEqual(created);
    [a, v] = await getBoth(created);
    expect(normalize(v.text)).toBe(normalize(a.text));

    // New matchers: a new silence on both, and the pending original expired.
    const replaced = await ids(
      await Promise.all([
        send(am.url, 'POST', '/api/v2/silences', body({ id: created[0], matchers: [{ name: 'job', value: 'etl', isRegex: false }] })),
        send(vigil.url, 'POST', '/api/v2/silences', body({ id: created[1], matchers: [{ name: 'job', value: 'etl', isRegex: false }] })),
      ]),
    );
    expect(replaced[0]).not.toBe(created[0]);
    expect(replaced[1]).not.toBe(created[1]);
    await vigil.clock.advance(1); // Alertmanager's clock has moved on too: the expired one is past its end
    [a, v] = await getBoth(created);
    expect(JSON.parse(v.text).status).toEqual(JSON.parse(a.text).status);
    expect(JSON.parse(a.text).status).toEqual({ state: 'expired' });

    // Posting the id of an expired silence makes a new one and leaves the expired one alone.
    const again = await ids(
      await Promise.all([send(am.url, 'POST', '/api/v2/silences', body({ id: created[0] })), send(vigil.url, 'POST', '/api/v2/silences', body({ id: created[1] }))]),
    );
    expect(again[0]).not.toBe(created[0]);
    expect(again[1]).not.toBe(created[1]);

    const deleted = await Promise.all([send(am.url, 'DELETE', `/api/v2/silence/${replaced[0]}`), send(vigil.url, 'DELETE', `/api/v2/silence/${replaced[1]}`)]);
    expect(deleted.map((r) => [r.status, r.text])).toEqual([
      [200, ''],
      [200, ''],
    ]);
    await vigil.clock.advance(1);
    [a, v] = await getBoth(replaced);
    expect(JSON.parse(v.text).status).toEqual({ state: 'expired' });
    expect(JSON.parse(a.text).status).toEqual({ state: 'expired' });
  });

  it('amtool silence add, query -o json and expire give the same results on both servers', async () => {
    const start = Math.ceil(Date.now() / 1000) * 1000 + 2 * HOUR;
    const add = ['silence', 'add', '-a', 'alice', '-c', 'disk swap', `--start=${iso(start).replace('.000Z', 'Z')}`, `--end=${iso(start + HOUR).replace('.000Z', 'Z')}`];
    const results = await Promise.all(
      [am.url, vigil.url].map(async (url) => {
        const first = await runAmtool(url, [...add, 'DiskFull', 'instance=~"db[0-9]+"', 'env!=dev']);
        const second = await runAmtool(url, [...add, 'alertname=CPU', 'team=ml']);
        const query = await runAmtool(url, ['silence', 'query', '-o', 'json', 'env!=dev']);
        const expire = await runAmtool(url, ['silence', 'expire', second.stdout.trim()]);
        // Alertmanager's clock moves on; vigil's virtual one must be moved past the expired endsAt.
        if (url === vigil.url) await vigil.clock.advance(1);
        const quiet = await runAmtool(url, ['silence', 'query', '-q', 'team=ml']);
        const expired = await runAmtool(url, ['silence', 'query', '-q', '--expired', 'team=ml']);
        const missing = await runAmtool(url, ['silence', 'add', '-c', 'x', 'a=""']);
        return { first, second, query, expire, quiet, expired, missing };
      }),
    );
    const [onAM, onVigil] = results as [(typeof results)[0], (typeof results)[0]];
    for (const r of [onAM, onVigil]) {
      expect(r.first.code, r.first.stderr).toBe(0);
      expect(r.first.stdout.trim()).toMatch(UUID);
      expect(r.expire.code, r.expire.stderr).toBe(0);
      expect(r.quiet.stdout).toBe(''); // the expired one is gone from the list
      expect(r.expired.stdout.trim()).toBe(r.second.stdout.trim());
      expect(r.missing.code).toBe(1);
    }
    expect(normalize(onVigil.query.stdout)).toBe(normalize(onAM.query.stdout));
    expect(JSON.parse(onVigil.query.stdout)[0].matchers).toEqual([
      { isEqual: true, isRegex: false, name: 'alertname', value: 'DiskFull' },
      { isEqual: true, isRegex: true, name: 'instance', value: 'db[0-9]+' },
      { isEqual: false, isRegex: false, name: 'env', value: 'dev' },
    ]);
    expect(onVigil.missing.stderr).toBe(onAM.missing.stderr);
  });
});
