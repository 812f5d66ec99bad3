import type { SlackConfig } from '../../config/types.js';
import { templateData } from '../../notify/data.js';
import { renderTemplate, type TemplateFiles } from '../../notify/template.js';
import type { Notification } from '../../notify/types.js';
import type { Logger } from '../../../util/log.js';
import type { MessageOptions } from './message.js';

/**
 * renderOverrides renders a slack_configs entry's `title` and `text` Go templates over
 * Alertmanager's notification data, as overrides of the message's header (plain text) and
 * summary (mrkdwn, used as written, as Alertmanager uses `text`). A template that fails to run,
 * or renders only whitespace, is logged and left out, so the alert still goes out with vigil's
 * default header or summary: a broken template must not silence a page (Alertmanager would
 * fail the notification instead). `vigil check` parses the templates when the config loads.
 */
export async function renderOverrides(
  config: Pick<SlackConfig, 'title' | 'text'>,
  n: Notification,
  files: TemplateFiles | undefined,
  logger: Logger,
): Promise<Pick<MessageOptions, 'title' | 'summary'>> {
  if (config.title === undefined && config.text === undefined) return {};
  const data = templateData(n);
  const render = async (field: 'title' | 'text', text: string | undefined): Promise<string | undefined> => {
    if (text === undefined) return undefined;
    try {
      const out = (await renderTemplate(text, data, `slack ${field}`, { ...(files === undefined ? {} : { files }), now: n.now })).trim();
      return out === '' ? undefined : out;
    } catch (err) {
      logger.warn(`slack ${field} template failed; the default is used`, { error: err instanceof Error ? err.message : String(err), groupKey: n.groupKey });
      return undefined;
    }
  };
  const title = await render('title', config.title);
  const summary = await render('text', config.text);
  return { ...(title === undefined ? {} : { title }), ...(summary === undefined ? {} : { summary }) };
}
