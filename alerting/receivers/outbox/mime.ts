import nodemailer from 'nodemailer';
import type { EmailMessage } from '../email/index.js';
import { mailOptions } from '../email/mail-options.js';

/**
 * composeEml writes a rendered email as the RFC 5322 message the email receiver hands its SMTP
 * server: nodemailer composes both from the same options (multipart/alternative, text then HTML;
 * Message-ID, Date, References and In-Reply-To from the message; printable-ASCII headers kept as
 * written, others MIME-encoded), here through its stream transport instead of SMTP. Lines end in
 * CRLF, as on the wire, so any mail client opens the file.
 */
export async function composeEml(m: EmailMessage): Promise<Buffer> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await transport.sendMail(mailOptions(m));
  return info.message as Buffer;
}
