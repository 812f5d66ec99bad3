import { ErrorCode, WebClient, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../util/clock.js';
import { startSlackFake, type SlackFake } from '../../../support/slack-fake.js';

// The Slack Web API fake (test/support/slack-fake.ts) that the receiver's and the lead's
// end-to-end tests rely on: its wire format and limits, checked with raw HTTP and with the real
// @slack/web-api 8 client.

const T0 = Date.UTC(2024, 4, 1, 12, 0);
let clock: VirtualClock;
let fake: SlackFake;

beforeEach(async () => {
  clock = new VirtualClock(T0);
  fake = await startSlackFake({ now: () => clock.now(), channels: ['alerts', 'ml-oncall'] });
});

afterEach(async () => {
  await fake.close();
});

const client = (token = fake.token) => new WebClient(token, { slackApiUrl: fake.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });

/** call posts a form the way the client does (token null: no Authorization header) and returns the HTTP status, headers and JSON body. */
async function call(method: string, form: Record<string, unknown>, token: string | null = fake.token) {
  const body = new URLSearchParams(Object.entries(form).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const res = await fetch(fake.url + method, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(token === null ? {} : { Authorization: `Bearer ${token}` }) },
    body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text) as Record<string, unknown> };
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('slack fake', () => {
  it('serves at http://127.0.0.1:PORT/api/ and checks the bearer token', async () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    expect(await client().auth.test()).toMatchObject({ ok: true, team_id: 'T0VIGIL001', bot_id: 'B0VIGIL001' });
    expect((await call('auth.test', {}, null)).body).toEqual({ ok: false, error: 'not_authed' });
    expect((await call('auth.test', {}, 'xoxb-wrong')).body).toEqual({ ok: false, error: 'invalid_auth' });
    const err = (await client('xoxb-wrong').auth.test().catch((e: unknown) => e)) as WebAPIPlatformError;
    expect(err.code).toBe(ErrorCode.PlatformError);
    expect(err.data.error).toBe('invalid_auth');
    fake.setToken('xoxb-rotated');
    expect((await call('auth.test', {}, 'xoxb-rotated')).body).toMatchObject({ ok: true });
  });

  it('posts by channel name or id and answers with the channel id, the ts and the message', async () => {
    const r1 = await client().chat.postMessage({ channel: '#alerts', text: 'one', blocks: [section('*one*')] });
    const r2 = await client().chat.postMessage({ channel: 'alerts', text: 'two' });
    const r3 = await client().chat.postMessage({ channel: fake.channelId('alerts'), text: 'three' });
    expect(r1).toMatchObject({ ok: true, channel: fake.channelId('alerts'), message: { type: 'message', subtype: 'bot_message', text: 'one', ts: r1.ts, bot_id: 'B0VIGIL001', blocks: [section('*one*')] } });
    expect([r1.channel, r2.channel, r3.channel]).toEqual([fake.channelId('alerts'), fake.channelId('alerts'), fake.channelId('alerts')]);
    expect(fake.channelId('alerts')).toMatch(/^C[0-9A-Z]{9}$/);
    expect(fake.channelId('alerts')).not.toBe(fake.channelId('#ml-oncall'));
    // ts: "<unix seconds>.<6 digits>", increasing within a second.
    expect([r1.ts, r2.ts, r3.ts]).toEqual(['1714564800.000001', '1714564800.000002', '1714564800.000003']);
    expect(fake.messages('#alerts').map((m) => m.text)).toEqual(['one', 'two', 'three']);
    // blocks travel as a JSON string inside the form, as the client sends them.
    expect(fake.requests[0]!.form['blocks']).toBe(JSON.stringify([section('*one*')]));
    expect(fake.requests[0]!.contentType).toBe('application/x-www-form-urlencoded');
    expect((await call('chat.postMessage', { channel: '#nope', text: 'x' })).body).toEqual({ ok: false, error: 'channel_not_found' });
  });

  it('updates by channel id only, keeps each version, and answers message_not_found for an unknown ts', async () => {
    const posted = await client().chat.postMessage({ channel: '#alerts', text: 'v1', blocks: [section('v1')] });
    const updated = await client().chat.update({ channel: posted.channel!, ts: posted.ts!, text: 'v2', blocks: [section('v2')] });
    expect(updated).toMatchObject({ ok: true, channel: posted.channel, ts: posted.ts, text: 'v2', message: { blocks: [section('v2')] } });
    expect((await call('chat.update', { channel: '#alerts', ts: posted.ts!, text: 'v3' })).body).toEqual({ ok: false, error: 'channel_not_found' });
    expect((await call('chat.update', { channel: posted.channel!, ts: '1.000001', text: 'v3' })).body).toEqual({ ok: false, error: 'message_not_found' });
    const [m] = fake.messages('alerts');
    expect(m!.versions.map((v) => v.text)).toEqual(['v1', 'v2']);
    expect(m!.blocks).toEqual([section('v2')]);
    fake.deleteMessage('alerts', posted.ts!);
    expect((await call('chat.update', { channel: posted.channel!, ts: posted.ts!, text: 'v3' })).body).toEqual({ ok: false, error: 'message_not_found' });
  });

  it('threads replies under their parent', async () => {
    const parent = await client().chat.postMessage({ channel: '#alerts', text: 'parent' });
    const reply = await client().chat.postMessage({ channel: parent.channel!, thread_ts: parent.ts!, text: 'reply' });
    await client().chat.postMessage({ channel: parent.channel!, thread_ts: reply.ts!, text: 'reply to a reply', reply_broadcast: true });
    expect(reply.message).toMatchObject({ thread_ts: parent.ts });
    const [m] = fake.messages('alerts');
    expect(fake.messages('alerts')).toHaveLength(1);
    expect(m!.replies.map((r) => [r.text, r.threadTs, r.replyBroadcast])).toEqual([
      ['reply', parent.ts, false],
      ['reply to a reply', parent.ts, true],
    ]);
    expect((await call('chat.postMessage', { channel: 'alerts', thread_ts: '9.000009', text: 'x' })).body).toEqual({ ok: false, error: 'thread_not_found' });
    await client().chat.update({ channel: parent.channel!, ts: reply.ts!, text: 'edited reply' });
    expect(m!.replies[0]!.versions).toHaveLength(2);
  });

  it('answers not_in_channel and is_archived', async () => {
    fake.addChannel('#private', { member: false });
    fake.addChannel('old', { archived: true });
    expect((await call('chat.postMessage', { channel: 'private', text: 'x' })).body).toEqual({ ok: false, error: 'not_in_channel' });
    expect((await call('chat.postMessage', { channel: '#old', text: 'x' })).body).toEqual({ ok: false, error: 'is_archived' });
  });

  it("enforces Slack's message limits with Slack's error codes", async () => {
    const post = async (form: Record<string, unknown>) => (await call('chat.postMessage', { channel: 'alerts', ...form })).body;
    expect(await post({ blocks: Array.from({ length: 50 }, () => ({ type: 'divider' })) })).toMatchObject({ ok: true });
    expect(await post({ blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) })).toEqual({
      ok: false,
      error: 'invalid_blocks',
      errors: ['must be less than 51 items [json-pointer:/blocks]'],
    });
    expect(await post({ blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] })).toEqual({
      ok: false,
      error: 'invalid_blocks',
      errors: ['must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
    });
    expect(await post({ blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }] })).toMatchObject({ error: 'invalid_blocks' });
    expect(await post({ blocks: [section('s'.repeat(3000))] })).toMatchObject({ ok: true });
    expect(await post({ blocks: [section('s'.repeat(3001))] })).toMatchObject({ error: 'invalid_blocks' });
    expect(await post({ blocks: [section('')] })).toMatchObject({ error: 'invalid_blocks', errors: ['must be more than 0 characters [json-pointer:/blocks/0/text/text]'] });
    expect(await post({ blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }] })).toMatchObject({ error: 'invalid_blocks' });
    expect(await post({ blocks: [{ type: 'context', elements: [] }] })).toMatchObject({ error: 'invalid_blocks' });
    expect(await post({ blocks: [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'b'.repeat(76) }, url: 'https://x' }] }] })).toMatchObject({ error: 'invalid_blocks' });
    expect(await post({ blocks: [{ type: 'fancy' }] })).toMatchObject({ error: 'invalid_blocks', errors: ['unsupported type [json-pointer:/blocks/0/type]'] });
    expect(await post({ blocks: [section('a'), { ...section('b'), block_id: 'x' }, { ...section('c'), block_id: 'x' }] })).toMatchObject({ error: 'invalid_blocks' });
    expect(await post({ blocks: Array.from({ length: 5 }, () => section('x'.repeat(2900))) })).toEqual({ ok: false, error: 'msg_blocks_too_long' });
    expect(await post({ blocks: '[not json' })).toEqual({ ok: false, error: 'invalid_blocks_format' });
    expect(await post({ text: 't'.repeat(40_000) })).toMatchObject({ ok: true });
    expect(await post({ text: 't'.repeat(40_001) })).toEqual({ ok: false, error: 'msg_too_long' });
    expect(await post({ attachments: Array.from({ length: 101 }, () => ({ text: 'a' })) })).toEqual({ ok: false, error: 'too_many_attachments' });
    expect(await post({})).toEqual({ ok: false, error: 'no_text' });
    expect(fake.messages('alerts')).toHaveLength(3);
  });

  it('plays queued faults in order, per method, and records what it answered', async () => {
    fake.fail('chat.postMessage', { status: 429, retryAfter: 3 }, { error: 'channel_not_found' }, { status: 500 });
    fake.fail('*', { status: 502, body: 'bad gateway' });
    const r429 = await call('chat.postMessage', { channel: 'alerts', text: 'x' });
    expect([r429.status, r429.headers.get('retry-after'), r429.body]).toEqual([429, '3', { ok: false, error: 'ratelimited' }]);
    expect((await call('auth.test', {})).status).toBe(502);
    expect((await call('chat.postMessage', { channel: 'alerts', text: 'x' })).body).toEqual({ ok: false, error: 'channel_not_found' });
    expect((await call('chat.postMessage', { channel: 'alerts', text: 'x' })).status).toBe(500);
    expect((await call('chat.postMessage', { channel: 'alerts', text: 'x' })).body).toMatchObject({ ok: true });
    expect(fake.requests.map((r) => r.status)).toEqual([429, 502, 200, 500, 200]);
    expect(fake.requestsTo('chat.postMessage')).toHaveLength(4);
    expect(fake.messages('alerts')).toHaveLength(1);
  });

  it('gives the real client a rate-limit error carrying Retry-After', async () => {
    fake.fail('chat.postMessage', { status: 429, retryAfter: 3 });
    const err = (await client().chat.postMessage({ channel: 'alerts', text: 'x' }).catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(3);
  });

  it('fails by rule on virtual time: 503 for ten minutes, then fine', async () => {
    const until = T0 + 10 * 60_000;
    const remove = fake.failWhen('chat.postMessage', () => (clock.now() < until ? { status: 503 } : undefined));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await call('chat.postMessage', { channel: 'alerts', text: `t${i}` })).status);
      await clock.advance(4 * 60_000);
    }
    expect(statuses).toEqual([503, 503, 503, 200]);
    expect(fake.requests.map((r) => r.at - T0)).toEqual([0, 4, 8, 12].map((m) => m * 60_000));
    remove();
    const removeAll = fake.failWhen('*', () => ({ error: 'service_unavailable' }));
    expect((await call('auth.test', {})).body).toEqual({ ok: false, error: 'service_unavailable' });
    removeAll();
    expect((await call('auth.test', {})).body).toMatchObject({ ok: true });
  });

  it('resets or holds connections, and closes with a request still open', async () => {
    fake.fail('auth.test', { reset: true }, { hang: true });
    await expect(call('auth.test', {})).rejects.toThrow();
    const pending = call('auth.test', {}).catch((e: unknown) => e);
    while (fake.requests.length < 2) await new Promise((r) => setImmediate(r));
    await fake.close();
    expect(await pending).toBeInstanceOf(Error);
    expect(fake.requests.map((r) => r.status)).toEqual([0, 0]);
  });

  it('accepts JSON bodies too and answers unknown methods with unknown_method', async () => {
    const res = await fetch(fake.url + 'chat.postMessage', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${fake.token}` },
      body: JSON.stringify({ channel: 'alerts', text: 'json', blocks: [section('json')] }),
    });
    expect(await res.json()).toMatchObject({ ok: true, message: { blocks: [section('json')] } });
    expect((await call('chat.delete', { channel: 'alerts' })).body).toMatchObject({ ok: false, error: 'unknown_method' });
  });
});
