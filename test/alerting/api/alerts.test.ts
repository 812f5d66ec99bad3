import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getAlertsHandler, postAlertsHandler, statusHandler, type AlertsAPIOptions } from '../../../alerting/api/alerts.js';
import { HttpServer } from '../../../cli/server.js';
import { startPrometheus, type PrometheusServer } from '../../support/prometheus.js';
import { RecordingIntegration, simpleRoute } from '../support/recording.js';
import { startHarness, type Harness } from '../support/harness.js';

let server: HttpServer | undefined;
let h: Harness | undefined;
let prom: PrometheusServer | undefined;

afterEach(async () => {
  await prom?.stop();
  prom = undefined;
  await server?.close();
  server = undefined;
  await h?.alerting.stop();
  h = undefined;
});

async function start(over: Partial<AlertsAPIOptions> = {}, clock: 'virtual' | 'real' = 'virtual'): Promise<string> {
  h = startHarness(simpleRoute(), { team: [new RecordingIntegration()] });
  const now = clock === 'real' ? () => Date.now() : () => h!.clock.now();
  const o: AlertsAPIOptions = {
    alerting: h.alerting, now, resolveTimeoutMs: 300_000,
    silencedBy: (labels) => (labels.get('silenced') === 'yes' ? ['s-1'] : []),
    receiversOf: () => ['team'],
    ...over,
  };
  server = new HttpServer();
  server
    .route('POST', '/api/v2/alerts', postAlertsHandler(o))
    .route('GET', '/api/v2/alerts', getAlertsHandler(o))
    .route('GET', '/api/v2/status', statusHandler({ started: 0, version: '0.1.0', configSummary: () => 'receivers: [team]\n' }));
  const a = await server.listen('127.0.0.1:0');
  return `http://127.0.0.1:${a.port}`;
}

const post = (url: string, body: unknown) =>
  fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('POST /api/v2/alerts', () => {
  it('takes alerts, filling in startsAt and a resolve_timeout end as Alertmanager does', async () => {
    const url = await start();
    const now = h!.clock.now();
    const res = await post(url, [
      { labels: { alertname: 'GPUXidError', gpu: '3' }, annotations: { summary: 'XID 79' } },
      { labels: { alertname: 'Done' }, endsAt: new Date(now - 1000).toISOString() },
    ]);
    expect(res.status).toBe(200);
    const alerts = [...h!.alerting.store.values()];
    const xid = alerts.find((a) => a.labels.get('alertname') === 'GPUXidError')!;
    expect(xid).toMatchObject({ startsAt: now, endsAt: now + 300_000, timeout: true, updatedAt: now });
    const done = alerts.find((a) => a.labels.get('alertname') === 'Done')!;
    expect(done.startsAt).toBe(now - 1000);
    expect(done.timeout).toBe(false);
  });

  it('answers 400 with every problem and still takes the valid alerts', async () => {
    const url = await start();
    const res = await post(url, [
      { labels: {} },
      { labels: { alertname: 'Fine' } },
      { labels: { '0bad': 'x' } },
      { labels: { a: 'b' }, startsAt: '2026-01-02T00:00:00Z', endsAt: '2026-01-01T00:00:00Z' },
      { labels: { a: 'b' }, startsAt: 'yesterday' },
      { labels: { a: 1 } },
    ]);
    expect(res.status).toBe(400);
    const msg = (await res.json()) as string;
    expect(msg).toContain('alerts[0]: at least one label pair required');
    expect(msg).toContain('alerts[2]: invalid label name "0bad"');
    expect(msg).toContain('alerts[3]: start time must be before end time');
    expect(msg).toContain('alerts[4]: startsAt: invalid RFC 3339 time');
    expect(msg).toContain('alerts[5]: labels.a must be a string');
    expect([...h!.alerting.store.values()].map((a) => a.labels.get('alertname'))).toEqual(['Fine']);
  });

  it('rejects malformed JSON, a non-array body and a body over the limit, keeping what was stored', async () => {
    const url = await start({ bodyLimit: 1024 });
    await post(url, [{ labels: { alertname: 'Kept' } }]);
    expect((await post(url, '[{"labels":')).status).toBe(400);
    expect((await post(url, { labels: { a: 'b' } })).status).toBe(400);
    const big = [{ labels: { alertname: 'Big', note: 'x'.repeat(2000) } }];
    expect((await post(url, big)).status).toBe(413);
    expect([...h!.alerting.store.values()].map((a) => a.labels.get('alertname'))).toEqual(['Kept']);
  });

  it('answers 429 with Retry-After when a source is over its limit', async () => {
    let budget = 1;
    const url = await start({ admit: () => budget-- > 0 });
    expect((await post(url, [{ labels: { alertname: 'A' } }])).status).toBe(200);
    const res = await post(url, [{ labels: { alertname: 'B' } }]);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(h!.alerting.store.size).toBe(1);
  });
});

