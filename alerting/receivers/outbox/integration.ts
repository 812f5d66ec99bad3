import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmailConfig, OutboxConfig } from '../../config/types.js';
import { NO_TEMPLATE_FILES, type TemplateFiles } from '../../notify/template.js';
import { NotifyError, type Integration, type Notification } from '../../notify/types.js';
import { isResolvedAt } from '../../types.js';
import { renderEmail } from '../email/index.js';
import { composeEml } from './mime.js';

export interface OutboxOptions {
  /** files: the config's template files (default none: vigil's default templates only). */
  readonly files?: TemplateFiles;
}

/** Write errors that another attempt cannot fix: the directory is not writable or not a directory. */
const PERMANENT_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'EEXIST', 'ENAMETOOLONG']);

/**
 * outboxIntegration is vigil's outbox receiver (`outbox_configs`): each notification is rendered
 * by the email receiver's renderer (renderEmail: Alertmanager's default subject, the text and HTML
 * parts, threading headers) and written as one `.eml` file into the configured directory, created
 * when missing. The file is written under a temporary name and renamed, so a reader watching the
 * directory never sees half a message. Its name sorts by flush time and says what it holds:
 *
 *   20250101T003100.000Z-firing-GPUPodsPending-3f9a1c2e.eml
 *
 * (flush time in UTC, `firing` when any alert fires else `resolved`, the group's alertname or
 * `group`, and 8 hex digits of the message's unique id). A write that fails for lack of
 * permission, or because the path is not a directory, is a permanent NotifyError; others (a full
 * disk, too many open files) are retryable. Resolves with `{file}`, the path written.
 */
export function outboxIntegration(config: OutboxConfig, index: number, opts: OutboxOptions = {}): Integration {
  const files = opts.files ?? NO_TEMPLATE_FILES;
  const email = emailConfigOf(config);
  return {
    name: 'outbox',
    index,
    sendResolved: config.sendResolved,
    async notify(n: Notification, signal: AbortSignal): Promise<Record<string, string>> {
      if (signal.aborted) throw new NotifyError('aborted', 'outbox: notification aborted', { retryable: true });
      const message = await renderEmail(email, n, files);
      const eml = await composeEml(message);
      const file = join(config.directory, outboxFileName(n, message.messageId));
      const partial = `${file}.partial`;
      try {
        await mkdir(config.directory, { recursive: true });
        await writeFile(partial, eml);
        await rename(partial, file);
      } catch (err) {
        await rm(partial, { force: true }).catch(() => {});
        const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
        throw new NotifyError('write', `outbox: cannot write to ${config.directory}: ${code}`, { retryable: !PERMANENT_CODES.has(code) });
      }
      return { file };
    },
  };
}

/** outboxFileName names a notification's file: flush time, status, alertname, unique suffix (see outboxIntegration). */
export function outboxFileName(n: Notification, messageId: string): string {
  const time = new Date(n.now).toISOString().replace(/[-:]/g, '');
  const status = n.alerts.some((a) => !isResolvedAt(a, n.now)) ? 'firing' : 'resolved';
  const alertname = n.groupLabels.get('alertname') || commonAlertname(n) || 'group';
  const slug = alertname.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60);
  const unique = /^<\d+\.([0-9a-f]{8})/.exec(messageId)?.[1] ?? Math.random().toString(16).slice(2, 10);
  return `${time}-${status}-${slug}-${unique}.eml`;
}

function commonAlertname(n: Notification): string | undefined {
  const names = new Set(n.alerts.map((a) => a.labels.get('alertname')));
  return names.size === 1 ? [...names][0] : undefined;
}

/**
 * emailConfigOf is the email_configs entry whose mail the outbox writes. renderEmail reads only the
 * addresses, templates and headers; the delivery fields are never used, since nothing is sent.
 */
function emailConfigOf(c: OutboxConfig): EmailConfig {
  return {
    position: c.position,
    sendResolved: c.sendResolved,
    to: c.to,
    from: c.from,
    smarthost: { host: 'localhost', port: 25 },
    hello: 'localhost',
    authUsername: undefined,
    authPassword: undefined,
    authIdentity: undefined,
    authSecret: undefined,
    requireTLS: false,
    tlsInsecureSkipVerify: false,
    html: c.html,
    text: c.text,
    headers: c.headers,
  };
}
