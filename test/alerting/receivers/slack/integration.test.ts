import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackConfig } from '../../../../alerting/config/types.js';
import { NotifyError, type Notification } from '../../../../alerting/notify/types.js';
import { slackIntegration } from '../../../../alerting/receivers/slack/index.js';
import type { Alert } from '../../../../alerting/types.js';
import { Labels } from '../../../../model/labels.js';
import { VirtualClock } from '../../../../util/clock.js';
import { startSlackFake, type FakeMessage, type SlackFake } from '../../../support/slack-fake.js';

// The Slack integration against the loopback Slack fake (test/support/slack-fake.ts), through the
// real @slack/web-api 8 client: no module is mocked.

const T0 = Date.UTC(2024, 4, 1, 12, 0);
const MIN = 60_000;

function alert(labels: Record<string, string>, annotations: Record<string, string> = {}, o: { startsAt?: number; endsAt?: number } = {}): Alert {
  return {
    labels: Labels.from(labels),
    annotations: Labels.from(annotations),
    startsAt: o.startsAt ?? T0,
    endsAt: o.endsAt ?? T0 + 24 * 60 * MIN,
    generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
    updatedAt: T0,
    timeout: true,
  };
}

function gpu(i: number, o: { endsAt?: number } = {}): Alert {
  return alert(
    { alertname: 'GPUXidError', cluster: 'prod-eu', namespace: 'inference', model: 'llama-70b', severity: 'critical', gpu: String(i) },
    { summary: 'GPU Xid errors', description: 'Xid 79: the GPU fell off the bus', runbook_url: 'https://runbooks.example.com/gpu-xid' },
    o,
  );
}

function notification(alerts: readonly Alert[], now: number, state: Record<string, string> = {}): Notification {
  return {
    receiver: 'ml-oncall',
    groupKey: '{}:{alertname="GPUXidError"}',
    groupLabels: Labels.from({ alertname: 'GPUXidError' }),
    alerts,
    now,
    externalURL: 'https://vigil.example.com',
    state,
  };
}

let fake: SlackFake;
let dir: string;
let tokenFile: string;

beforeEach(async () => {
  fake = await startSlackFake({ now: () => T0 });
  dir = mkdtempSync(join(tmpdir(), 'vigil-slack-'));
  tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, fake.token + '\n');
});

afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

function config(over: Partial<SlackConfig> = {}): SlackConfig {
  return {
    position: { line: 1, column: 1 },
    sendResolved: true,
    apiURL: fake.url,
    token: { file: tokenFile },
    channel: '#alerts',
    username: undefined,
    iconEmoji: undefined,
    iconURL: undefined,
    linkNames: false,
    title: undefined,
    text: undefined,
    timeout: 5000,
    updateMessage: true,
    threadUpdates: true,
    ...over,
  };
}

const signal = () => new AbortController().signal;

/** sent is the state a successful notify returned (the Slack integration always returns one). */
async function sent(p: Promise<Record<string, string> | undefined>): Promise<Record<string, string>> {
  const state = await p;
  expect(state).toBeDefined();
  return state!;
}

function headerOf(m: FakeMessage): string {
  const h = m.blocks?.find((b) => b['type'] === 'header') as { text: { text: string } } | undefined;
  return h?.text.text ?? '';
}

function allText(m: { blocks?: readonly Record<string, unknown>[] | undefined }): string {
  return JSON.stringify(m.blocks ?? []);
}

async function rejection(p: Promise<unknown>): Promise<NotifyError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(NotifyError);
    return err as NotifyError;
  }
  throw new Error('expected notify to fail');
}

