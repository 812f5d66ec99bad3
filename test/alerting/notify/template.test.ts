import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { templateData, type TemplateData } from '../../../alerting/notify/data.js';
import { parseTemplateFiles, renderTemplate } from '../../../alerting/notify/template.js';
import { TemplateParseError } from '../../../rules/template/parse.js';
import { alert, notification, T0, xidAlerts } from './fixtures.js';

const firing = () => templateData(notification(xidAlerts()));

/** DATA_SETS are notifications whose rendering vigil must share with Alertmanager. */
function dataSets(): Record<string, TemplateData> {
  const resolvedAt = T0 - 1000;
  return {
    'two firing, common labels beyond the group': firing(),
    'one firing, one resolved': templateData(
      notification([
        alert({ alertname: 'GPUXidError', cluster: 'a', gpu: '3' }),
        alert({ alertname: 'GPUXidError', cluster: 'a', gpu: '4' }, { endsAt: resolvedAt }),
      ]),
    ),
    'all resolved': templateData(notification([alert({ alertname: 'QueueBacklog', queue: 'q1' }, { endsAt: resolvedAt })], { groupLabels: { alertname: 'QueueBacklog' } })),
    'grouped by several labels, alertname first': templateData(
      notification([alert({ alertname: 'HighLatency', zone: 'z', model: 'llama', version: 'v2', namespace: 'serving' })], {
        groupLabels: { alertname: 'HighLatency', namespace: 'serving', zone: 'z' },
      }),
    ),
    'no group labels': templateData(
      notification([alert({ alertname: 'A', team: 'ml' }), alert({ alertname: 'B', team: 'ml' })], { groupLabels: {} }),
    ),
    'common labels equal to the group labels': templateData(notification([alert({ alertname: 'GPUXidError' })])),
  };
}

/** amtool renders `text` against `data` with Alertmanager's default templates (amtool 0.25, Debian). */
function amtoolRender(text: string, data: TemplateData): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-amtool-'));
  const file = join(dir, 'data.json');
  writeFileSync(file, JSON.stringify(data));
  return execFileSync('amtool', ['template', 'render', '--template.glob=/usr/share/prometheus/alertmanager/*.tmpl', `--template.data=${file}`, `--template.text=${text}`], {
    encoding: 'utf8',
  });
}

describe('renderTemplate: the default subject and Slack title, against amtool 0.25', () => {
  // One amtool run per data set: each expression on its own line.
  const EXPRESSIONS = [
    '{{ template "email.default.subject" . }}',
    '{{ template "slack.default.title" . }}',
    '{{ template "__subject" . }}',
    '{{ . }}',
    '{{ .Alerts.Firing }}',
    '{{ .Alerts.Resolved | len }}',
    '{{ .GroupLabels.SortedPairs }}',
    '{{ .CommonLabels.SortedPairs.Names }} {{ .CommonLabels.Values }}',
    '{{ .CommonLabels.Remove (stringSlice "alertname" "cluster") }}',
    '{{ range .Alerts }}{{ .StartsAt }}|{{ .EndsAt }}|{{ .Fingerprint }};{{ end }}',
    '{{ join "," (.CommonLabels.Remove .GroupLabels.Names).Names }}',
    '{{ range .Alerts }}{{ .Labels.nope }}-{{ .Status | toUpper }}-{{ title .Status }};{{ end }}',
  ];
  const text = EXPRESSIONS.join('\n');

  for (const [name, data] of Object.entries(dataSets())) {
    it(name, async () => {
      const ours = (await renderTemplate(text, data)).split('\n');
      const theirs = amtoolRender(text, data).split('\n');
      EXPRESSIONS.forEach((expr, i) => expect(ours[i], expr).toBe(theirs[i]));
    });
  }

  it('writes the subject as Alertmanager does: [FIRING:N] group values (other common values)', async () => {
    expect(await renderTemplate('{{ template "email.default.subject" . }}', firing())).toBe('[FIRING:2] GPUXidError (a ml critical)');
  });
});

