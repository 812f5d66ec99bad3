import { describe, expect, it } from 'vitest';
import { alert, permanent, RecordingIntegration, retryable, simpleRoute } from './support/recording.js';
import { receiverConfig, startHarness } from './support/harness.js';

const S = 1000;
const M = 60 * S;

describe('Alerting timers (group_wait 30s, group_interval 5m, repeat_interval 4h)', () => {
  it('waits group_wait before the first notification', async () => {
    const rec = new RecordingIntegration();
    const h = startHarness(simpleRoute(), { team: [rec] });
    const t0 = h.clock.now();
    h.alerting.receive([alert({ alertname: 'A', i: '1' }, t0)]);
    await h.clock.advance(29 * S);
    expect(rec.sent).toHaveLength(0);
    await h.clock.advance(1 * S);
    await h.alerting.idle();
    expect(rec.summary()).toEqual(['A1|']);
    expect(rec.sent[0]!.now).toBe(t0 + 30 * S);
  });

  it('flushes at once when the alert started more than group_wait ago', async () => {
    const rec = new RecordingIntegration();
    const h = startHarness(simpleRoute(), { team: [rec] });
    h.alerting.receive([alert({ alertname: 'A', i: '1' }, h.clock.now(), { startsAt: h.clock.now() - 10 * M })]);
    await h.clock.advance(0);
    await h.alerting.idle();
    expect(rec.summary()).toEqual(['A1|']);
  });

  it('adds a later alert at the next group_interval, not before', async () => {
    const rec = new RecordingIntegration();
    const h = startHarness(simpleRoute(), { team: [rec] });
    const t0 = h.clock.now();
    h.alerting.receive([alert({ alertname: 'A', i: '1' }, t0)]);
    await h.clock.advance(30 * S);
    await h.alerting.idle();
    h.alerting.receive([alert({ alertname: 'A', i: '2' }, h.clock.now())]);
    await h.clock.advance(5 * M - 1);
    expect(rec.sent).toHaveLength(1);
    await h.clock.advance(1);
    await h.alerting.idle();
    expect(rec.summary()).toEqual(['A1|', 'A1,A2|']);
  });

  it('repeats after repeat_interval, rounded up to a multiple of group_interval', async () => {
    const rec = new RecordingIntegration();
    const h = startHarness(simpleRoute(), { team: [rec] });
    const t0 = h.clock.now();
    const keepFiring = () => h.alerting.receive([alert({ alertname: 'A', i: '1' }, h.clock.now(), { startsAt: t0 })]);
    keepFiring();
    for (let t = 0; t < 9 * 3600 * S; t += M) {
      await h.clock.advance(M);
      keepFiring();
    }
    await h.alerting.idle();
    const times = rec.sent.map((n) => (n.now - t0) / S);
    // First at 30 s; flushes every 300 s after; a repeat goes out at the first flush more than
    // 4 h after the last notification: 30 + 49 × 300 = 14730 s, then 14730 + 14700 = 29430 s.
    expect(times).toEqual([30, 14730, 29430]);
  });

  it('sends nothing for an alert that resolves before group_wait', async () => {
    const rec = new RecordingIntegration();
    const h = startHarness(simpleRoute(), { team: [rec] });
    const t0 = h.clock.now();
    h.alerting.receive([alert({ alertname: 'A', i: '1' }, t0)]);
    await h.clock.advance(10 * S);
    h.alerting.receive([alert({ alertname: 'A', i: '1' }, h.clock.now(), { startsAt: t0, endsAt: h.clock.now() })]);
    await h.clock.advance(10 * M);
    await h.alerting.idle();
    expect(rec.sent).toHaveLength(0);
    expect(h.alerting.dispatcher.groupList()).toHaveLength(0);
  });

  it('sends no resolve for a flap inside one group_interval', async () => {
    const rec = new RecordingIntegration();
    const h = startHarness(simpleRoute(), { team: [rec] });
    const t0 = h.clock.now();
    h.alerting.receive([alert({ alertname: 'A', i: '1' }, t0)]);
    await h.clock.advance(30 * S);
    await h.alerting.idle();
    await h.clock.advance(1 * M);
    h.alerting.receive([alert({ alertname: 'A', i: '1' }, h.clock.now(), { startsAt: t0, endsAt: h.clock.now() })]);
    await h.clock.advance(1 * M);
    h.alerting.receive([alert({ alertname: 'A', i: '1' }, h.clock.now())]);
    await h.clock.advance(5 * M);
    await h.alerting.idle();
    expect(rec.summary()).toEqual(['A1|']);
  });

  it('sends the resolve at the next flush and then forgets the group', async () => {
    const rec = new RecordingIntegration(true);
    const h = startHarness(simpleRoute(), { team: [rec] });
    const t0 = h.clock.now();
    h.alerting.receive([alert({ alertname: 'A', i: '1' }, t0), alert({ alertname: 'A', i: '2' }, t0)]);
    await h.clock.advance(30 * S);
    h.alerting.receive([alert({ alertname: 'A', i: '1' }, h.clock.now(), { startsAt: t0, endsAt: h.clock.now() })]);
    await h.clock.advance(5 * M);
    h.alerting.receive([alert({ alertname: 'A', i: '2' }, h.clock.now(), { startsAt: t0, endsAt: h.clock.now() })]);
    await h.clock.advance(5 * M);
    await h.alerting.idle();
    expect(rec.summary()).toEqual(['A1,A2|', 'A2|A1', '|A2']);
    expect(h.alerting.dispatcher.groupList()).toHaveLength(0);
  });

  it('without send_resolved strips resolved alerts and sends nothing when all resolved', async () => {
    const rec = new RecordingIntegration(false);
    const h = startHarness(simpleRoute(), { team: [rec] });
    const t0 = h.clock.now();
    h.alerting.receive([alert({ alertname: 'A', i: '1' }, t0), alert({ alertname: 'A', i: '2' }, t0)]);
    await h.clock.advance(30 * S);
    h.alerting.receive([alert({ alertname: 'A', i: '1' }, h.clock.now(), { startsAt: t0, endsAt: h.clock.now() })]);
    await h.clock.advance(5 * M);
    h.alerting.receive([alert({ alertname: 'A', i: '2' }, h.clock.now(), { startsAt: t0, endsAt: h.clock.now() })]);
    await h.clock.advance(5 * M);
    await h.alerting.idle();
    // The partial resolve changes nothing worth sending without send_resolved; all resolved is
    // logged as sent (so the next firing is a first notification) but has nothing to send.
    expect(rec.summary()).toEqual(['A1,A2|']);
    const entry = h.alerting.nflog.get({ groupKey: '{}:{alertname="A"}', receiver: 'team', integration: 'recording/0' });
    expect(entry?.firing.size).toBe(0);
    // A1 left the group after the flush that carried its resolve; only A2 is in the last one.
    expect(entry?.resolved.size).toBe(1);
  });

  it('groups by the route group_by labels', async () => {
    const rec = new RecordingIntegration();
    const h = startHarness(simpleRoute({ groupBy: ['alertname'] }), { team: [rec] });
    const t0 = h.clock.now();
    h.alerting.receive([alert({ alertname: 'A', i: '1' }, t0), alert({ alertname: 'B', i: '1' }, t0), alert({ alertname: 'A', i: '2' }, t0)]);
    await h.clock.advance(30 * S);
    await h.alerting.idle();
    expect(rec.sent.map((n) => n.groupKey).sort()).toEqual(['{}:{alertname="A"}', '{}:{alertname="B"}']);
    expect(rec.summary().sort()).toEqual(['A1,A2|', 'B1|']);
  });
});

