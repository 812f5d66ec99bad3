import { readFileSync } from 'node:fs';
import { isMap } from 'yaml';
import type { Field, ObjectReader } from '../../util/yamlreader.js';
import { bool, httpURL, stringList, urlProblem } from './fields.js';
import type { GlobalBlock } from './global.js';
import { decodeHTTPConfig } from './httpconfig.js';
import { decodeSecret, secretKeys } from './secrets.js';
import type { SecretOrInline, SlackConfig } from './types.js';

/** SLACK_WEB_API is the default api_url when a bot token is given the vigil or Slack-app way. */
export const SLACK_WEB_API = 'https://slack.com/api/';

/** Keys of Alertmanager's legacy-attachment message that vigil's Block Kit message has no place for. */
const ATTACHMENT_KEYS = ['color', 'title_link', 'pretext', 'fields', 'short_fields', 'footer', 'fallback', 'callback_id', 'image_url', 'thumb_url', 'mrkdwn_in', 'actions', 'message_text'];

const KEYS = [
  'send_resolved',
  'http_config',
  ...secretKeys('api_url'),
  'app_url',
  'app_token',
  'app_token_file',
  'token_file',
  'token_env',
  'channel',
  'username',
  'icon_emoji',
  'icon_url',
  'link_names',
  'title',
  'text',
  'timeout',
  'update_message',
  'thread_updates',
  ...ATTACHMENT_KEYS,
];

/**
 * decodeSlack reads a slack_configs entry. vigil posts through Slack's Web API with a bot token,
 * so a token is required (token_file / token_env, Alertmanager's app_token(_file), or
 * http_config.authorization credentials, whose global block is the default as in Alertmanager)
 * and so is a channel. api_url is where the Web API is: a chat.postMessage URL is taken as its
 * base; an incoming-webhook URL is refused. api_url_file and api_url_env are read here, when the
 * config loads: in vigil the URL is an address, not the credential. Attachment-only keys
 * (color, fields, actions, ...) are checked as Alertmanager checks them and ignored with a warning.
 */
export function decodeSlack(f: Field, global: GlobalBlock): SlackConfig | undefined {
  const o = f.object(KEYS);
  if (o === undefined) return undefined;
  checkAttachmentKeys(o);
  const token = decodeToken(o, global);
  const apiURL = decodeAPIURL(o, global, token);
  const channel = o.get('channel').string();
  if (channel === undefined || channel === '') {
    o.field.fail('field "channel" is required: vigil posts with chat.postMessage, which needs a channel name or ID');
  }
  // A token key that failed to decode has its own error; "required" is for none written at all.
  const http = o.get('http_config');
  const httpKeys = isMap(http.node) ? (http.entries() ?? []).map(([k]) => k) : [];
  const tokenWritten =
    ['token_file', 'token_env', 'app_token', 'app_token_file'].some((k) => o.has(k)) ||
    httpKeys.some((k) => k === 'authorization' || k.startsWith('bearer_token'));
  if (token === undefined && !tokenWritten) {
    o.field.fail(
      'a bot token is required: vigil posts through Slack\'s Web API; set token_file, token_env, app_token_file or http_config.authorization.credentials_file',
    );
  }
  const iconURL = o.has('icon_url') ? httpURL(o.get('icon_url')) : undefined;
  const timeout = o.get('timeout').duration();
  if (timeout === 0) o.get('timeout').fail('timeout cannot be zero');
  if (apiURL === undefined || channel === undefined) return undefined;
  const updateMessage = bool(o.get('update_message')) ?? true;
  return {
    position: f.position(),
    // Alertmanager's default is false, but a message updated in place must hear the resolve, or
    // it shows FIRING forever: with update_message (vigil's default) an unset send_resolved is true.
    sendResolved: bool(o.get('send_resolved')) ?? updateMessage,
    apiURL,
    token,
    channel,
    username: o.get('username').string(),
    iconEmoji: o.get('icon_emoji').string(),
    iconURL,
    linkNames: bool(o.get('link_names')) ?? false,
    title: o.get('title').string(),
    text: o.get('text').string(),
    timeout,
    updateMessage,
    threadUpdates: bool(o.get('thread_updates')) ?? true,
  };
}

function decodeToken(o: ObjectReader, global: GlobalBlock): SecretOrInline | undefined {
  const http = o.has('http_config') ? decodeHTTPConfig(o.get('http_config')) : undefined;
  const sources: { key: string; secret: SecretOrInline | undefined }[] = [];
  for (const key of ['token_file', 'token_env', 'app_token', 'app_token_file'] as const) {
    if (o.has(key)) sources.push({ key, secret: decodeOne(o, key) });
  }
  if (http?.credentials !== undefined) sources.push({ key: 'http_config', secret: http.credentials });
  if (sources.length > 1) {
    o.get(sources[1]!.key).fail(`at most one bot token may be set; found ${sources.map((s) => s.key).join(' and ')}`);
    return undefined;
  }
  if (sources.length === 1) return sources[0]!.secret;
  // As in Alertmanager, an integration without an http_config takes the global one.
  return http === undefined ? global.httpConfig.credentials : undefined;
}