describe('renderTemplate: data', () => {
  it('reads the notification and each alert', async () => {
    const data = templateData(
      notification([alert({ alertname: 'X', gpu: '1' }, { annotations: { summary: 's1' }, generatorURL: 'http://p/g' }), alert({ alertname: 'X', gpu: '2' }, { endsAt: T0 - 1 })], {
        receiver: 'team-ml',
        groupLabels: { alertname: 'X' },
      }),
    );
    const out = await renderTemplate(
      '{{ .Receiver }} {{ .Status }} {{ len .Alerts }} {{ len .Alerts.Firing }} {{ len .Alerts.Resolved }} {{ .ExternalURL }}\n' +
        '{{ range .Alerts }}{{ .Status }} {{ .Labels.gpu }} {{ .Annotations.summary }} {{ .GeneratorURL }} {{ .StartsAt.Unix }} {{ .EndsAt.Format "15:04:05" }}\n{{ end }}' +
        '{{ range .Alerts.Resolved }}{{ .Labels.gpu }}{{ end }} {{ .GroupLabels.alertname }} {{ .CommonAnnotations }}',
      data,
    );
    expect(out).toBe(
      'team-ml firing 2 1 1 http://vigil.example:9093\n' +
        // A firing alert has no end yet: Go's zero time.
        `firing 1 s1 http://p/g ${(T0 - 60_000) / 1000} 00:00:00\n` +
        `resolved 2   ${(T0 - 60_000) / 1000} 12:04:04\n` +
        '2 X map[]',
    );
  });

  it('reads the fingerprint Alertmanager gives the label set', async () => {
    const data = templateData(notification([alert({ alertname: 'X' })]));
    expect(await renderTemplate('{{ (index .Alerts 0).Fingerprint }}', data)).toBe(data.alerts[0]!.fingerprint);
    expect(data.alerts[0]!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('puts alertname first in SortedPairs, Names and Values, the rest by name', async () => {
    const data = templateData(notification([alert({ alertname: 'Z', b: '2', a: '1' })], { groupLabels: { b: '2', alertname: 'Z', a: '1' } }));
    expect(await renderTemplate('{{ range .GroupLabels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}|{{ .GroupLabels.Names }}|{{ .GroupLabels.Values }}', data)).toBe(
      'alertname=Z a=1 b=2 |[alertname a b]|[Z 1 2]',
    );
  });
});

describe('renderTemplate: functions', () => {
  const data = firing();
  const cases: [string, string][] = [
    ['{{ toUpper "gpu" }} {{ toLower "GPU" }} {{ title "gpu xid error" }}', 'GPU gpu Gpu Xid Error'],
    ['{{ join ", " (stringSlice "a" "b" "c") }}', 'a, b, c'],
    ['{{ .CommonLabels.Values | join "/" }}', 'GPUXidError/a/ml/critical'],
    ['{{ match "^GPU" .CommonLabels.alertname }} {{ match "^gpu$" "gpus" }}', 'true false'],
    ['{{ reReplaceAll "(\\\\d+)" "#$1" "gpu3 gpu5" }}', 'gpu#3 gpu#5'],
    ['{{ trimSpace "  xid  " }}', 'xid'],
    ['{{ date "2006-01-02T15:04" (index .Alerts 0).StartsAt }}', '2024-05-01T12:03'],
    ['{{ safeHtml "<b>" }}', '<b>'],
    ['{{ urlquery .Receiver "&x" }}', 'gpu-oncall%26x'],
    ['{{ humanizeDuration 3700 }}', '1h 1m 40s'],
    ['{{ silenceURL .ExternalURL .GroupLabels }}', 'http://vigil.example:9093/#/silences/new?filter=%7Balertname%3D%22GPUXidError%22%7D'],
  ];
  for (const [text, want] of cases) {
    it(text, async () => {
      expect(await renderTemplate(text, data)).toBe(want);
    });
  }

  it('escapes output in HTML mode, except what safeHtml marks as HTML', async () => {
    const evil = templateData(notification([alert({ alertname: 'X', pod: '<img src=x onerror="y">' })]));
    expect(await renderTemplate('<p>{{ .CommonLabels.pod }}</p>{{ safeHtml "<br>" }}', evil, 'body', { html: true })).toBe(
      '<p>&lt;img src=x onerror=&#34;y&#34;&gt;</p><br>',
    );
    expect(await renderTemplate('{{ .CommonLabels.pod }}', evil)).toBe('<img src=x onerror="y">');
  });

  it('refuses an unknown function at parse time, naming the template', async () => {
    await expect(renderTemplate('{{ humanise 1 }}', data, 'headers.Subject')).rejects.toThrow('error parsing template headers.Subject: template: headers.Subject:1: function "humanise" not defined');
  });

  it('says where a template failed while running', async () => {
    await expect(renderTemplate('{{ join "," .Receiver }}', data, 'text')).rejects.toThrow(/error executing template text: template: text:1:3: .*join.*expected \[\]string; got string/);
  });
});

describe('renderTemplate: template files', () => {
  it('calls definitions from the config’s template files, which win over vigil’s defaults', async () => {
    const files = parseTemplateFiles([
      { path: 'a.tmpl', text: '{{ define "__subject" }}[{{ .Status }}] {{ .CommonLabels.alertname }}{{ end }}{{ define "team" }}ml{{ end }}' },
      { path: 'b.tmpl', text: '{{ define "team" }}not this one{{ end }}' },
    ]);
    // email.default.subject is vigil's, and calls __subject: the file's definition is the one run.
    expect(await renderTemplate('{{ template "email.default.subject" . }} / {{ template "team" }}', firing(), 'subject', { files })).toBe('[firing] GPUXidError / ml');
  });

  it('names the file of a definition that does not parse', () => {
    expect(() => parseTemplateFiles([{ path: '/etc/vigil/bad.tmpl', text: '{{ define "x" }}{{ if }}{{ end }}' }])).toThrow(TemplateParseError);
    expect(() => parseTemplateFiles([{ path: '/etc/vigil/bad.tmpl', text: '{{ define "x" }}{{ if }}{{ end }}' }])).toThrow(/template: \/etc\/vigil\/bad\.tmpl:1: missing value for if/);
  });

  it('provides the email bodies by their names, the HTML one escaped', async () => {
    const data = templateData(notification([alert({ alertname: 'X', pod: '<p>' }, { annotations: { runbook_url: 'javascript:alert(1)' } })], { groupLabels: { alertname: 'X' } }));
    const html = await renderTemplate('{{ template "email.default.html" . }}', data, 'html', { html: true });
    expect(html).toContain('pod="&lt;p&gt;"');
    // Only web and mail links become links.
    expect(html).not.toContain('javascript:');
    const text = await renderTemplate('{{ template "email.default.text" . }}', data);
    expect(text.split('\n')[0]).toBe('[FIRING:1] X (<p>)');
    expect(text).toContain('Runbook:   javascript:alert(1)');
  });
});
