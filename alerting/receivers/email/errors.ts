import { NotifyError } from '../../notify/types.js';

/** NETWORK_CODES are nodemailer's and Node's codes for a connection that failed or broke: worth retrying. */
const NETWORK_CODES = new Set(['ESOCKET', 'ECONNECTION', 'ETIMEDOUT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EDNS', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The shape of nodemailer's errors, as far as classifying them goes. */
interface SmtpFailure {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly responseCode?: unknown;
  readonly command?: unknown;
  readonly name?: unknown;
}

/**
 * smtpError turns a failed send into a NotifyError. An SMTP reply decides first: 4xx is
 * temporary (`smtp_451`, retryable), 5xx permanent (`smtp_550`), whatever the command, except
 * that a failed STARTTLS (`tls`, as with require_tls and a server without it) is permanent. Without
 * a reply: a network failure (refused, reset, timed out) is retryable (`network`); a refused
 * envelope (`envelope`) or missing credentials (`auth`) is permanent.
 * Every string in `secrets` is cut from the message, in case a server echoes one.
 */
export function smtpError(err: unknown, secrets: readonly string[]): NotifyError {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as SmtpFailure;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const command = typeof e.command === 'string' ? ` (${e.command})` : '';
  const detail = scrub(typeof e.message === 'string' ? e.message : String(err), secrets);
  const message = `email: send failed${command}: ${detail}`;
  if (code === 'EABORT' || e.name === 'AbortError') return new NotifyError('aborted', 'email: notification aborted', { retryable: true });
  const reply = typeof e.responseCode === 'number' && e.responseCode >= 400 && e.responseCode < 600 ? e.responseCode : undefined;
  if (reply !== undefined && reply < 500) return new NotifyError(`smtp_${reply}`, message, { retryable: true });
  // A server that refuses STARTTLS (500 to an unknown command) is a TLS problem, not a refused mail.
  if (code === 'ETLS' || code === 'EREQUIRETLS') return new NotifyError('tls', message, { retryable: false });
  if (reply !== undefined) return new NotifyError(`smtp_${reply}`, message, { retryable: false });
  if (code !== undefined && NETWORK_CODES.has(code)) return new NotifyError('network', message, { retryable: true });
  if (code === 'EENVELOPE') return new NotifyError('envelope', message, { retryable: false });
  if (code === 'EAUTH' || code === 'ENOAUTH') return new NotifyError('auth', message, { retryable: false });
  return new NotifyError('smtp', message, { retryable: false });
}

/** scrub replaces each secret, and the base64 forms an AUTH exchange would carry, by `<secret>`. */
function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s === '') continue;
    for (const form of [s, Buffer.from(s).toString('base64')]) out = out.split(form).join('<secret>');
  }
  return out;
}
