// The webhook receiver against a loopback HTTP server that records what it gets.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebhookConfig } from '../../../../alerting/config/types.js';
import { fingerprint } from '../../../../alerting/fingerprint.js';
import { NotifyError } from '../../../../alerting/notify/types.js';
import { webhookIntegration } from '../../../../alerting/receivers/webhook/integration.js';
import { Labels } from '../../../../model/labels.js';
import { VirtualClock } from '../../../../util/clock.js';
import { freePort } from '../../../support/ports.js';
import { WebhookSink } from '../../../support/webhook-sink.js';
import { alert, notification, T0, xidAlerts } from '../../notify/fixtures.js';

const sinks: WebhookSink[] = [];
afterEach(async () => {
  for (const s of sinks.splice(0)) await s.close();
});

async function sink(): Promise<WebhookSink> {
  const s = await WebhookSink.start();
  sinks.push(s);
  return s;
}

function webhookConfig(url: string, over: Partial<WebhookConfig> = {}): WebhookConfig {
  return { position: { line: 1, column: 1 }, sendResolved: true, url: { inline: url }, maxAlerts: 0, bearerToken: undefined, timeout: undefined, ...over };
}

const live = () => new AbortController().signal;

async function notifyError(p: Promise<unknown>): Promise<NotifyError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NotifyError);
  return err as NotifyError;
}

