import type { Field } from '../../util/yamlreader.js';
import { bool, hostPort, httpURL } from './fields.js';
import { decodeHTTPConfig, type HTTPConfig, NO_HTTP_CONFIG } from './httpconfig.js';
import { decodeSecret, secretKeys } from './secrets.js';
import type { GlobalConfig } from './types.js';

/** Alertmanager's defaults for the global block. */
export const DEFAULT_RESOLVE_TIMEOUT = 5 * 60_000;
export const DEFAULT_SMTP_HELLO = 'localhost';

/** Global settings of Alertmanager integrations vigil does not have: read, checked, and ignored. */
const FOREIGN_URLS = ['pagerduty_url', 'opsgenie_api_url', 'wechat_api_url', 'victorops_api_url', 'telegram_api_url', 'webex_api_url'];
const FOREIGN_OTHER = ['opsgenie_api_key', 'opsgenie_api_key_file', 'wechat_api_secret', 'wechat_api_corp_id', 'victorops_api_key', 'victorops_api_key_file'];

const KEYS = [
  'resolve_timeout',
  'http_config',
  'smtp_from',
  'smtp_hello',
  'smtp_smarthost',
  'smtp_auth_username',
  ...secretKeys('smtp_auth_password'),
  ...secretKeys('smtp_auth_secret'),
  'smtp_auth_identity',
  'smtp_require_tls',
  ...secretKeys('slack_api_url'),
  'external_url',
  ...FOREIGN_URLS,
  ...FOREIGN_OTHER,
];

/** GlobalBlock is the global config plus its http_config, the default of every integration's. */
export interface GlobalBlock {
  readonly config: GlobalConfig;
  readonly httpConfig: HTTPConfig;
}

/**
 * decodeGlobal reads the `global` block with Alertmanager's defaults. `external_url` is vigil's
 * (Alertmanager takes it as a command-line flag). Settings of integrations vigil lacks (PagerDuty,
 * OpsGenie, ...) are checked as Alertmanager checks them and otherwise ignored, with a warning.
 */
export function decodeGlobal(f: Field): GlobalBlock {
  const o = f.object(KEYS);
  for (const key of [...FOREIGN_URLS, ...FOREIGN_OTHER]) {
    if (o?.has(key) !== true) continue;
    const field = o.get(key);
    if (FOREIGN_URLS.includes(key)) httpURL(field);
    else field.string();
    field.warn(`ignored: vigil has no ${key.split('_')[0]} integration`);
  }
  const slackURL = o === undefined ? undefined : decodeSecret(o, 'slack_api_url', { warnInline: false });
  if (slackURL !== undefined && 'inline' in slackURL) {
    // A Slack URL in the config is expected: vigil's is the Web API's address, not a webhook secret.
    httpURL(o!.get('slack_api_url'), { secret: true });
  }
  const config: GlobalConfig = {
    resolveTimeout: o?.get('resolve_timeout').duration() ?? DEFAULT_RESOLVE_TIMEOUT,
    smtpFrom: nonEmpty(o?.get('smtp_from').string()),
    smtpSmarthost: o === undefined ? undefined : hostPort(o.get('smtp_smarthost')),
    smtpHello: nonEmpty(o?.get('smtp_hello').string()) ?? DEFAULT_SMTP_HELLO,
    smtpAuthUsername: nonEmpty(o?.get('smtp_auth_username').string()),
    smtpAuthPassword: o === undefined ? undefined : decodeSecret(o, 'smtp_auth_password'),
    smtpAuthIdentity: nonEmpty(o?.get('smtp_auth_identity').string()),
    smtpAuthSecret: o === undefined ? undefined : decodeSecret(o, 'smtp_auth_secret'),
    smtpRequireTLS: (o === undefined ? undefined : bool(o.get('smtp_require_tls'))) ?? true,
    slackApiURL: slackURL,
    externalURL: o === undefined ? undefined : httpURL(o.get('external_url')),
  };
  const httpConfig = o === undefined ? NO_HTTP_CONFIG : decodeHTTPConfig(o.get('http_config'));
  return { config, httpConfig };
}

/** nonEmpty maps "" to undefined: Go reads an empty string as unset. */
export function nonEmpty(s: string | undefined): string | undefined {
  return s === '' ? undefined : s;
}