describe('Alerting delivery', () => {
  it('retries a retryable failure with backoff, honouring Retry-After, and delivers once', async () => {
    const rec = new RecordingIntegration();
    rec.failures.push(retryable('ratelimited', 3 * S), retryable('http_503'));
    const h = startHarness(simpleRoute(), { team: [rec] });
    h.alerting.receive([alert({ alertname: 'A', i: '1' }, h.clock.now())]);
    await h.clock.advance(30 * S);
    expect(rec.calls).toBe(1);
    await h.clock.advance(3 * S - 1);
    expect(rec.calls).toBe(1);
    await h.clock.advance(1);
    expect(rec.calls).toBe(2);
    // Second failure: the backoff doubles (2 s with the harness's fixed jitter of 1.0).
    await h.clock.advance(2 * S);
    await h.alerting.idle();
    expect(rec.calls).toBe(3);
    expect(rec.summary()).toEqual(['A1|']);
    expect(h.alerting.outbox.all()).toHaveLength(0);
  });

  it('keeps retrying through 10 minutes of outage, then delivers the newest state of each group once, in order', async () => {
    const rec = new RecordingIntegration();
    const h = startHarness(simpleRoute(), { team: [rec] });
    const t0 = h.clock.now();
    let down = true;
    const original = rec.notify.bind(rec);
    rec.notify = (n) => (down ? (rec.calls++, Promise.reject(retryable('http_500'))) : original(n));
    const hour = { endsAt: t0 + 3600_000 };
    h.alerting.receive([alert({ alertname: 'A', i: '1' }, t0, hour)]);
    await h.clock.advance(10 * S);
    h.alerting.receive([alert({ alertname: 'B', i: '1' }, h.clock.now(), hour)]);
    await h.clock.advance(6 * M);
    h.alerting.receive([alert({ alertname: 'A', i: '2' }, h.clock.now(), hour)]);
    await h.clock.advance(5 * M);
    expect(rec.sent).toHaveLength(0);
    expect(rec.calls).toBeGreaterThan(3);
    down = false;
    await h.clock.advance(2 * M);
    await h.alerting.idle();
    // A's flush at 10 m 30 s, with A2, superseded the queued one: the newer state is what arrives.
    expect(rec.summary()).toEqual(['A1,A2|', 'B1|']);
  });

  it('does not retry a permanent failure and hands it to the fallback receiver', async () => {
    const slack = new RecordingIntegration();
    slack.failures.push(permanent('invalid_auth'));
    const mail = new RecordingIntegration();
    const h = startHarness(simpleRoute(), { team: [slack], oncall: [mail] }, {
      receivers: [receiverConfig('team', { fallback: 'oncall' }), receiverConfig('oncall')],
    });
    h.alerting.receive([alert({ alertname: 'A', i: '1' }, h.clock.now())]);
    await h.clock.advance(30 * S);
    await h.alerting.idle();
    await h.clock.advance(4 * M);
    expect(slack.calls).toBe(1);
    expect(mail.summary()).toEqual(['A1|']);
    // The group's next flush decides afresh: one more attempt per group_interval, no storm.
    await h.clock.advance(1 * M);
    await h.alerting.idle();
    expect(slack.calls).toBe(2);
  });

  it('after a restart sends what was queued and nothing that was recorded as sent', async () => {
    const rec = new RecordingIntegration();
    const first = startHarness(simpleRoute(), { team: [rec] });
    const t0 = first.clock.now();
    first.alerting.receive([alert({ alertname: 'A', i: '1' }, t0, { endsAt: t0 + 3600_000 }), alert({ alertname: 'B', i: '1' }, t0, { endsAt: t0 + 3600_000 })]);
    rec.failures.push(retryable(), retryable(), retryable(), retryable());
    await first.clock.advance(30 * S);
    await first.clock.advance(2 * S);
    await first.alerting.stop();
    first.db.close();
    const delivered = rec.summary();
    expect(delivered.length).toBeLessThan(2);

    const again = new RecordingIntegration();
    const second = startHarness(simpleRoute(), { team: [again] }, { dir: first.dir, clock: first.clock });
    await second.clock.advance(1 * M);
    await second.alerting.idle();
    expect([...delivered, ...again.summary()].sort()).toEqual(['A1|', 'B1|']);
    // Nothing more until something changes or repeat_interval passes.
    await second.clock.advance(30 * M);
    await second.alerting.idle();
    expect([...delivered, ...again.summary()]).toHaveLength(2);
  });
});

