import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../../alerting/notify/types.js';
import { parseTemplateFiles } from '../../../../alerting/notify/template.js';
import { buildMessage } from '../../../../alerting/receivers/slack/message.js';
import { renderOverrides } from '../../../../alerting/receivers/slack/templates.js';
import { Labels } from '../../../../model/labels.js';
import { createLogger, nopLogger } from '../../../../util/log.js';

// title and text templates, rendered by vigil's shared Go template renderer (alerting/notify/template.ts).

const T0 = Date.UTC(2024, 4, 1, 12, 0);

const n: Notification = {
  receiver: 'ml-oncall',
  groupKey: 'k',
  groupLabels: Labels.from({ alertname: 'ModelDown' }),
  alerts: [
    {
      labels: Labels.from({ alertname: 'ModelDown', cluster: 'prod-eu', model: 'llama-70b' }),
      annotations: Labels.from({ summary: 'llama-70b serves no requests' }),
      startsAt: T0,
      endsAt: T0 + 3600_000,
      generatorURL: '',
      updatedAt: T0,
      timeout: true,
    },
  ],
  now: T0 + 60_000,
  externalURL: 'https://vigil.example.com',
  state: {},
};

describe('renderOverrides', () => {
  it('renders nothing when no template is set', async () => {
    expect(await renderOverrides({ title: undefined, text: undefined }, n, undefined, nopLogger)).toEqual({});
  });

  it('renders title and text over the notification data, with the config template files', async () => {
    const files = parseTemplateFiles([{ path: 'slack.tmpl', text: '{{ define "where" }}{{ .CommonLabels.cluster }}{{ end }}' }]);
    const o = await renderOverrides(
      { title: '{{ .Status | toUpper }}: {{ .CommonLabels.alertname }} on {{ template "where" . }}', text: '{{ range .Alerts }}*{{ .Annotations.summary }}*{{ end }}' },
      n,
      files,
      nopLogger,
    );
    expect(o).toEqual({ title: 'FIRING: ModelDown on prod-eu', summary: '*llama-70b serves no requests*' });
    const m = buildMessage(n, o);
    expect(m.blocks[0]).toMatchObject({ type: 'header', text: { text: ':rotating_light: FIRING: ModelDown on prod-eu' } });
    expect(m.blocks.some((b) => b.type === 'section' && b.text.text === '*llama-70b serves no requests*')).toBe(true);
  });

  it('falls back to the default, with a warning, when a template fails or renders nothing', async () => {
    const lines: string[] = [];
    const logger = createLogger({ format: 'json', write: (l) => lines.push(l) });
    const o = await renderOverrides({ title: '{{ index .Alerts 5 }}', text: '  {{ if false }}x{{ end }} ' }, n, undefined, logger);
    expect(o).toEqual({});
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', msg: 'slack title template failed; the default is used' });
    expect(lines[0]).toContain('index out of range');
  });
});