describe('webhook integration', () => {
  it('POSTs Alertmanager’s version 4 payload, field for field', async () => {
    const s = await sink();
    const resolvedAt = T0 - 30_000;
    const alerts = [
      alert({ alertname: 'GPUXidError', gpu: '3', node: 'n1' }, { annotations: { summary: 'XID 79' }, generatorURL: 'http://prom/graph', startsAt: Date.UTC(2024, 4, 1, 12, 0, 0, 500) }),
      alert({ alertname: 'GPUXidError', gpu: '4', node: 'n1' }, { endsAt: resolvedAt }),
    ];
    const n = notification(alerts, { groupKey: '{}/{team="ml"}:{alertname="GPUXidError"}' });
    const result = await webhookIntegration(webhookConfig(s.url), 0, { userAgent: 'vigil/0.1.0' }).notify(n, live());
    expect(result).toBeUndefined();

    expect(s.requests).toHaveLength(1);
    const req = s.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/hook');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['user-agent']).toBe('vigil/0.1.0');
    expect(req.headers['authorization']).toBeUndefined();
    expect(req.raw.endsWith('}\n')).toBe(true);
    expect(Object.keys(req.body as object)).toEqual(['receiver', 'status', 'alerts', 'groupLabels', 'commonLabels', 'commonAnnotations', 'externalURL', 'version', 'groupKey', 'truncatedAlerts']);
    expect(req.body).toEqual({
      receiver: 'gpu-oncall',
      status: 'firing',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'GPUXidError', gpu: '3', node: 'n1' },
          annotations: { summary: 'XID 79' },
          startsAt: '2024-05-01T12:00:00.5Z',
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://prom/graph',
          fingerprint: fingerprint(Labels.from({ alertname: 'GPUXidError', gpu: '3', node: 'n1' })),
        },
        {
          status: 'resolved',
          labels: { alertname: 'GPUXidError', gpu: '4', node: 'n1' },
          annotations: {},
          startsAt: '2024-05-01T12:03:05Z',
          endsAt: '2024-05-01T12:03:35Z',
          generatorURL: '',
          fingerprint: fingerprint(Labels.from({ alertname: 'GPUXidError', gpu: '4', node: 'n1' })),
        },
      ],
      groupLabels: { alertname: 'GPUXidError' },
      commonLabels: { alertname: 'GPUXidError', node: 'n1' },
      commonAnnotations: {},
      externalURL: 'http://vigil.example:9093',
      version: '4',
      groupKey: '{}/{team="ml"}:{alertname="GPUXidError"}',
      truncatedAlerts: 0,
    });
  });

  it('calls the group resolved when no alert fires, and writes <, > and & as Go’s encoder does', async () => {
    const s = await sink();
    const n = notification([alert({ alertname: 'X', pod: '<a&b>' }, { endsAt: T0 })], { groupLabels: { alertname: 'X' } });
    await webhookIntegration(webhookConfig(s.url), 0).notify(n, live());
    const body = s.requests[0]!.body as { status: string; alerts: { labels: Record<string, string> }[] };
    expect(body.status).toBe('resolved');
    expect(body.alerts[0]!.labels['pod']).toBe('<a&b>');
    expect(s.requests[0]!.raw).toContain('"pod":"\\u003ca\\u0026b\\u003e"');
    expect(s.requests[0]!.headers['user-agent']).toBe('vigil');
  });

  it('sends the first max_alerts alerts and counts the rest in truncatedAlerts', async () => {
    const s = await sink();
    const alerts = [1, 2, 3, 4, 5].map((i) => alert({ alertname: 'X', gpu: String(i), pool: i === 1 ? 'a' : 'b' }));
    await webhookIntegration(webhookConfig(s.url, { maxAlerts: 2 }), 0).notify(notification(alerts, { groupLabels: { alertname: 'X' } }), live());
    const body = s.requests[0]!.body as { alerts: { labels: Record<string, string> }[]; truncatedAlerts: number; commonLabels: Record<string, string> };
    expect(body.alerts.map((a) => a.labels['gpu'])).toEqual(['1', '2']);
    expect(body.truncatedAlerts).toBe(3);
    // As in Alertmanager, the common labels are those of the alerts sent.
    expect(body.commonLabels).toEqual({ alertname: 'X' });
  });

  it('sends the bearer token read from its file at each notify', async () => {
    const s = await sink();
    const dir = mkdtempSync(join(tmpdir(), 'vigil-webhook-'));
    const file = join(dir, 'token');
    writeFileSync(file, 'tok-1\n');
    const hook = webhookIntegration(webhookConfig(s.url, { bearerToken: { file } }), 0);
    await hook.notify(notification(xidAlerts()), live());
    writeFileSync(file, 'tok-2\n');
    await hook.notify(notification(xidAlerts()), live());
    expect(s.requests.map((r) => r.headers['authorization'])).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it('reads the URL from an environment variable and keeps it out of errors', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/hooks/SECRET-PATH`;
    const hook = webhookIntegration(webhookConfig('', { url: { env: 'VIGIL_TEST_HOOK' } }), 0, { env: { VIGIL_TEST_HOOK: url } });
    const err = await notifyError(hook.notify(notification(xidAlerts()), live()));
    expect([err.code, err.retryable]).toEqual(['network', true]);
    expect(err.message).not.toContain('SECRET-PATH');
    expect(err.message).toContain('ECONNREFUSED');

    const unset = await notifyError(webhookIntegration(webhookConfig('', { url: { env: 'VIGIL_TEST_HOOK' } }), 0, { env: {} }).notify(notification(xidAlerts()), live()));
    expect([unset.code, unset.retryable]).toEqual(['secret', false]);
  });

  describe('classifies answers', () => {
    const cases: [number, string, boolean][] = [
      [200, '', true],
      [204, '', true],
      [500, 'http_500', true],
      [503, 'http_503', true],
      [429, 'http_429', true],
      [400, 'http_400', false],
      [401, 'http_401', false],
      [404, 'http_404', false],
      [413, 'http_413', false],
    ];
    for (const [status, code, retryableOrOk] of cases) {
      it(`HTTP ${status}`, async () => {
        const s = await sink();
        s.replyNext({ status, body: 'answer' });
        const p = webhookIntegration(webhookConfig(s.url), 0).notify(notification(xidAlerts()), live());
        if (status < 300) {
          await expect(p).resolves.toBeUndefined();
          return;
        }
        const err = await notifyError(p);
        expect(err.code).toBe(code);
        expect(err.retryable).toBe(retryableOrOk);
        expect(err.retryAfterMs).toBeUndefined();
      });
    }
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const s = await sink();
    const clock = new VirtualClock(Date.UTC(2024, 4, 1, 12, 0, 0));
    const hook = webhookIntegration(webhookConfig(s.url), 0, { clock });
    s.replyNext({ status: 429, headers: { 'Retry-After': '7' } });
    const seconds = await notifyError(hook.notify(notification(xidAlerts()), live()));
    expect([seconds.code, seconds.retryable, seconds.retryAfterMs]).toEqual(['http_429', true, 7000]);

    s.replyNext({ status: 503, headers: { 'Retry-After': 'Wed, 01 May 2024 12:01:30 GMT' } });
    const date = await notifyError(hook.notify(notification(xidAlerts()), live()));
    expect([date.code, date.retryAfterMs]).toEqual(['http_503', 90_000]);
  });

  it('gives up after the timeout on the injected clock, retryably', async () => {
    const s = await sink();
    s.replyNext('stall');
    const clock = new VirtualClock(T0);
    const pending = notifyError(webhookIntegration(webhookConfig(s.url, { timeout: 10_000 }), 0, { clock }).notify(notification(xidAlerts()), live()));
    while (s.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    await clock.advance(10_000);
    const err = await pending;
    expect([err.code, err.retryable]).toEqual(['timeout', true]);
  });

  it('stops when the signal aborts', async () => {
    const s = await sink();
    s.replyNext('stall');
    const controller = new AbortController();
    const pending = notifyError(webhookIntegration(webhookConfig(s.url), 0).notify(notification(xidAlerts()), controller.signal));
    while (s.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const err = await pending;
    expect([err.code, err.retryable]).toEqual(['aborted', true]);
  });

  it('refuses a URL that does not parse, permanently and without printing it', async () => {
    const err = await notifyError(webhookIntegration(webhookConfig('not a url with secret'), 0).notify(notification(xidAlerts()), live()));
    expect([err.code, err.retryable]).toEqual(['config', false]);
    expect(err.message).not.toContain('secret');
  });
});