describe('Alerting receiver options', () => {
  it('rate_limit holds a receiver to its count per interval, delivering the rest later in order', async () => {
    const rec = new RecordingIntegration();
    const h = startHarness(simpleRoute(), { team: [rec] }, { receivers: [receiverConfig('team', { rateLimit: { count: 2, interval: M } })] });
    const t0 = h.clock.now();
    h.alerting.receive(['A', 'B', 'C', 'D'].map((name) => alert({ alertname: name, i: '1' }, t0, { endsAt: t0 + 3600_000 })));
    await h.clock.advance(30 * S);
    await h.alerting.quiet();
    expect(rec.sent).toHaveLength(2);
    await h.clock.advance(30 * S);
    await h.alerting.quiet();
    expect(rec.sent).toHaveLength(3);
    await h.clock.advance(30 * S);
    await h.alerting.idle();
    expect(rec.summary()).toEqual(['A1|', 'B1|', 'C1|', 'D1|']);
  });

  it("mute and active time intervals hold back a route's notifications while they say so", async () => {
    const rec = new RecordingIntegration();
    let muted = true;
    const h = startHarness(simpleRoute({ muteTimeIntervals: ['maintenance'] }), { team: [rec] }, { intervalsActive: (names) => names.includes('maintenance') && muted });
    const t0 = h.clock.now();
    h.alerting.receive([alert({ alertname: 'A', i: '1' }, t0, { endsAt: t0 + 3600_000 })]);
    await h.clock.advance(30 * S);
    await h.alerting.idle();
    expect(rec.sent).toHaveLength(0);
    muted = false;
    await h.clock.advance(5 * M);
    await h.alerting.idle();
    expect(rec.summary()).toEqual(['A1|']);
  });

  it('silences and inhibitions mute through the one mute stage', async () => {
    const rec = new RecordingIntegration();
    const h = startHarness(simpleRoute({ groupBy: [] }), { team: [rec] }, {
      silences: { mutes: (l) => l.get('alertname') === 'Silenced' },
      inhibitor: { mutes: (l) => l.get('alertname') === 'Inhibited' },
    });
    const t0 = h.clock.now();
    h.alerting.receive(['Silenced', 'Inhibited', 'Shown'].map((name) => alert({ alertname: name, i: '1' }, t0, { endsAt: t0 + 3600_000 })));
    await h.clock.advance(30 * S);
    await h.alerting.idle();
    expect(rec.summary()).toEqual(['Shown1|']);
  });
});
