import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebhookSink } from '../support/webhook-sink.js';
import { startVigilProcess, type VigilProcess } from '../support/vigil-process.js';

/** `vigil run`: a rule fires, its alert goes through vigil's own alerting, and a webhook receives it. */
describe('rules to receivers in one vigil', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-alerting-'));
  let vigil: VigilProcess | undefined;
  let sink: WebhookSink | undefined;
  afterAll(async () => {
    vigil?.child.kill('SIGKILL');
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers a firing rule alert to the webhook, with its labels and annotations', async () => {
    sink = await WebhookSink.start();
    writeFileSync(
      join(dir, 'rules.yml'),
      `groups:
  - name: always
    rules:
      - alert: AlwaysFiring
        expr: vector(1)
        labels: {severity: page, team: ml}
        annotations: {summary: 'fires at every evaluation'}
`,
    );
    writeFileSync(
      join(dir, 'am.yml'),
      `route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
receivers:
  - name: hook
    webhook_configs: [{url: '${sink.url}'}]
`,
    );
    writeFileSync(join(dir, 'vigil.yaml'), `global: {evaluation_interval: 1s}\nrule_files: [rules.yml]\nalerting: {config_file: am.yml}\nstorage: {embedded: {path: data}}\n`);
    vigil = await startVigilProcess(join(dir, 'vigil.yaml'));
    const deadline = Date.now() + 15_000;
    while (sink.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(sink.requests.length).toBeGreaterThanOrEqual(1);
    const body = sink.requests[0]!.body as { version: string; status: string; groupLabels: Record<string, string>; alerts: { labels: Record<string, string>; annotations: Record<string, string>; generatorURL: string }[] };
    expect(body).toMatchObject({ version: '4', status: 'firing', groupLabels: { alertname: 'AlwaysFiring' } });
    expect(body.alerts[0]!.labels).toEqual({ alertname: 'AlwaysFiring', severity: 'page', team: 'ml' });
    expect(body.alerts[0]!.annotations).toEqual({ summary: 'fires at every evaluation' });
    expect(body.alerts[0]!.generatorURL).toContain(vigil.url);
  });
});
