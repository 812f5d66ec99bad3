import nodemailer from 'nodemailer';
import type { EmailMessage } from '../email/index.js';

/**
 * composeEml writes a rendered email as the RFC 5322 message the email receiver hands its SMTP
 * server: nodemailer composes both from the same options (multipart/alternative, text then HTML;
 * Message-ID, Date, References and In-Reply-To from the message; printable-ASCII headers kept as
 * written, others MIME-encoded), here through its stream transport instead of SMTP. Lines end in
 * CRLF, as on the wire, so any mail client opens the file.
 *
 * The options mirror email/integration.ts's mailOptions, which is not exported; a change to how
 * the email receiver builds its message belongs in both.
 */
export async function composeEml(m: EmailMessage): Promise<Buffer> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const headers: Record<string, string | { prepared: true; value: string }> = { Subject: raw(m.subject) };
  for (const [name, value] of m.headers) headers[name] = raw(value);
  const info = await transport.sendMail({
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
  });
  return info.message as Buffer;
}

/** raw keeps a printable-ASCII header value as written, as the email receiver does (see its `raw`). */
function raw(value: string): string | { prepared: true; value: string } {
  return /^[\x20-\x7e]{0,900}$/.test(value) ? { prepared: true, value } : value;
}
