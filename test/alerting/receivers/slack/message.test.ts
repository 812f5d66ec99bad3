import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Notification } from '../../../../alerting/notify/types.js';
import { buildMessage, SLACK_LIMITS, type SlackMessage } from '../../../../alerting/receivers/slack/index.js';
import type { Alert } from '../../../../alerting/types.js';
import { Labels } from '../../../../model/labels.js';
import { mulberry32 } from '../../../support/prng.js';
import { checkMessage } from '../../../support/slack-fake.js';

// The Block Kit builder. The oracle for "Slack accepts it" is the Slack fake's content check
// (test/support/slack-fake.ts: checkMessage), the same one its HTTP server answers with.

const T0 = Date.UTC(2024, 4, 1, 12, 0);
const MIN = 60_000;

function alert(labels: Record<string, string>, annotations: Record<string, string> = {}, o: { startsAt?: number; endsAt?: number; generatorURL?: string } = {}): Alert {
  return {
    labels: Labels.from(labels),
    annotations: Labels.from(annotations),
    startsAt: o.startsAt ?? T0,
    endsAt: o.endsAt ?? T0 + 24 * 60 * MIN,
    generatorURL: o.generatorURL ?? '',
    updatedAt: T0,
    timeout: true,
  };
}

function notification(alerts: readonly Alert[], o: { now?: number; groupLabels?: Record<string, string>; externalURL?: string } = {}): Notification {
  return {
    receiver: 'ml-oncall',
    groupKey: 'k',
    groupLabels: Labels.from(o.groupLabels ?? { alertname: 'GPUXidError' }),
    alerts,
    now: o.now ?? T0 + 4 * MIN,
    externalURL: o.externalURL ?? 'https://vigil.example.com',
    state: {},
  };
}

const texts = (m: SlackMessage): string[] =>
  m.blocks.flatMap((b) => (b.type === 'context' ? b.elements.map((e) => e.text) : [b.text.text]));
const joined = (m: SlackMessage): string => texts(m).join('\n');

function accepted(m: SlackMessage): void {
  expect(checkMessage({ text: m.text, blocks: m.blocks })).toBeUndefined();
  expect(JSON.stringify(m.blocks).length).toBeLessThanOrEqual(SLACK_LIMITS.blocksChars);
}

