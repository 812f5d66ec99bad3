import nodemailer from 'nodemailer';
import type { EmailConfig } from '../../config/types.js';
import { NO_TEMPLATE_FILES, type TemplateFiles } from '../../notify/template.js';
import { notifySecret } from '../../notify/secret.js';
import { NotifyError, type Integration, type Notification } from '../../notify/types.js';
import { smtpError } from './errors.js';
import { mailOptions } from './mail-options.js';
import { renderEmail } from './message.js';

export interface EmailOptions {
  /** files: the config's template files (default none: vigil's default templates only). */
  readonly files?: TemplateFiles;
  /** env is where `*_env` secrets are read from (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * timeoutMs bounds connecting, the greeting and each silence of the server (nodemailer's
   * connection, greeting and socket timeouts); default 30s. The flush's signal may end a send sooner.
   */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** IMPLICIT_TLS_PORT is SMTPS: TLS from the first byte, as Alertmanager does on port 465. */
const IMPLICIT_TLS_PORT = 465;

/**
 * emailIntegration is an email_configs entry, sent through the smarthost with nodemailer: one
 * connection per notification, TLS from the start on port 465, otherwise STARTTLS required when
 * `require_tls` (and not attempted when not, as Alertmanager), EHLO with `hello`, and AUTH when
 * `auth_username` is set (PLAIN or LOGIN with auth_password, CRAM-MD5 with auth_secret only).
 * The password is read at each notify, so a rotated file takes effect, and never appears in an
 * error. The mail is multipart/alternative (text, then HTML), threaded per group (threadId).
 * Resolves with `{messageId}` of the mail sent. Errors: see smtpError; an abort ends the
 * connection and rejects with a retryable `aborted`.
 */
export function emailIntegration(config: EmailConfig, index: number, opts: EmailOptions = {}): Integration {
  const env = opts.env ?? process.env;
  const files = opts.files ?? NO_TEMPLATE_FILES;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    name: 'email',
    index,
    sendResolved: config.sendResolved,
    async notify(n: Notification, signal: AbortSignal): Promise<Record<string, string>> {
      if (signal.aborted) throw new NotifyError('aborted', 'email: notification aborted', { retryable: true });
      const message = await renderEmail(config, n, files);
      const auth = credentials(config, env);
      const implicitTLS = config.smarthost.port === IMPLICIT_TLS_PORT;
      const transport = nodemailer.createTransport({
        host: config.smarthost.host,
        port: config.smarthost.port,
        secure: implicitTLS,
        requireTLS: !implicitTLS && config.requireTLS,
        ignoreTLS: !implicitTLS && !config.requireTLS,
        name: config.hello,
        tls: { rejectUnauthorized: !config.tlsInsecureSkipVerify, servername: config.smarthost.host },
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
        logger: false,
        ...(auth === undefined ? {} : { auth: auth.options }),
      });
      try {
        const info = await transport.sendMail({ ...mailOptions(message), signal });
        return { messageId: info.messageId };
      } catch (err) {
        throw smtpError(err, auth?.secrets ?? []);
      } finally {
        transport.close();
      }
    },
  };
}

interface Credentials {
  readonly options: { user: string; pass: string; method?: string };
  /** secrets: what must never appear in an error. */
  readonly secrets: readonly string[];
}

/**
 * credentials reads the AUTH secrets, or returns undefined when `auth_username` is unset. With
 * only `auth_secret`, the login is CRAM-MD5 (Alertmanager's use of the secret).
 */
function credentials(config: EmailConfig, env: NodeJS.ProcessEnv): Credentials | undefined {
  if (config.authUsername === undefined || config.authUsername === '') return undefined;
  const user = config.authUsername;
  if (config.authPassword !== undefined) {
    const pass = notifySecret(config.authPassword, 'email', 'auth_password', env);
    return { options: { user, pass }, secrets: [pass, `\u0000${user}\u0000${pass}`] };
  }
  if (config.authSecret !== undefined) {
    const pass = notifySecret(config.authSecret, 'email', 'auth_secret', env);
    return { options: { user, pass, method: 'CRAM-MD5' }, secrets: [pass] };
  }
  throw new NotifyError('config', 'email: auth_username is set but neither auth_password nor auth_secret is', { retryable: false });
}