describe('slack integration: message lifecycle', () => {
  it('posts the first notification of a group as one Block Kit message and keeps its channel id and ts', async () => {
    const integ = slackIntegration(config(), 0, {});
    const state = await sent(integ.notify(notification([gpu(0), gpu(1), gpu(2)], T0 + MIN), signal()));

    const msgs = fake.messages('alerts');
    expect(msgs).toHaveLength(1);
    const m = msgs[0]!;
    expect(state).toMatchObject({ channel: fake.channelId('alerts'), ts: m.ts, firing_count: '3' });
    expect(m.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(headerOf(m)).toBe(':red_circle: [FIRING:3] GPUXidError');
    expect(m.text).toContain('[FIRING:3] GPUXidError');
    const body = allText(m);
    expect(body).toContain('*Model* llama-70b');
    expect(body).toContain('*Namespace* inference');
    expect(body).toContain('*Cluster* prod-eu');
    expect(body).toContain('*GPU Xid errors*');
    expect(body).toContain('<https://runbooks.example.com/gpu-xid|Runbook>');
    expect(body).toContain('<https://vigil.example.com/#/silences/new?filter=%7Balertname%3D%22GPUXidError%22%7D|Silence>');
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.authorization).toBe(`Bearer ${fake.token}`);
    expect(fake.requests[0]!.contentType).toBe('application/x-www-form-urlencoded');
  });

  it('on resolve updates the same message to RESOLVED and replies once in its thread', async () => {
    const integ = slackIntegration(config(), 0, {});
    const first = await sent(integ.notify(notification([gpu(0), gpu(1)], T0 + MIN), signal()));
    const resolvedAt = T0 + 4 * MIN;
    const second = await sent(integ.notify(notification([gpu(0, { endsAt: resolvedAt }), gpu(1, { endsAt: resolvedAt })], T0 + 5 * MIN, first), signal()));

    const msgs = fake.messages('alerts');
    expect(msgs).toHaveLength(1);
    const m = msgs[0]!;
    expect(m.versions).toHaveLength(2);
    expect(headerOf(m)).toBe(':white_check_mark: [RESOLVED] GPUXidError');
    expect(m.replies).toHaveLength(1);
    expect(m.replies[0]!.text).toBe(':white_check_mark: Resolved at 12:04 UTC — all 2 alerts');
    expect(m.replies[0]!.threadTs).toBe(m.ts);
    expect(second).toMatchObject({ channel: first['channel'], ts: first['ts'], firing_count: '0' });
    expect(fake.requestsTo('chat.update')[0]!.args['channel']).toBe(fake.channelId('alerts'));
  });

  it('a repeat updates the message and says "still firing" in the thread; new alerts are named', async () => {
    const integ = slackIntegration(config(), 0, {});
    let state = await sent(integ.notify(notification([gpu(0), gpu(1), gpu(2)], T0 + MIN), signal()));
    state = await sent(integ.notify(notification([gpu(0), gpu(1), gpu(2)], T0 + 240 * MIN, state), signal()));
    const extra = alert({ alertname: 'GPUXidError', gpu: '7', model: 'mistral' }, { summary: 'Xid 48 on gpu 7' });
    state = await sent(integ.notify(notification([gpu(0), gpu(1), gpu(2), extra], T0 + 245 * MIN, state), signal()));

    const [m] = fake.messages('alerts');
    expect(fake.messages('alerts')).toHaveLength(1);
    expect(m!.versions).toHaveLength(3);
    expect(m!.replies.map((r) => r.text)).toEqual([
      ':repeat: Repeat: still firing, 3 alerts',
      ':fire: 1 new alert — now 4 firing\n• Xid 48 on gpu 7',
    ]);
    expect(headerOf(m!)).toBe(':red_circle: [FIRING:4] GPUXidError');
    expect(state['firing_count']).toBe('4');
  });

  it('without thread_updates only the message is updated', async () => {
    const integ = slackIntegration(config({ threadUpdates: false }), 0, {});
    const state = await sent(integ.notify(notification([gpu(0)], T0 + MIN), signal()));
    await integ.notify(notification([gpu(0, { endsAt: T0 + 2 * MIN })], T0 + 3 * MIN, state), signal());
    const [m] = fake.messages('alerts');
    expect(m!.versions).toHaveLength(2);
    expect(m!.replies).toHaveLength(0);
  });

  it('without update_message each notification is a new message, as in Alertmanager', async () => {
    const integ = slackIntegration(config({ updateMessage: false, threadUpdates: false }), 0, {});
    const s1 = await sent(integ.notify(notification([gpu(0)], T0 + MIN), signal()));
    const s2 = await sent(integ.notify(notification([gpu(0)], T0 + 241 * MIN, s1), signal()));
    const msgs = fake.messages('alerts');
    expect(msgs).toHaveLength(2);
    expect(msgs.every((m) => m.versions.length === 1 && m.replies.length === 0)).toBe(true);
    expect(s2['ts']).toBe(msgs[1]!.ts);
    expect(fake.requestsTo('chat.update')).toHaveLength(0);
  });

  it('without update_message but with thread_updates each later notification is a full reply in the thread', async () => {
    const integ = slackIntegration(config({ updateMessage: false }), 0, {});
    const s1 = await sent(integ.notify(notification([gpu(0)], T0 + MIN), signal()));
    const s2 = await sent(integ.notify(notification([gpu(0, { endsAt: T0 + 2 * MIN })], T0 + 3 * MIN, s1), signal()));
    const msgs = fake.messages('alerts');
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.versions).toHaveLength(1);
    const reply = msgs[0]!.replies[0]!;
    expect(headerOf(reply)).toBe(':white_check_mark: [RESOLVED] GPUXidError');
    expect(allText(reply)).toContain('Resolved at 12:02 UTC');
    expect(s2['ts']).toBe(s1['ts']);
  });

  it('posts a new message when the old one was deleted (message_not_found) and keeps the new place', async () => {
    const integ = slackIntegration(config(), 0, {});
    const s1 = await sent(integ.notify(notification([gpu(0)], T0 + MIN), signal()));
    fake.deleteMessage('alerts', s1['ts']!);
    const s2 = await sent(integ.notify(notification([gpu(0), gpu(1)], T0 + 6 * MIN, s1), signal()));

    expect(fake.requestsTo('chat.update').map((r) => (r.response as { error?: string }).error)).toEqual(['message_not_found']);
    const msgs = fake.messages('alerts');
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.ts).not.toBe(s1['ts']);
    expect(s2).toMatchObject({ channel: fake.channelId('alerts'), ts: msgs[0]!.ts });
    expect(headerOf(msgs[0]!)).toBe(':red_circle: [FIRING:2] GPUXidError');
  });

  it('posts a new message when the edit window has closed', async () => {
    const integ = slackIntegration(config(), 0, {});
    const s1 = await sent(integ.notify(notification([gpu(0)], T0 + MIN), signal()));
    fake.fail('chat.update', { error: 'edit_window_closed' });
    const s2 = await sent(integ.notify(notification([gpu(0)], T0 + 241 * MIN, s1), signal()));
    expect(fake.messages('alerts')).toHaveLength(2);
    expect(s2['ts']).toBe(fake.messages('alerts')[1]!.ts);
  });

  it('a group of 40 alerts folds into "+N more" and Slack accepts it', async () => {
    const long = 'x"'.repeat(1500);
    const alerts = Array.from({ length: 40 }, (_, i) =>
      alert({ alertname: 'ModelLatencyHigh', model: `model-${i}`, pod: `vllm-${i}` }, { summary: `p99 latency of model-${i} is 9s`, description: long }),
    );
    const integ = slackIntegration(config(), 0, {});
    await integ.notify(notification(alerts, T0 + MIN), signal());

    const post = fake.requestsTo('chat.postMessage')[0]!;
    expect(post.response).toMatchObject({ ok: true });
    const blocks = post.args['blocks'] as Record<string, unknown>[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(12_000);
    const shown = blocks.filter((b) => b['type'] === 'section' && JSON.stringify(b).includes('p99 latency')).length;
    expect(shown).toBeGreaterThan(0);
    expect(JSON.stringify(blocks.at(-1))).toContain(`+${40 - shown} more alerts (${40 - shown} firing)`);
  });

  it('escapes mrkdwn control characters from labels and annotations', async () => {
    const a = alert({ alertname: 'Odd', model: 'a<b>&c' }, { summary: '<!channel> look at <http://evil.example|this> & that' });
    const integ = slackIntegration(config(), 0, {});
    await integ.notify(notification([a], T0 + MIN), signal());
    const body = allText(fake.messages('alerts')[0]!);
    expect(body).toContain('&lt;!channel&gt; look at &lt;http://evil.example|this&gt; &amp; that');
    expect(body).toContain('*Model* a&lt;b&gt;&amp;c');
    expect(body).not.toContain('<!channel>');
    expect(fake.messages('alerts')[0]!.text).not.toContain('<!channel>');
  });

  it('uses the title and text templates for the header and summary', async () => {
    const integ = slackIntegration(config({ title: '{{ .CommonLabels.alertname }} in {{ .CommonLabels.cluster }}', text: 'See {{ .ExternalURL }}' }), 0, {});
    await integ.notify(notification([gpu(0)], T0 + MIN), signal());
    const [m] = fake.messages('alerts');
    expect(headerOf(m!)).toBe(':red_circle: GPUXidError in prod-eu');
    expect(allText(m!)).toContain('"text":"See https://vigil.example.com"');
  });

  it('passes username, icon and a chat.postMessage api_url through', async () => {
    const integ = slackIntegration(config({ apiURL: `${fake.url}chat.postMessage`, username: 'vigil', iconEmoji: ':robot_face:' }), 0, {});
    await integ.notify(notification([gpu(0)], T0 + MIN), signal());
    const [m] = fake.messages('alerts');
    expect(m).toMatchObject({ username: 'vigil', iconEmoji: ':robot_face:' });
  });
});

