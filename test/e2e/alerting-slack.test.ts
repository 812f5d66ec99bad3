import { afterEach, describe, expect, it } from 'vitest';
import type { SlackConfig } from '../../alerting/config/types.js';
import { slackIntegration } from '../../alerting/receivers/slack/index.js';
import { startSlackFake, type SlackFake } from '../support/slack-fake.js';
import { alert, simpleRoute } from '../alerting/support/recording.js';
import { startHarness, step, type Harness } from '../alerting/support/harness.js';

// The whole alert pipeline (dispatcher, dedup, outbox, delivery queue) with vigil's Slack
// integration and the real @slack/web-api 8 client, against the loopback fake of Slack's Web API,
// on a virtual clock.

const S = 1000;
const M = 60 * S;
let fake: SlackFake;
let h: Harness | undefined;

afterEach(async () => {
  await h?.alerting.stop();
  h = undefined;
  await fake?.close();
});

function slackConfig(over: Partial<SlackConfig> = {}): SlackConfig {
  return {
    position: { line: 1, column: 1 }, sendResolved: true, apiURL: fake.url, token: { env: 'SLACK_BOT_TOKEN' }, channel: '#alerts',
    username: undefined, iconEmoji: undefined, iconURL: undefined, linkNames: false, title: undefined, text: undefined, timeout: 5000,
    updateMessage: true, threadUpdates: true, ...over,
  };
}

async function start(over: Partial<SlackConfig> = {}, counts?: { failed: { code: string; retryable: boolean }[] }) {
  fake = await startSlackFake();
  const slack = slackIntegration(slackConfig(over), 0, { env: { SLACK_BOT_TOKEN: fake.token } });
  h = startHarness(simpleRoute(), { team: [slack] }, {
    metrics: { delivered: () => undefined, failed: (_r, _i, code, retryable) => counts?.failed.push({ code, retryable }) },
  });
  return h;
}


const hour = (t: number) => ({ endsAt: t + 3600_000 });

describe('Slack end to end', () => {
  it('firing posts one message; the resolve updates it and replies once in its thread', async () => {
    const { clock, alerting } = await start();
    const t0 = clock.now();
    alerting.receive([alert({ alertname: 'GPUXidError', i: '1', namespace: 'ml' }, t0, hour(t0))]);
    await step(h!, 30 * S);
    expect(fake.messages('#alerts')).toHaveLength(1);
    expect(fake.messages('#alerts')[0]!.text).toContain('FIRING');
    alerting.receive([alert({ alertname: 'GPUXidError', i: '1', namespace: 'ml' }, clock.now(), { startsAt: t0, endsAt: clock.now() })]);
    await step(h!, 5 * M);
    const [msg] = fake.messages('#alerts');
    expect(fake.messages('#alerts')).toHaveLength(1);
    expect(msg!.versions.length).toBe(2);
    expect(msg!.text).toMatch(/RESOLVED/);
    expect(msg!.replies).toHaveLength(1);
    expect(msg!.replies[0]!.text).toMatch(/[Rr]esolved/);
    expect(fake.requestsTo('chat.update')).toHaveLength(1);
  });

  it('a repeat goes to the thread of the first message', async () => {
    const { clock, alerting } = await start();
    const t0 = clock.now();
    const fire = () => alerting.receive([alert({ alertname: 'QueueBacklog', i: '1' }, clock.now(), { startsAt: t0, endsAt: clock.now() + 3600_000 })]);
    fire();
    for (let i = 0; i < 5 * 60; i++) {
      await step(h!, M);
      fire();
    }
    const msgs = fake.messages('#alerts');
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.replies.length).toBe(1);
    expect(msgs[0]!.replies[0]!.text).toMatch(/[Rr]epeat/);
  });

  it('a 429 with Retry-After 3 s delays delivery by 3 s and nothing is sent twice', async () => {
    const { clock, alerting } = await start();
    fake.fail('chat.postMessage', { status: 429, retryAfter: 3 });
    const t0 = clock.now();
    alerting.receive([alert({ alertname: 'A', i: '1' }, t0, hour(t0))]);
    await step(h!, 30 * S);
    expect(fake.messages('#alerts')).toHaveLength(0);
    await step(h!, 3 * S - 1);
    expect(fake.messages('#alerts')).toHaveLength(0);
    await step(h!, 1);
    expect(fake.messages('#alerts')).toHaveLength(1);
    await step(h!, 20 * M);
    expect(fake.messages('#alerts')).toHaveLength(1);
    expect(fake.requestsTo('chat.postMessage')).toHaveLength(2);
  });

  it('invalid_auth is reported and not retried until the next group_interval', async () => {
    const counts = { failed: [] as { code: string; retryable: boolean }[] };
    const { clock, alerting } = await start({}, counts);
    fake.setToken('xoxb-rotated');
    const t0 = clock.now();
    alerting.receive([alert({ alertname: 'A', i: '1' }, t0, hour(t0))]);
    await step(h!, 30 * S);
    await step(h!, 4 * M);
    expect(fake.requests).toHaveLength(1);
    expect(counts.failed).toEqual([{ code: 'invalid_auth', retryable: false }]);
    await step(h!, 1 * M);
    expect(fake.requests).toHaveLength(2);
  });

  it('10 minutes of 5xx, then recovery: every notification arrives, in order, once', async () => {
    const { clock, alerting } = await start();
    const t0 = clock.now();
    const stop = fake.failWhen('*', () => (clock.now() < t0 + 10 * M ? { status: 503 } : undefined));
    for (let i = 0; i < 5; i++) {
      alerting.receive([alert({ alertname: `Alert${i}`, i: '1' }, clock.now(), hour(t0))]);
      await step(h!, 20 * S);
    }
    await step(h!, 12 * M);
    stop();
    const msgs = fake.messages('#alerts');
    expect(msgs.map((m) => /Alert(\d)/.exec(m.text ?? '')?.[1])).toEqual(['0', '1', '2', '3', '4']);
    expect(msgs.every((m) => m.versions.length === 1 && m.replies.length === 0)).toBe(true);
    // Backoff, not a storm: the queue pauses after each failure, doubling to a minute.
    expect(fake.requestsTo('chat.postMessage').length).toBeLessThan(80);
    expect(alerting.outbox.all()).toHaveLength(0);
  });
});