function decodeOne(o: ObjectReader, key: 'token_file' | 'token_env' | 'app_token' | 'app_token_file'): SecretOrInline | undefined {
  const f = o.get(key);
  if (key === 'token_file' || key === 'app_token_file') {
    const file = f.filePath();
    return file === undefined ? undefined : { file };
  }
  if (key === 'token_env') {
    const env = f.string();
    return env === undefined || env === '' ? undefined : { env };
  }
  const inline = f.string();
  if (inline === undefined || inline === '') return undefined;
  f.warn('a secret written in the config file: put it in a file (token_file) or an environment variable (token_env)');
  return { inline };
}

/**
 * decodeAPIURL resolves the Web API base. Alertmanager requires api_url or a global
 * slack_api_url; vigil defaults it to https://slack.com/api/ when the token comes the vigil or
 * Slack-app way (keys an Alertmanager 0.25 config cannot hold).
 */
function decodeAPIURL(o: ObjectReader, global: GlobalBlock, token: SecretOrInline | undefined): string | undefined {
  const own = ['api_url', 'api_url_file', 'api_url_env', 'app_url'].filter((k) => o.has(k));
  if (own.length > 1) {
    o.get(own[1]!).fail(`at most one of api_url, api_url_file, api_url_env and app_url may be set`);
    return undefined;
  }
  if (o.has('app_url')) return webAPIBase(o.get('app_url'), o.get('app_url').string());
  if (o.has('api_url') && o.get('api_url').string() === '') return o.get('api_url').fail('unsupported scheme "" for URL');
  const ref = decodeSecret(o, 'api_url', { warnInline: false });
  if (ref !== undefined) return resolveURL(o.get(own[0]!), ref);
  if (global.config.slackApiURL !== undefined) return resolveURL(o.field, global.config.slackApiURL, 'global.slack_api_url');
  const vigilToken = ['token_file', 'token_env', 'app_token', 'app_token_file'].some((k) => o.has(k));
  if (vigilToken || token === undefined) return SLACK_WEB_API;
  o.field.fail('no global Slack API URL set either inline or in a file (set api_url, or global.slack_api_url)');
  return undefined;
}

function resolveURL(f: Field, ref: SecretOrInline, from?: string): string | undefined {
  let text: string;
  if ('inline' in ref) text = ref.inline;
  else if ('file' in ref) {
    try {
      text = readFileSync(ref.file, 'utf8').trim();
    } catch (err) {
      return f.fail(`cannot read the Slack API URL file ${ref.file}${from === undefined ? '' : ` (${from}_file)`}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  } else {
    const v = process.env[ref.env];
    if (v === undefined || v === '') return f.fail(`environment variable ${ref.env} is not set`);
    text = v.trim();
  }
  return webAPIBase(f, text, from);
}

/**
 * webAPIBase turns an api_url into the Web API base URL, never showing the URL in a message: in
 * Alertmanager it is often an incoming-webhook URL, which is a secret.
 */
function webAPIBase(f: Field, text: string | undefined, from?: string): string | undefined {
  if (text === undefined) return undefined;
  const where = from === undefined ? '' : ` (from ${from})`;
  const problem = urlProblem(text);
  if (problem !== undefined) return f.fail(`${problem}${where} (the value is not shown: it may hold a secret)`);
  const u = new URL(text);
  if (u.hostname === 'hooks.slack.com') {
    return f.fail(
      `Slack incoming webhooks are not supported by vigil${where}: it posts through the Web API (chat.postMessage, chat.update) with a bot token; set api_url to ${SLACK_WEB_API} or leave it out`,
    );
  }
  u.search = '';
  u.hash = '';
  if (u.pathname.endsWith('/chat.postMessage')) u.pathname = u.pathname.slice(0, -'chat.postMessage'.length);
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u.toString();
}

/** checkAttachmentKeys validates the attachment keys as Alertmanager 0.25 does, then warns they are unused. */
function checkAttachmentKeys(o: ObjectReader): void {
  for (const url of ['image_url', 'thumb_url']) if (o.has(url)) httpURL(o.get(url));
  bool(o.get('short_fields'));
  stringList(o.get('mrkdwn_in'));
  o.get('fields').list((item) => {
    const fo = item.object(['title', 'value', 'short']);
    if (fo === undefined) return undefined;
    if (!fo.get('title').string()) item.fail('missing title in Slack field configuration');
    else if (!fo.get('value').string()) item.fail('missing value in Slack field configuration');
    bool(fo.get('short'));
    return undefined;
  });
  o.get('actions').list((item) => {
    const ao = item.object(['type', 'text', 'url', 'style', 'name', 'value', 'confirm']);
    if (ao === undefined) return undefined;
    if (!ao.get('type').string()) item.fail('missing type in Slack action configuration');
    else if (!ao.get('text').string()) item.fail('missing text in Slack action configuration');
    else if (!ao.get('url').string() && !ao.get('name').string()) item.fail('missing name or url in Slack action configuration');
    const confirm = ao.get('confirm').object(['text', 'title', 'ok_text', 'dismiss_text']);
    if (confirm !== undefined && !confirm.get('text').string()) ao.get('confirm').fail('missing text in Slack confirmation configuration');
    return undefined;
  });
  for (const key of ATTACHMENT_KEYS) {
    if (o.has(key)) o.get(key).warn(`ignored: vigil renders Slack messages with Block Kit, which has no place for ${key}`);
  }
}
