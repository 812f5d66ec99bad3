// The outbox receiver writes what the email receiver would send: each .eml is read back with
// mailparser 3.14 as a mail client would, and compared with the same notification mailed through
// the email receiver to a real SMTP server (smtp-server 3.21 on 127.0.0.1).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmailConfig, OutboxConfig } from '../../../../alerting/config/types.js';
import { NotifyError } from '../../../../alerting/notify/types.js';
import { threadId } from '../../../../alerting/receivers/email/index.js';
import { emailIntegration } from '../../../../alerting/receivers/email/integration.js';
import { outboxIntegration } from '../../../../alerting/receivers/outbox/index.js';
import { SmtpSink } from '../../../support/smtp-sink.js';
import { alert, notification, T0, xidAlerts } from '../../notify/fixtures.js';

const dirs: string[] = [];
let sink: SmtpSink | undefined;
afterEach(async () => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  await sink?.stop();
  sink = undefined;
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'vigil-outbox-'));
  dirs.push(d);
  return d;
}

function outboxConfig(directory: string, over: Partial<OutboxConfig> = {}): OutboxConfig {
  return {
    position: { line: 1, column: 1 },
    sendResolved: true,
    directory,
    to: 'oncall@example.com',
    from: 'vigil@example.com',
    html: undefined,
    text: undefined,
    headers: new Map(),
    ...over,
  };
}

const live = () => new AbortController().signal;

describe('outbox integration', () => {
  it('writes one .eml per notification, named by time, status and alertname, with Alertmanager’s subject and both parts', async () => {
    const dir = join(tempDir(), 'nested', 'outbox');
    const n = notification(xidAlerts());
    const state = await outboxIntegration(outboxConfig(dir), 0).notify(n, live());

    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^20240501T120405\.000Z-firing-GPUXidError-[0-9a-f]{8}\.eml$/);
    expect(state).toEqual({ file: join(dir, files[0]!) });
    const raw = readFileSync(join(dir, files[0]!));
    expect(raw.toString('latin1')).toMatch(/^[^\n]*\r\n/);
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe('[FIRING:2] GPUXidError (a ml critical)');
    expect(mail.from?.text).toBe('vigil@example.com');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : mail.to).toBe('oncall@example.com');
    expect(mail.date?.getTime()).toBe(T0);
    expect((mail.headers.get('content-type') as { value: string }).value).toBe('multipart/alternative');
    expect(mail.messageId).toMatch(new RegExp(`^<${T0}\\.[0-9a-f]{16}@vigil>$`));
    expect(files[0]).toContain(mail.messageId!.slice(T0.toString().length + 2, T0.toString().length + 10));
    expect(mail.inReplyTo).toBe(threadId(n.groupKey));
    expect(mail.references).toBe(mail.inReplyTo);
    expect(mail.text).toContain('Summary:   XID 79 on GPU 3');
    expect(typeof mail.html === 'string' ? mail.html : '').toContain('XID 48 on GPU 5');
  });

  it('writes the same message the email receiver sends over SMTP', async () => {
    sink = await SmtpSink.start();
    const dir = tempDir();
    const headers = new Map([['Subject', '{{ .Status | toUpper }} {{ .CommonLabels.alertname }}'], ['X-Team', 'gpu']]);
    const emailConfig: EmailConfig = {
      ...outboxConfig(dir, { headers, to: 'ml-oncall@example.com' }),
      smarthost: { host: '127.0.0.1', port: sink.port },
      hello: 'vigil.test',
      authUsername: undefined,
      authPassword: undefined,
      authIdentity: undefined,
      authSecret: undefined,
      requireTLS: false,
      tlsInsecureSkipVerify: false,
    };
    const n = notification(xidAlerts());
    await emailIntegration(emailConfig, 0).notify(n, live());
    await outboxIntegration(outboxConfig(dir, { headers, to: 'ml-oncall@example.com' }), 0).notify(n, live());

    const sent = sink.messages[0]!.mail;
    const written = await simpleParser(readFileSync(join(dir, readdirSync(dir)[0]!)));
    expect(written.subject).toBe('FIRING GPUXidError');
    for (const m of [sent, written]) expect(m.headers.get('x-team')).toBe('gpu');
    const facts = (m: typeof sent) => ({
      subject: m.subject,
      from: m.from?.text,
      to: m.to && !Array.isArray(m.to) ? m.to.text : undefined,
      date: m.date?.getTime(),
      inReplyTo: m.inReplyTo,
      references: m.references,
      contentType: (m.headers.get('content-type') as { value: string }).value,
      text: m.text,
      html: m.html,
    });
    expect(facts(written)).toEqual(facts(sent));
  });

  it('writes resolved notifications when send_resolved, named `resolved`', async () => {
    const dir = tempDir();
    const resolved = notification([alert({ alertname: 'QueueBacklog', queue: 'embeddings' }, { endsAt: T0 - 1000 })], { groupLabels: { queue: 'embeddings' } });
    await outboxIntegration(outboxConfig(dir), 0).notify(resolved, live());
    const [file] = readdirSync(dir);
    expect(file).toMatch(/^20240501T120405\.000Z-resolved-QueueBacklog-[0-9a-f]{8}\.eml$/);
    expect((await simpleParser(readFileSync(join(dir, file!)))).subject).toBe('[RESOLVED] embeddings (QueueBacklog)');
    expect(outboxIntegration(outboxConfig(dir, { sendResolved: false }), 0).sendResolved).toBe(false);
  });

  it('keeps every notification: two flushes at the same instant are two files', async () => {
    const dir = tempDir();
    const outbox = outboxIntegration(outboxConfig(dir), 0);
    await outbox.notify(notification(xidAlerts()), live());
    await outbox.notify(notification(xidAlerts()), live());
    expect(readdirSync(dir).filter((f) => f.endsWith('.eml'))).toHaveLength(2);
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('fails permanently when the directory is a file, and leaves nothing behind', async () => {
    const file = join(tempDir(), 'not-a-dir');
    writeFileSync(file, 'x');
    const err = await outboxIntegration(outboxConfig(file), 0).notify(notification(xidAlerts()), live()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NotifyError);
    expect((err as NotifyError).retryable).toBe(false);
    expect((err as NotifyError).message).toBe(`outbox: cannot write to ${file}: EEXIST`);
  });

  it('stops before writing when aborted', async () => {
    const dir = join(tempDir(), 'outbox');
    const abort = new AbortController();
    abort.abort();
    await expect(outboxIntegration(outboxConfig(dir), 0).notify(notification(xidAlerts()), abort.signal)).rejects.toMatchObject({ retryable: true });
    expect(() => readdirSync(dir)).toThrow(/ENOENT/);
  });
});
