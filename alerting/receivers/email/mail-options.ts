import type { EmailMessage } from './message.js';

/**
 * mailOptions are nodemailer's options for a rendered email: the email receiver sends them over
 * SMTP and the outbox receiver composes the same message into a file, so both write one message.
 */
export function mailOptions(m: EmailMessage) {
  const headers: Record<string, string | { prepared: true; value: string }> = { Subject: raw(m.subject) };
  for (const [name, value] of m.headers) headers[name] = raw(value);
  return {
    envelope: m.envelope,
    from: m.from,
    to: m.to,
    headers,
    messageId: m.messageId,
    date: m.date,
    references: m.threadId,
    inReplyTo: m.threadId,
    ...(m.text === undefined ? {} : { text: m.text }),
    ...(m.html === undefined ? {} : { html: m.html }),
  };
}

/**
 * raw keeps a printable-ASCII value as written ({prepared: true}), as Alertmanager writes it:
 * nodemailer would otherwise MIME-encode any value with `=`, quotes or braces, which hides a
 * subject like `(a="b")` from filters that read the raw header. Other values (non-ASCII, or
 * longer than a header line may be) are left to nodemailer to encode and fold.
 */
function raw(value: string): string | { prepared: true; value: string } {
  return /^[\x20-\x7e]{0,900}$/.test(value) ? { prepared: true, value } : value;
}