describe('GET /api/v2/alerts and /api/v2/status', () => {
  it('lists active alerts in the GettableAlert shape, with silences and the active filter', async () => {
    const url = await start();
    await post(url, [{ labels: { alertname: 'A' }, annotations: { summary: 's' } }, { labels: { alertname: 'B', silenced: 'yes' } }]);
    const all = (await (await fetch(`${url}/api/v2/alerts`)).json()) as { labels: Record<string, string>; fingerprint: string; status: { state: string; silencedBy: string[] }; receivers: { name: string }[] }[];
    expect(all).toHaveLength(2);
    const a = all.find((x) => x.labels['alertname'] === 'A')!;
    expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(a.status).toEqual({ state: 'active', silencedBy: [], inhibitedBy: [] });
    expect(a.receivers).toEqual([{ name: 'team' }]);
    const b = all.find((x) => x.labels['alertname'] === 'B')!;
    expect(b.status).toMatchObject({ state: 'suppressed', silencedBy: ['s-1'] });
    const unsilenced = (await (await fetch(`${url}/api/v2/alerts?silenced=false`)).json()) as unknown[];
    expect(unsilenced).toHaveLength(1);
    const status = (await (await fetch(`${url}/api/v2/status`)).json()) as { cluster: { status: string }; config: { original: string } };
    expect(status.cluster.status).toBe('disabled');
    expect(status.config.original).toContain('receivers');
  });
});

describe('Prometheus 2.42 (Debian) sending to vigil as its Alertmanager', () => {
  it('delivers its firing alerts through the v2 API', async () => {
    const url = await start({}, 'real');
    const dir = mkdtempSync(join(tmpdir(), 'vigil-prom-am-'));
    writeFileSync(
      join(dir, 'rules.yml'),
      `groups:
  - name: peer
    interval: 1s
    rules:
      - alert: VigilPeerTest
        expr: vector(1)
        labels: {severity: page}
        annotations: {summary: 'sent by Prometheus'}
`,
    );
    prom = await startPrometheus(`global: {evaluation_interval: 1s}
rule_files: ['${join(dir, 'rules.yml')}']
alerting:
  alertmanagers:
    - api_version: v2
      static_configs: [{targets: ['${url.replace('http://', '')}']}]
`, { args: ['--rules.alert.resend-delay=1s'] }); // its first send can race its Alertmanager discovery
    const deadline = Date.now() + 20_000;
    while (h!.alerting.store.size === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const [alert] = [...h!.alerting.store.values()];
    expect(alert?.labels.toRecord()).toEqual({ alertname: 'VigilPeerTest', severity: 'page' });
    expect(alert!.annotations.get('summary')).toBe('sent by Prometheus');
    expect(alert!.generatorURL).toContain('/graph?g0.expr=vector');
    // Prometheus sets the end itself (now + 4 x max(resend delay, evaluation interval)), so vigil's
    // resolve_timeout does not apply.
    expect(alert!.timeout).toBe(false);
    expect(alert!.endsAt).toBeGreaterThan(Date.now());
  });
});
