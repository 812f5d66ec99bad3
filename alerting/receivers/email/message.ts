import type { EmailConfig } from '../../config/types.js';
import { templateData } from '../../notify/data.js';
import { isTemplateError, renderTemplate, type TemplateFiles } from '../../notify/template.js';
import { NotifyError, type Notification } from '../../notify/types.js';
import { newMessageId, threadId } from './threading.js';

/** The templates an unset field renders: Alertmanager's names, vigil's definitions. */
export const DEFAULT_SUBJECT = '{{ template "email.default.subject" . }}';
export const DEFAULT_HTML = '{{ template "email.default.html" . }}';
export const DEFAULT_TEXT = '{{ template "email.default.text" . }}';

/**
 * EmailMessage is one rendered notification mail. `envelope` comes from the `from` and `to`
 * fields; the From and To headers are the same unless `headers` sets them (as Alertmanager
 * allows). `headers` holds the other configured headers, rendered, in config order.
 */
export interface EmailMessage {
  readonly envelope: { readonly from: string; readonly to: string };
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  /** text and html: the two parts of multipart/alternative; undefined when configured empty. */
  readonly text: string | undefined;
  readonly html: string | undefined;
  readonly headers: readonly (readonly [string, string])[];
  readonly messageId: string;
  /** threadId is the group's thread root, sent as References and In-Reply-To. */
  readonly threadId: string;
  readonly date: Date;
}

/** HEADER_NAME is RFC 5322's field name: printable ASCII except the colon. */
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

/**
 * renderEmail renders every templated field of an email_configs entry for one notification.
 * A template that fails, or a header name that cannot be written, is a permanent NotifyError
 * (`template`, `config`): sending again would fail the same way.
 */
export async function renderEmail(config: EmailConfig, n: Notification, files: TemplateFiles): Promise<EmailMessage> {
  const data = templateData(n);
  const render = async (field: string, text: string, html = false): Promise<string> => {
    try {
      return await renderTemplate(text, data, field, { files, html, now: n.now });
    } catch (err) {
      if (isTemplateError(err)) throw new NotifyError('template', `email: ${field}: ${err.message}`, { retryable: false });
      throw err;
    }
  };
  let subject = DEFAULT_SUBJECT;
  let fromHeader: string | undefined;
  let toHeader: string | undefined;
  const headers: [string, string][] = [];
  for (const [name, text] of config.headers) {
    if (!HEADER_NAME.test(name)) throw new NotifyError('config', `email: header name ${JSON.stringify(name)} is not a valid field name`, { retryable: false });
    const lower = name.toLowerCase();
    if (lower === 'subject') subject = text;
    else if (lower === 'from') fromHeader = text;
    else if (lower === 'to') toHeader = text;
    else headers.push([name, oneLine(await render(`headers.${name}`, text))]);
  }
  const from = oneLine(await render('from', config.from));
  const to = oneLine(await render('to', config.to));
  return {
    envelope: { from, to },
    from: fromHeader === undefined ? from : oneLine(await render('headers.From', fromHeader)),
    to: toHeader === undefined ? to : oneLine(await render('headers.To', toHeader)),
    subject: oneLine(await render('headers.Subject', subject)),
    text: config.text === '' ? undefined : await render('text', config.text ?? DEFAULT_TEXT),
    html: config.html === '' ? undefined : await render('html', config.html ?? DEFAULT_HTML, true),
    headers,
    messageId: newMessageId(n.now),
    threadId: threadId(n.groupKey),
    date: new Date(n.now),
  };
}

/** oneLine keeps a header value on one line: a line break in a label value must not start a new header. */
function oneLine(s: string): string {
  return s.replace(/[\r\n]+\s*/g, ' ').trim();
}
