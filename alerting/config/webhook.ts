import type { Field } from '../../util/yamlreader.js';
import { bool, httpURL } from './fields.js';
import type { GlobalBlock } from './global.js';
import { decodeHTTPConfig } from './httpconfig.js';
import { decodeSecret, secretKeys } from './secrets.js';
import type { WebhookConfig } from './types.js';

const KEYS = ['send_resolved', 'http_config', ...secretKeys('url'), 'max_alerts', 'timeout'];

/**
 * decodeWebhook reads a webhook_configs entry: `url` (or Alertmanager 0.26's `url_file`, or vigil's
 * `url_env`) is required; a URL written inline is checked, never shown in a message (webhook URLs
 * often carry a token), and not warned about (Alertmanager 0.25 has no other way to write it).
 * The bearer credential comes from the entry's http_config, else the global one.
 */
export function decodeWebhook(f: Field, global: GlobalBlock): WebhookConfig | undefined {
  const o = f.object(KEYS);
  if (o === undefined) return undefined;
  const url = decodeSecret(o, 'url', { warnInline: false });
  const written = ['url', 'url_file', 'url_env'].filter((k) => o.has(k));
  if (written.length === 0 || (written.length === 1 && written[0] === 'url' && o.get('url').string() === '')) o.field.fail('missing URL in webhook config');
  if (url !== undefined && 'inline' in url) httpURL(o.get('url'), { secret: true });
  const maxAlerts = o.get('max_alerts').int({ min: 0 });
  const timeout = o.get('timeout').duration();
  if (timeout === 0) o.get('timeout').fail('timeout cannot be zero');
  const http = o.has('http_config') ? decodeHTTPConfig(o.get('http_config')) : global.httpConfig;
  if (url === undefined) return undefined;
  return {
    position: f.position(),
    sendResolved: bool(o.get('send_resolved')) ?? true,
    url,
    maxAlerts: maxAlerts ?? 0,
    bearerToken: http.credentials,
    timeout,
  };
}