describe('buildMessage', () => {
  it('heads a message with the status, firing count and alert names, marked by the worst firing severity', () => {
    const m = buildMessage(
      notification([
        alert({ alertname: 'GPUXidError', severity: 'warning', gpu: '1' }),
        alert({ alertname: 'GPUXidError', severity: 'critical', gpu: '2' }),
        alert({ alertname: 'GPUHot', severity: 'critical', gpu: '3' }, {}, { endsAt: T0 + MIN }),
      ]),
    );
    expect(m.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: ':red_circle: [FIRING:2] GPUXidError, GPUHot', emoji: true } });
    expect(m.text).toBe('[FIRING:2] GPUXidError, GPUHot');
    expect(joined(m)).toContain('2 firing, 1 resolved');
    accepted(m);
  });

  it('marks severities: warning orange, info blue, none a siren, resolved green', () => {
    const head = (alerts: Alert[]) => texts(buildMessage(notification(alerts, { now: T0 + MIN })))[0];
    expect(head([alert({ alertname: 'A', severity: 'warning' })])).toBe(':large_orange_circle: [FIRING:1] A');
    expect(head([alert({ alertname: 'A', severity: 'info' })])).toBe(':large_blue_circle: [FIRING:1] A');
    expect(head([alert({ alertname: 'A' })])).toBe(':rotating_light: [FIRING:1] A');
    expect(head([alert({ alertname: 'A', severity: 'critical' }, {}, { endsAt: T0 })])).toBe(':white_check_mark: [RESOLVED] A');
  });

  it('names a group without alert names by its group label values, as Alertmanager titles do', () => {
    const m = buildMessage(notification([alert({ job: 'vllm' })], { groupLabels: { cluster: 'prod', job: 'vllm' } }));
    expect(texts(m)[0]).toBe(':rotating_light: [FIRING:1] prod vllm');
  });

  it('shows a single alert: shared facts in one context line, its summary in bold with the description, links', () => {
    const a = alert(
      { alertname: 'ModelDown', cluster: 'prod-eu', namespace: 'inference', model: 'llama-70b', severity: 'critical' },
      { summary: 'llama-70b serves no requests', description: 'All replicas fail readiness.', runbook_url: 'https://runbooks.example.com/model-down', dashboard: 'https://grafana.example.com/d/abc?var-model=llama-70b&from=now-1h' },
      { generatorURL: 'http://prometheus:9090/graph?g0.expr=up' },
    );
    const m = buildMessage(notification([a], { groupLabels: { alertname: 'ModelDown', model: 'llama-70b' } }));
    expect(m.blocks.map((b) => b.type)).toEqual(['header', 'context', 'section', 'context']);
    expect(texts(m)[1]).toBe('*Severity* :red_circle: critical  ·  *Cluster* prod-eu  ·  *Namespace* inference  ·  *Model* llama-70b  ·  since 12:00 UTC');
    expect(texts(m)[2]).toBe('*llama-70b serves no requests*\nAll replicas fail readiness.');
    expect(texts(m)[3]).toBe(
      '<https://runbooks.example.com/model-down|Runbook>  ·  ' +
        '<https://grafana.example.com/d/abc?var-model=llama-70b&amp;from=now-1h|Dashboard>  ·  ' +
        '<http://prometheus:9090/graph?g0.expr=up|Source>  ·  ' +
        '<https://vigil.example.com/#/silences/new?filter=%7Balertname%3D%22ModelDown%22%2Cmodel%3D%22llama-70b%22%7D|Silence>',
    );
    expect(m.text).toBe('[FIRING:1] ModelDown — *llama-70b serves no requests*\nAll replicas fail readiness.');
    accepted(m);
  });

  it('shows burn rate and SLO from the labels vigil\'s SLO compiler puts on alerts (examples/compiled)', () => {
    const file = new URL('../../../../examples/compiled/prometheus/vllm-availability.rules.yml', import.meta.url);
    const doc = parse(readFileSync(file, 'utf8')) as { groups: { rules: { alert?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[] }[] };
    const rule = doc.groups.flatMap((g) => g.rules).find((r) => r.alert === 'SLOErrorBudgetBurn')!;
    const labels = { alertname: rule.alert!, namespace: 'tenant-a', ...rule.labels };
    const plain = buildMessage(notification([alert(labels, { runbook_url: rule.annotations!['runbook_url']!, summary: 'vllm burning' })]));
    expect(joined(plain)).toContain('*SLO* vllm / vllm-availability (page)');
    expect(joined(plain)).toContain('*Burn rate* over 14.4x over 1h and 5m');
    expect(joined(plain)).toContain('<https://runbooks.example.com/vllm/availability|Runbook>');

    const observed = buildMessage(notification([alert(labels, { burn_rate: '20.123456', budget_remaining: '0.4213' })]));
    expect(joined(observed)).toContain('*Burn rate* 20.1x over 1h and 5m (threshold 14.4x)');
    expect(joined(observed)).toContain('*Budget left* 42.1%');
  });

  it("reads Sloth's alert labels too", () => {
    const a = alert({ alertname: 'MyServiceHighErrorRate', sloth_service: 'myservice', sloth_slo: 'requests-availability', sloth_severity: 'page', window: '1h' }, { error_budget_remaining: '15%' });
    const text = joined(buildMessage(notification([a])));
    expect(text).toContain('*Severity* :red_circle: page');
    expect(text).toContain('*SLO* myservice / requests-availability');
    expect(text).toContain('*Budget left* 15%');
  });

  it('lists the alerts of a group with what tells them apart; shared facts are said once', () => {
    const alerts = [0, 1, 2].map((i) =>
      alert({ alertname: 'GPUXidError', cluster: 'prod-eu', model: i === 2 ? 'mistral' : 'llama-70b', gpu: String(i), instance: 'node-7' }, { summary: 'GPU Xid errors' }, { generatorURL: `http://prom/graph?g=${i}` }),
    );
    const m = buildMessage(notification([...alerts.slice(0, 2), { ...alerts[2]!, endsAt: T0 + 2 * MIN }]));
    const t = texts(m);
    expect(t[1]).toContain('*Cluster* prod-eu');
    expect(t[1]).not.toContain('*Model*');
    expect(t[2]).toBe('*GPU Xid errors*');
    expect(t).toContain(':rotating_light: *gpu=0*\n*Model* llama-70b\nsince 12:00 UTC  ·  <http://prom/graph?g=0|Source>');
    expect(t).toContain(':white_check_mark: *gpu=2*\n*Model* mistral\nresolved 12:02 UTC  ·  <http://prom/graph?g=2|Source>');
  });

  it('escapes &, < and > in every value that comes from an alert', () => {
    const a = alert({ alertname: 'X', model: '<m>', 'pod': 'a&b' }, { summary: '<!channel> <@U123> & <https://evil|x>' });
    const b = alert({ alertname: 'X', model: 'ok', pod: '<!here>' }, { summary: 'fine' });
    const all = joined(buildMessage(notification([a, b])));
    expect(all).toContain('&lt;!channel&gt; &lt;@U123&gt; &amp; &lt;https://evil|x&gt;');
    expect(all).toContain('*Model* &lt;m&gt;');
    expect(all).toContain('pod=a&amp;b');
    expect(all).toContain('pod=&lt;!here&gt;');
    expect(all.match(/<[^>]*>/g)?.every((l) => l.startsWith('<https://vigil.example.com/'))).toBe(true);
  });

  it('links only absolute http(s) URLs', () => {
    const m = buildMessage(notification([alert({ alertname: 'X' }, { runbook_url: '/wiki/x', dashboard_url: 'javascript:alert(1)' })], { externalURL: '' }));
    expect(m.blocks.map((b) => b.type)).toEqual(['header', 'context']);
  });

  it('silences by the labels all alerts share when the group has no group labels', () => {
    const m = buildMessage(notification([alert({ alertname: 'A', team: 'ml', x: '1' }), alert({ alertname: 'A', team: 'ml', x: '2' })], { groupLabels: {} }));
    expect(joined(m)).toContain('new?filter=' + encodeURIComponent('{alertname="A",team="ml"}') + '|Silence>');
  });

  it('applies the title, summary and note options', () => {
    const m = buildMessage(notification([alert({ alertname: 'A' })]), { title: 'Custom <title>', summary: '*mine*', note: ':fire: 1 new alert' });
    expect(texts(m).slice(0, 4)).toEqual([':rotating_light: Custom <title>', ':fire: 1 new alert', 'since 12:00 UTC', '*mine*']);
    expect(m.text).toBe(':fire: 1 new alert — Custom &lt;title&gt; — *mine*');
  });

  it('folds 40 alerts into "+N more" within 50 blocks', () => {
    const alerts = Array.from({ length: 40 }, (_, i) => alert({ alertname: 'A', pod: `p${i}` }, {}, i % 4 === 3 ? { endsAt: T0 } : {}));
    const m = buildMessage(notification(alerts));
    const sections = m.blocks.filter((b) => b.type === 'section');
    expect(sections).toHaveLength(20);
    expect(texts(m).at(-1)).toBe('+20 more alerts (15 firing, 5 resolved)');
    expect(buildMessage(notification(alerts), { maxAlertSections: 100 }).blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    accepted(m);
  });

  it('truncates long values with an ellipsis and stays within every limit', () => {
    const huge = '"<&>\\'.repeat(2000);
    const alerts = Array.from({ length: 60 }, (_, i) =>
      alert({ alertname: 'A'.repeat(200), [`l${i}`]: huge.slice(0, 500) }, { summary: huge, description: huge, runbook_url: `https://x/${'a'.repeat(2900)}` }),
    );
    const m = buildMessage(notification(alerts, { groupLabels: { alertname: 'A'.repeat(200) } }), { maxAlertSections: 100 });
    expect(texts(m)[0]!.length).toBe(150);
    expect(texts(m)[0]!.endsWith('…')).toBe(true);
    expect(texts(m).filter((t) => t.endsWith('…')).length).toBeGreaterThan(2);
    accepted(m);
  });

  it('stays within Slack limits for random groups (seeded)', () => {
    const rnd = mulberry32(20240501);
    // Characters picked by UTF-16 unit, so values also hold lone surrogates, as JSON input can.
    const piece = (n: number) => Array.from({ length: n }, () => 'ab<&>"*_é😀\n'[Math.floor(rnd() * 12)]).join('');
    const str = (max: number) => piece(16).repeat(Math.ceil(max / 16)).slice(0, Math.floor(rnd() * max));
    for (let run = 0; run < 40; run++) {
      const count = 1 + Math.floor(rnd() * 120);
      const alerts = Array.from({ length: count }, (_, i) =>
        alert(
          { alertname: `A${Math.floor(rnd() * 3)}${str(100)}`, model: str(300), namespace: str(50), i: String(i), severity: ['critical', 'warning', 'info', ''][Math.floor(rnd() * 4)]! },
          { summary: str(4000), description: str(6000), runbook_url: rnd() < 0.5 ? `https://r/${str(3000)}` : '', burn_rate: String(rnd() * 100) },
          { endsAt: rnd() < 0.3 ? T0 : T0 + 60 * MIN },
        ),
      );
      const m = buildMessage(notification(alerts, { groupLabels: { model: str(2000) } }), { maxAlertSections: 1 + Math.floor(rnd() * 60) });
      accepted(m);
    }
  });
});
