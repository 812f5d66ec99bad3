import type { Field } from '../../util/yamlreader.js';
import { bool, type DecodeContext } from './fields.js';
import { decodeEmail } from './email.js';
import type { GlobalBlock } from './global.js';
import { decodeOutbox } from './outbox.js';
import { decodeSlack } from './slack.js';
import type { ConsoleConfig, ReceiverConfig } from './types.js';
import { decodeWebhook } from './webhook.js';

/** Alertmanager integrations vigil does not deliver to. A config using one is refused, never half-run. */
export const UNSUPPORTED_INTEGRATIONS = [
  'pagerduty_configs',
  'opsgenie_configs',
  'wechat_configs',
  'pushover_configs',
  'victorops_configs',
  'sns_configs',
  'telegram_configs',
  'webex_configs',
  'discord_configs',
  'msteams_configs',
  'msteamsv2_configs',
  'jira_configs',
  'rocketchat_configs',
  'incidentio_configs',
  'mattermost_configs',
];

const KEYS = ['name', 'slack_configs', 'email_configs', 'webhook_configs', 'console_configs', 'outbox_configs', 'fallback', 'rate_limit', ...UNSUPPORTED_INTEGRATIONS];

/**
 * decodeReceiver reads one receiver. vigil-only keys: `console_configs` (readable lines on
 * standard output, send_resolved default true), `outbox_configs` (each notification written as an
 * email file into a directory: see decodeOutbox), `fallback` (the receiver that gets what this one
 * failed to deliver; checked once every receiver is read) and `rate_limit: {count, interval}`.
 */
export function decodeReceiver(f: Field, global: GlobalBlock, ctx: DecodeContext): ReceiverConfig | undefined {
  const o = f.object(KEYS);
  if (o === undefined) return undefined;
  const name = o.get('name').string();
  if (name === undefined || name === '') o.field.fail('missing name in receiver');
  else ctx.receiverDefs.push({ name, field: o.get('name') });
  if (name?.includes(',') === true) o.get('name').warn('a receiver name with a comma makes route-test output (receivers joined by commas) ambiguous');
  for (const key of UNSUPPORTED_INTEGRATIONS) {
    if (o.has(key)) {
      o.get(key).fail(`${key} is not supported by vigil: it delivers to slack_configs, email_configs, webhook_configs and console_configs`);
    }
  }
  const slack = o.get('slack_configs').list((c) => decodeSlack(c, global)) ?? [];
  const email = o.get('email_configs').list((c) => decodeEmail(c, global)) ?? [];
  const webhook = o.get('webhook_configs').list((c) => decodeWebhook(c, global)) ?? [];
  const console = o.get('console_configs').list(decodeConsole) ?? [];
  const outbox = o.get('outbox_configs').list((c) => decodeOutbox(c, global)) ?? [];
  const fallback = o.get('fallback').string();
  if (fallback !== undefined && name !== undefined) ctx.fallbackRefs.push({ name: fallback, field: o.get('fallback'), from: name });
  const rateLimit = decodeRateLimit(o.get('rate_limit'));
  if (name === undefined) return undefined;
  return { position: f.position(), name, slack, email, webhook, console, outbox, fallback, rateLimit };
}

function decodeConsole(f: Field): ConsoleConfig | undefined {
  const o = f.object(['send_resolved']);
  if (o === undefined) return f.present ? undefined : { position: f.position(), sendResolved: true };
  return { position: f.position(), sendResolved: bool(o.get('send_resolved')) ?? true };
}

function decodeRateLimit(f: Field): ReceiverConfig['rateLimit'] {
  const o = f.object(['count', 'interval']);
  if (o === undefined) return undefined;
  o.require('count', 'interval');
  const count = o.get('count').int({ min: 1 });
  const interval = o.get('interval').duration();
  if (interval === 0) o.get('interval').fail('interval cannot be zero');
  if (count === undefined || interval === undefined || interval === 0) return undefined;
  return { count, interval };
}
