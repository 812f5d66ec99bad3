// The email receiver end to end against a real SMTP server (smtp-server 3.21 on 127.0.0.1), read back
// with mailparser 3.14 as a mail client would.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmailConfig } from '../../../../alerting/config/types.js';
import { NotifyError } from '../../../../alerting/notify/types.js';
import { parseTemplateFiles } from '../../../../alerting/notify/template.js';
import { emailIntegration } from '../../../../alerting/receivers/email/integration.js';
import { SmtpSink } from '../../../support/smtp-sink.js';
import { freePort } from '../../../support/ports.js';
import { alert, notification, T0, xidAlerts } from '../../notify/fixtures.js';

const sinks: SmtpSink[] = [];
afterEach(async () => {
  for (const s of sinks.splice(0)) await s.stop();
});

async function sink(opts: Parameters<typeof SmtpSink.start>[0] = {}): Promise<SmtpSink> {
  const s = await SmtpSink.start(opts);
  sinks.push(s);
  return s;
}

function emailConfig(port: number, over: Partial<EmailConfig> = {}): EmailConfig {
  return {
    position: { line: 1, column: 1 },
    sendResolved: false,
    to: 'oncall@example.com, gpu-team@example.com',
    from: 'vigil@example.com',
    smarthost: { host: '127.0.0.1', port },
    hello: 'vigil.test',
    authUsername: undefined,
    authPassword: undefined,
    authIdentity: undefined,
    authSecret: undefined,
    requireTLS: false,
    tlsInsecureSkipVerify: false,
    html: undefined,
    text: undefined,
    headers: new Map(),
    ...over,
  };
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

describe('email integration', () => {
  it('sends one multipart/alternative mail with Alertmanager’s subject, the envelope, ids and both parts', async () => {
    const s = await sink();
    const email = emailIntegration(emailConfig(s.port), 0);
    const state = await email.notify(notification(xidAlerts()), live());

    expect(s.messages).toHaveLength(1);
    const { envelope, mail, hello } = s.messages[0]!;
    expect(envelope).toEqual({ from: 'vigil@example.com', to: ['oncall@example.com', 'gpu-team@example.com'] });
    expect(hello).toBe('vigil.test');
    expect(mail.subject).toBe('[FIRING:2] GPUXidError (a ml critical)');
    expect(mail.from?.text).toBe('vigil@example.com');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : mail.to).toBe('oncall@example.com, gpu-team@example.com');
    expect(mail.date?.getTime()).toBe(T0);
    expect((mail.headers.get('content-type') as { value: string }).value).toBe('multipart/alternative');
    expect(mail.messageId).toMatch(new RegExp(`^<${T0}\\.[0-9a-f]{16}@vigil>$`));
    expect(state).toEqual({ messageId: mail.messageId });
    expect(mail.inReplyTo).toMatch(/^<alert-[0-9a-f]{16}@vigil>$/);
    expect(mail.references).toBe(mail.inReplyTo);

    const text = mail.text ?? '';
    expect(text).toContain('FIRING GPUXidError (critical)');
    expect(text).toContain('Summary:   XID 79 on GPU 3');
    expect(text).toContain('Summary:   XID 48 on GPU 5');
    expect(text).toContain('Runbook:   https://runbooks.example/xid');
    expect(text).toContain('Started:   2024-05-01 12:03:05 UTC');
    expect(text).toContain('Silence:   http://vigil.example:9093/#/silences/new?filter=%7Balertname%3D%22GPUXidError%22%2Ccluster%3D%22a%22%2Cgpu%3D%223%22');

    const html = typeof mail.html === 'string' ? mail.html : '';
    expect(html).toContain('<th style="padding:6px;border:1px solid #ddd">Severity</th>');
    expect(html).toContain('XID 79 on GPU 3');
    expect(html).toContain('XID 48 on GPU 5');
    expect(html).toContain('<a href="https://runbooks.example/xid" style="color:#1565c0">runbook</a>');
    expect(html).toContain('<a href="https://grafana.example/d/gpu" style="color:#1565c0">dashboard</a>');
    expect(html).toContain('<a href="http://prometheus.example/graph?g0.expr=xid" style="color:#1565c0">source</a>');
    expect(html).toContain('href="http://vigil.example:9093/#/silences/new?filter=%7Balertname');
    expect(html).toContain('href="http://vigil.example:9093/#/alerts?receiver=gpu-oncall"');
  });

  it('threads every mail of a group under one id in References and In-Reply-To, and another group under another', async () => {
    const s = await sink();
    const email = emailIntegration(emailConfig(s.port), 0);
    const groupA = { groupKey: '{}:{alertname="GPUXidError"}' };
    await email.notify(notification(xidAlerts(), groupA), live());
    await email.notify(notification(xidAlerts().slice(0, 1), { ...groupA, now: T0 + 300_000 }), live());
    await email.notify(notification([alert({ alertname: 'QueueBacklog', queue: 'q1' })], { groupKey: '{}:{alertname="QueueBacklog"}', groupLabels: { alertname: 'QueueBacklog' } }), live());

    const [a1, a2, b] = s.messages.map((m) => m.mail);
    expect(a1!.references).toBe(a2!.references);
    expect(a1!.inReplyTo).toBe(a2!.inReplyTo);
    expect(a1!.inReplyTo).toBe(a1!.references);
    expect(a1!.messageId).not.toBe(a2!.messageId);
    expect(b!.references).not.toBe(a1!.references);
    expect(b!.inReplyTo).not.toBe(a1!.inReplyTo);
    expect(b!.subject).toBe('[FIRING:1] QueueBacklog (q1)');
  });

  it('escapes label values in the HTML part and keeps them as written in the text part', async () => {
    const s = await sink();
    const email = emailIntegration(emailConfig(s.port), 0);
    const evil = '<script>alert("x")</script>';
    await email.notify(notification([alert({ alertname: 'GPUXidError', pod: evil }, { annotations: { summary: `pod ${evil} & co` } })]), live());

    const { mail } = s.messages[0]!;
    const html = mail.html as string;
    expect(html).not.toContain('<script>');
    expect(html).toContain('pod="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"');
    expect(html).toContain('pod &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co');
    expect(mail.text).toContain(`pod="${evil}"`);
  });

  it('renders headers.Subject and other headers as templates, keeping ASCII values raw and each on one line', async () => {
    const s = await sink();
    const headers = new Map([
      ['Subject', '{{ .Status | toUpper }} {{ .CommonLabels.alertname }} on {{ .CommonLabels.cluster }} ({{ len .Alerts }})'],
      ['X-Vigil-Group', '{{ range .GroupLabels.SortedPairs }}{{ .Name }}="{{ .Value }}"{{ end }}'],
      ['X-Injected', '{{ .CommonLabels.note }}'],
    ]);
    const email = emailIntegration(emailConfig(s.port, { headers }), 0);
    await email.notify(notification([alert({ alertname: 'GPUXidError', cluster: 'a', note: 'one\r\nBcc: victim@example.com' })]), live());

    const { mail, envelope } = s.messages[0]!;
    expect(mail.subject).toBe('FIRING GPUXidError on a (1)');
    expect(mail.headerLines.find((l) => l.key === 'x-vigil-group')?.line).toBe('X-Vigil-Group: alertname="GPUXidError"');
    expect(mail.headers.get('x-injected')).toBe('one Bcc: victim@example.com');
    expect(mail.headers.has('bcc')).toBe(false);
    expect(envelope.to).toEqual(['oncall@example.com', 'gpu-team@example.com']);
  });

  it('uses the text and html templates as configured; an empty html leaves only the text part', async () => {
    const s = await sink();
    const email = emailIntegration(emailConfig(s.port, { text: '{{ template "mail.body" . }}', html: '' }), 0, {
      files: parseTemplateFiles([{ path: 'mail.tmpl', text: '{{ define "mail.body" }}{{ range .Alerts.Firing }}{{ .Labels.gpu }};{{ end }}{{ end }}' }]),
    });
    await email.notify(notification(xidAlerts()), live());
    const { mail } = s.messages[0]!;
    expect(mail.text?.trimEnd()).toBe('3;5;');
    expect(mail.html).toBe(false);
    expect((mail.headers.get('content-type') as { value: string }).value).toBe('text/plain');
  });

  it('authenticates with a password read from a file at each notify', async () => {
    const s = await sink({ auth: { username: 'vigil', password: 's3cret-pw' } });
    const dir = mkdtempSync(join(tmpdir(), 'vigil-email-'));
    const file = join(dir, 'smtp-password');
    writeFileSync(file, 's3cret-pw\n');
    const email = emailIntegration(emailConfig(s.port, { authUsername: 'vigil', authPassword: { file } }), 0);
    await email.notify(notification(xidAlerts()), live());
    expect(s.messages[0]!.user).toBe('vigil');

    writeFileSync(file, 'rotated-wrong-pw\n');
    const err = await notifyError(email.notify(notification(xidAlerts()), live()));
    expect(err.code).toBe('smtp_535');
    expect(err.retryable).toBe(false);
    expect(err.message).not.toContain('rotated-wrong-pw');
    expect(err.message).not.toContain(Buffer.from('rotated-wrong-pw').toString('base64'));
    expect(s.messages).toHaveLength(1);
  });

  it('a missing password file is a permanent error naming the file, not a secret', async () => {
    const s = await sink({ auth: { username: 'vigil', password: 'pw' } });
    const file = join(tmpdir(), 'vigil-no-such-password-file');
    const err = await notifyError(emailIntegration(emailConfig(s.port, { authUsername: 'vigil', authPassword: { file } }), 0).notify(notification(xidAlerts()), live()));
    expect(err.code).toBe('secret');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(file);
  });

  it('a 451 on DATA is a retryable smtp_451, and the next notify goes through', async () => {
    const s = await sink();
    const email = emailIntegration(emailConfig(s.port), 0);
    s.failNext('DATA', 451, 'Requested action aborted: local error');
    const err = await notifyError(email.notify(notification(xidAlerts()), live()));
    expect(err.code).toBe('smtp_451');
    expect(err.retryable).toBe(true);
    expect(s.messages).toHaveLength(0);

    await email.notify(notification(xidAlerts()), live());
    expect(s.messages).toHaveLength(1);
  });

  it('a 550 on RCPT is a permanent smtp_550', async () => {
    const s = await sink();
    s.failNext('RCPT', 550, 'No such user');
    s.failNext('RCPT', 550, 'No such user');
    const err = await notifyError(emailIntegration(emailConfig(s.port), 0).notify(notification(xidAlerts()), live()));
    expect(err.code).toBe('smtp_550');
    expect(err.retryable).toBe(false);
  });

  it('a 554 on DATA is permanent; a 421 greeting is retryable', async () => {
    const s = await sink();
    const email = emailIntegration(emailConfig(s.port), 0);
    s.failNext('DATA', 554, 'Message rejected as spam');
    const rejected = await notifyError(email.notify(notification(xidAlerts()), live()));
    expect([rejected.code, rejected.retryable]).toEqual(['smtp_554', false]);

    s.failNext('CONNECT', 421, 'Too many connections');
    const busy = await notifyError(email.notify(notification(xidAlerts()), live()));
    expect([busy.code, busy.retryable]).toEqual(['smtp_421', true]);
  });

  it('a server that is down is a retryable network error', async () => {
    const port = await freePort();
    const err = await notifyError(emailIntegration(emailConfig(port), 0).notify(notification(xidAlerts()), live()));
    expect(err.code).toBe('network');
    expect(err.retryable).toBe(true);
  });

  it('require_tls upgrades with STARTTLS, and fails permanently on a server without it', async () => {
    const tls = await sink({ starttls: true });
    await emailIntegration(emailConfig(tls.port, { requireTLS: true, tlsInsecureSkipVerify: true }), 0).notify(notification(xidAlerts()), live());
    expect(tls.messages[0]!.secure).toBe(true);

    const plain = await sink();
    const err = await notifyError(emailIntegration(emailConfig(plain.port, { requireTLS: true }), 0).notify(notification(xidAlerts()), live()));
    expect(err.retryable).toBe(false);
    expect(err.code).toBe('tls');
    expect(plain.messages).toHaveLength(0);
  });

  it('stops when the signal aborts, with a retryable aborted error', async () => {
    const s = await sink();
    s.stallNext('DATA');
    const controller = new AbortController();
    const pending = notifyError(emailIntegration(emailConfig(s.port), 0).notify(notification(xidAlerts()), controller.signal));
    // The mail is sent and the server has not answered DATA.
    while (s.waiting === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const err = await pending;
    expect(err.code).toBe('aborted');
    expect(err.retryable).toBe(true);
  });

  it('a template that fails is a permanent template error naming the field', async () => {
    const s = await sink();
    const err = await notifyError(emailIntegration(emailConfig(s.port, { headers: new Map([['Subject', '{{ template "nope" . }}']]) }), 0).notify(notification(xidAlerts()), live()));
    expect(err.code).toBe('template');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('headers.Subject');
    expect(err.message).toContain('template "nope" not defined');
    expect(s.attempts).toBe(0);
  });
});