describe('slack integration: failures', () => {
  it('429 with Retry-After 3 is retryable after 3000ms, nothing is posted and nothing waits', async () => {
    fake.fail('chat.postMessage', { status: 429, retryAfter: 3 });
    const integ = slackIntegration(config(), 0, {});
    const started = performance.now();
    const err = await rejection(integ.notify(notification([gpu(0)], T0), signal()));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(err).toMatchObject({ code: 'http_429', retryable: true, retryAfterMs: 3000 });
    expect(fake.requests).toHaveLength(1);
    expect(fake.messages('alerts')).toHaveLength(0);
  });

  it('HTTP 500 is retryable and made once (the client does not retry on its own)', async () => {
    fake.fail('chat.postMessage', { status: 500 });
    const err = await rejection(slackIntegration(config(), 0, {}).notify(notification([gpu(0)], T0), signal()));
    expect(err).toMatchObject({ code: 'http_500', retryable: true, retryAfterMs: undefined });
    expect(fake.requests).toHaveLength(1);
  });

  it('a network error and Slack-side ok:false errors are retryable', async () => {
    const integ = slackIntegration(config(), 0, {});
    fake.fail('chat.postMessage', { reset: true }, { error: 'ratelimited' }, { error: 'internal_error' });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push(await rejection(integ.notify(notification([gpu(0)], T0), signal())));
    expect(codes.map((e) => [e.code, e.retryable])).toEqual([
      ['network_error', true],
      ['ratelimited', true],
      ['internal_error', true],
    ]);
    expect(fake.requests).toHaveLength(3);
  });

  it('invalid_auth and channel_not_found are permanent, after exactly one request each', async () => {
    writeFileSync(tokenFile, 'xoxb-wrong-token');
    const bad = await rejection(slackIntegration(config(), 0, {}).notify(notification([gpu(0)], T0), signal()));
    expect(bad).toMatchObject({ code: 'invalid_auth', retryable: false });
    expect(fake.requests).toHaveLength(1);

    writeFileSync(tokenFile, fake.token);
    const missing = await rejection(slackIntegration(config({ channel: '#nope' }), 0, {}).notify(notification([gpu(0)], T0), signal()));
    expect(missing).toMatchObject({ code: 'channel_not_found', retryable: false });
    expect(missing.message).toContain('#nope');
    expect(fake.requests).toHaveLength(2);
  });

  it('not_in_channel, is_archived and an oversize payload are permanent', async () => {
    fake.addChannel('quiet', { member: false });
    fake.addChannel('old', { archived: true });
    const codes = [];
    for (const channel of ['quiet', 'old']) {
      codes.push((await rejection(slackIntegration(config({ channel }), 0, {}).notify(notification([gpu(0)], T0), signal()))).code);
    }
    fake.fail('chat.postMessage', { error: 'msg_too_long' });
    const tooLong = await rejection(slackIntegration(config(), 0, {}).notify(notification([gpu(0)], T0), signal()));
    expect([...codes, tooLong.code]).toEqual(['not_in_channel', 'is_archived', 'msg_too_long']);
    expect(tooLong.retryable).toBe(false);
  });

  it('never puts the token in an error message', async () => {
    const integ = slackIntegration(config(), 0, {});
    const faults = [{ status: 429, retryAfter: 1 }, { status: 503, body: `echo ${fake.token}` }, { error: 'token_revoked' }, { reset: true as const }];
    for (const f of faults) {
      fake.fail('chat.postMessage', f);
      const err = await rejection(integ.notify(notification([gpu(0)], T0), signal()));
      expect(err.message).not.toContain(fake.token);
      expect(String(err)).not.toContain(fake.token);
    }
    writeFileSync(tokenFile, 'xoxb-not-the-right-one');
    const err = await rejection(integ.notify(notification([gpu(0)], T0), signal()));
    expect(err.message).not.toContain('xoxb-not-the-right-one');
  });

  it('reads the token file at every notify, so a rotated token takes effect', async () => {
    const integ = slackIntegration(config(), 0, {});
    await integ.notify(notification([gpu(0)], T0), signal());
    fake.setToken('xoxb-rotated');
    expect((await rejection(integ.notify(notification([gpu(1)], T0), signal()))).code).toBe('invalid_auth');
    writeFileSync(tokenFile, 'xoxb-rotated\n');
    await integ.notify(notification([gpu(2)], T0), signal());
    expect(fake.messages('alerts')).toHaveLength(2);
  });

  it('an unreadable token file is retryable and names the file, not a token', async () => {
    rmSync(tokenFile);
    const err = await rejection(slackIntegration(config(), 0, {}).notify(notification([gpu(0)], T0), signal()));
    expect(err).toMatchObject({ code: 'token_unreadable', retryable: true });
    expect(err.message).toContain(tokenFile);
    expect(fake.requests).toHaveLength(0);
  });

  it('stops when the signal aborts while Slack does not answer', async () => {
    const controller = new AbortController();
    fake.failWhen('chat.postMessage', () => {
      controller.abort(new Error('flush deadline'));
      return { hang: true };
    });
    const err = await rejection(slackIntegration(config(), 0, {}).notify(notification([gpu(0)], T0), controller.signal));
    expect(err).toMatchObject({ code: 'aborted', retryable: true });
    expect(err.message).toContain('flush deadline');
  });

  it('gives up after the configured timeout', async () => {
    fake.fail('chat.postMessage', { hang: true });
    const err = await rejection(slackIntegration(config({ timeout: 100 }), 0, {}).notify(notification([gpu(0)], T0), signal()));
    expect(err).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('a failed update is reported and the state is left for the next try', async () => {
    const clock = new VirtualClock(T0);
    const integ = slackIntegration(config(), 0, {});
    const s1 = await sent(integ.notify(notification([gpu(0)], clock.now()), signal()));
    // Slack answers 503 for ten virtual minutes.
    const until = clock.now() + 10 * MIN;
    fake.failWhen('chat.update', () => (clock.now() < until ? { status: 503 } : undefined));
    const n = () => notification([gpu(0, { endsAt: T0 + 2 * MIN })], clock.now(), s1);
    const errs = [];
    for (let i = 0; i < 3; i++) {
      errs.push(await rejection(integ.notify(n(), signal())));
      await clock.advance(4 * MIN);
    }
    expect(errs.map((e) => e.code)).toEqual(['http_503', 'http_503', 'http_503']);
    const s2 = await sent(integ.notify(n(), signal()));
    const [m] = fake.messages('alerts');
    expect(m!.versions).toHaveLength(2);
    expect(m!.replies).toHaveLength(1);
    expect(s2['ts']).toBe(s1['ts']);
  });
});
