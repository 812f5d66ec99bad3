import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteClient, RemoteError, type RemoteStoreConfig } from '../../../promql/remote/index.js';
import { VirtualClock } from '../../../util/clock.js';
import { WebhookSink } from '../../support/webhook-sink.js';

// The remote store client against a loopback HTTP server that records requests and answers as
// scripted: credentials, headers, retries, Retry-After and timeouts, on a virtual clock.

let sink: WebhookSink | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await sink?.close();
  sink = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function config(over: Partial<RemoteStoreConfig> = {}): RemoteStoreConfig {
  // A long attempt timeout: settle() moves the clock while requests are on the wire, so a short one
  // could expire under a slow loopback; the timeout test sets its own.
  return { url: sink!.url.replace(/\/hook$/, ''), writeURL: undefined, timeoutMs: 600_000, retries: 2, bearerToken: undefined, basicAuth: undefined, headers: {}, ...over };
}

/**
 * settle advances the virtual clock a second at a time, letting loopback I/O happen, until `p`
 * settles; once the sink has received `requests` requests it stops moving the clock (the last
 * answer needs none), so no attempt under way can time out for want of real time.
 */
async function settle<T>(clock: VirtualClock, p: Promise<T>, requests: number): Promise<T> {
  let done = false;
  const watched = p.finally(() => (done = true));
  watched.catch(() => {});
  for (let i = 0; i < 2000 && !done && sink!.requests.length < requests; i++) {
    await new Promise((r) => setTimeout(r, 5));
    await clock.advance(1_000);
  }
  return watched;
}

describe('RemoteClient', () => {
  it('sends the bearer token read from a file, the configured headers and its user agent', async () => {
    sink = await WebhookSink.start();
    const dir = mkdtempSync(join(tmpdir(), 'vigil-remote-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'token'), 's3cret-token\n');
    const client = new RemoteClient({
      config: config({ bearerToken: { file: join(dir, 'token') }, headers: { 'X-Scope-OrgID': 'team-a' } }),
      clock: new VirtualClock(0),
      userAgent: 'vigil/test',
    });
    const res = await client.do({ url: client.api('/api/v1/query'), method: 'GET' });
    expect(res.status).toBe(200);
    const [req] = sink.requests;
    expect(req!.path).toBe('/api/v1/query');
    expect(req!.headers['authorization']).toBe('Bearer s3cret-token');
    expect(req!.headers['x-scope-orgid']).toBe('team-a');
    expect(req!.headers['user-agent']).toBe('vigil/test');
  });

  it('sends basic auth with the password from an environment variable', async () => {
    sink = await WebhookSink.start();
    const client = new RemoteClient({
      config: config({ basicAuth: { username: 'vigil', password: { env: 'PROM_PASSWORD' } } }),
      clock: new VirtualClock(0),
      env: { PROM_PASSWORD: 'pa:ss' },
    });
    await client.do({ url: client.api('api/v1/query'), method: 'GET' });
    expect(sink.requests[0]!.headers['authorization']).toBe(`Basic ${Buffer.from('vigil:pa:ss').toString('base64')}`);
  });

  it('retries a 503 and a 429 and returns the success that follows', async () => {
    sink = await WebhookSink.start();
    sink.replyNext({ status: 503 });
    sink.replyNext({ status: 429, headers: { 'Retry-After': '2' } });
    sink.replyNext({ status: 200, body: 'ok' });
    const clock = new VirtualClock(0);
    const client = new RemoteClient({ config: config(), clock });
    const res = await settle(clock, client.do({ url: client.api('api/v1/query'), method: 'GET' }), 3);
    expect(res.body).toBe('ok');
    expect(sink.requests).toHaveLength(3);
  });

  it('returns the last 5xx once the configured retries are spent', async () => {
    sink = await WebhookSink.start();
    for (let i = 0; i < 3; i++) sink.replyNext({ status: 502, body: `attempt ${i + 1}` });
    const clock = new VirtualClock(0);
    const client = new RemoteClient({ config: config({ retries: 1 }), clock });
    const res = await settle(clock, client.do({ url: client.api('api/v1/query'), method: 'GET' }), 2);
    expect(res.status).toBe(502);
    expect(res.body).toBe('attempt 2');
    expect(sink.requests).toHaveLength(2);
  });

  it('does not retry a 400: the request is at fault', async () => {
    sink = await WebhookSink.start();
    sink.replyNext({ status: 400, body: '{"status":"error","errorType":"bad_data","error":"parse error"}' });
    const client = new RemoteClient({ config: config(), clock: new VirtualClock(0) });
    const res = await client.do({ url: client.api('api/v1/query'), method: 'GET' });
    expect(res.status).toBe(400);
    expect(sink.requests).toHaveLength(1);
  });

  it('times out an attempt that gets no answer, on the clock, and retries it', async () => {
    sink = await WebhookSink.start();
    sink.replyNext('stall');
    sink.replyNext({ status: 200, body: 'second' });
    const clock = new VirtualClock(0);
    const client = new RemoteClient({ config: config({ timeoutMs: 3_000, retries: 1 }), clock });
    const res = await settle(clock, client.do({ url: client.api('api/v1/query'), method: 'GET' }), 2);
    expect(res.body).toBe('second');
    expect(sink.requests).toHaveLength(2);
  });

  it('reports a store that is down as unreachable, naming the endpoint without credentials', async () => {
    sink = await WebhookSink.start();
    const url = config().url;
    await sink.close();
    const clock = new VirtualClock(0);
    const client = new RemoteClient({ config: config({ url, retries: 0, bearerToken: { env: 'T' } }), clock, env: { T: 'tok-value' } });
    const err = (await client.do({ url: client.api('api/v1/query?query=up'), method: 'GET' }).catch((e: unknown) => e)) as RemoteError;
    sink = undefined;
    expect(err.code).toBe('unreachable');
    expect(err.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query: ECONNREFUSED$/);
    expect(err.message).not.toContain('tok-value');
  });

  it('fails without sending when the token file is missing, and the error names the file only', async () => {
    sink = await WebhookSink.start();
    const client = new RemoteClient({ config: config({ bearerToken: { file: '/nonexistent/vigil-token' } }), clock: new VirtualClock(0) });
    await expect(client.do({ url: client.api('api/v1/query'), method: 'GET' })).rejects.toThrow('cannot read secret file /nonexistent/vigil-token: ENOENT');
    expect(sink.requests).toHaveLength(0);
  });
});
