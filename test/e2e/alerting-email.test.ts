import { afterEach, describe, expect, it } from 'vitest';
import type { EmailConfig } from '../../alerting/config/types.js';
import { emailIntegration } from '../../alerting/receivers/email/index.js';
import { alert, RecordingIntegration, simpleRoute } from '../alerting/support/recording.js';
import { receiverConfig, startHarness, step, type Harness } from '../alerting/support/harness.js';
import { SmtpSink } from '../support/smtp-sink.js';

// The whole alert pipeline with vigil's email integration (nodemailer) against smtp-server on
// 127.0.0.1, read back with mailparser, on a virtual clock.

const S = 1000;
const M = 60 * S;
let sink: SmtpSink | undefined;
let h: Harness | undefined;

afterEach(async () => {
  await h?.alerting.stop();
  h = undefined;
  await sink?.stop();
  sink = undefined;
});

function emailConfig(port: number): EmailConfig {
  return {
    position: { line: 1, column: 1 }, sendResolved: true, to: 'oncall@example.com', from: 'vigil@example.com', smarthost: { host: '127.0.0.1', port },
    hello: 'vigil.test', authUsername: undefined, authPassword: undefined, authIdentity: undefined, authSecret: undefined, requireTLS: false,
    tlsInsecureSkipVerify: false, html: undefined, text: undefined, headers: new Map(),
  };
}


describe('email end to end', () => {
  it('retries a 451 and delivers once; the resolve threads under the first mail', async () => {
    sink = await SmtpSink.start();
    h = startHarness(simpleRoute(), { team: [emailIntegration(emailConfig(sink.port), 0)] });
    sink.failNext('DATA', 451, 'try again later');
    const t0 = h.clock.now();
    h.alerting.receive([alert({ alertname: 'QueueBacklog', i: '1', queue: 'embeddings' }, t0, { endsAt: t0 + 3600_000 })]);
    await step(h!, 30 * S);
    expect(sink.messages).toHaveLength(0);
    await step(h!, 2 * S);
    expect(sink.messages).toHaveLength(1);
    h.alerting.receive([alert({ alertname: 'QueueBacklog', i: '1', queue: 'embeddings' }, h.clock.now(), { startsAt: t0, endsAt: h.clock.now() })]);
    await step(h!, 5 * M);
    expect(sink.messages).toHaveLength(2);
    const [first, resolved] = sink.messages.map((m) => m.mail);
    expect(first!.subject).toMatch(/^\[FIRING:1\] QueueBacklog/);
    expect(resolved!.subject).toMatch(/^\[RESOLVED\] QueueBacklog/);
    expect(resolved!.inReplyTo).toBeDefined();
    expect(resolved!.inReplyTo).toBe(first!.inReplyTo);
    expect(resolved!.text).toContain('embeddings');
    expect(resolved!.html).toContain('embeddings');
  });

  it('takes a 550 as permanent: no retry, and the fallback receiver gets the notification', async () => {
    sink = await SmtpSink.start();
    const fallback = new RecordingIntegration();
    h = startHarness(simpleRoute(), { team: [emailIntegration(emailConfig(sink.port), 0)], oncall: [fallback] }, {
      receivers: [receiverConfig('team', { fallback: 'oncall' }), receiverConfig('oncall')],
    });
    sink.failNext('RCPT', 550, 'no such user');
    const t0 = h.clock.now();
    h.alerting.receive([alert({ alertname: 'GPUXidError', i: '1' }, t0, { endsAt: t0 + 3600_000 })]);
    await step(h!, 30 * S);
    await step(h!, 4 * M);
    expect(sink.messages).toHaveLength(0);
    expect(sink.attempts).toBe(1);
    expect(fallback.summary()).toEqual(['GPUXidError1|']);
  });
});
