import type { Field } from '../../util/yamlreader.js';
import { bool } from './fields.js';
import { decodeSecret, secretKeys } from './secrets.js';
import type { SecretOrInline } from './types.js';

/**
 * HTTPConfig is the part of Prometheus's http_config (common/config.HTTPClientConfig) vigil uses:
 * a credential sent as `Authorization: Bearer ...` (for Slack, the bot token). `present` says
 * whether the block was written, since an integration without one takes the global block.
 */
export interface HTTPConfig {
  readonly present: boolean;
  readonly credentials: SecretOrInline | undefined;
}

export const NO_HTTP_CONFIG: HTTPConfig = { present: false, credentials: undefined };

const SUPPORTED = ['authorization', 'bearer_token', 'bearer_token_file', 'bearer_token_env', 'follow_redirects', 'enable_http2'];
const UNSUPPORTED = ['basic_auth', 'oauth2', 'tls_config', 'proxy_url', 'no_proxy', 'proxy_from_environment', 'proxy_connect_header'];

/**
 * decodeHTTPConfig reads an http_config block with Prometheus's checks (at most one credential
 * source; `authorization.type` not "basic"). Authentication other than a bearer credential, TLS and
 * proxy settings are refused as not supported rather than ignored: a request sent without them
 * would fail in a way that is hard to trace back to the config.
 */
export function decodeHTTPConfig(f: Field): HTTPConfig {
  const o = f.object([...SUPPORTED, ...UNSUPPORTED]);
  if (o === undefined) return NO_HTTP_CONFIG;
  for (const key of UNSUPPORTED) {
    if (o.has(key)) o.get(key).fail(`http_config.${key} is not supported by vigil (it sends only a bearer credential, with default TLS and no proxy)`);
  }
  bool(o.get('follow_redirects'));
  bool(o.get('enable_http2'));
  const bearer = decodeSecret(o, 'bearer_token');
  let credentials: SecretOrInline | undefined;
  const auth = o.get('authorization').object(['type', ...secretKeys('credentials')]);
  if (auth !== undefined) {
    const type = auth.get('type').string() ?? 'Bearer';
    if (type.toLowerCase() === 'basic') auth.get('type').fail('authorization type cannot be set to "basic", use "basic_auth" instead');
    else if (type !== 'Bearer') auth.get('type').fail(`authorization type ${JSON.stringify(type)} is not supported by vigil (only Bearer)`);
    credentials = decodeSecret(auth, 'credentials');
    if (o.has('bearer_token') || o.has('bearer_token_file') || o.has('bearer_token_env')) {
      o.get('authorization').fail('authorization is not compatible with bearer_token & bearer_token_file');
    }
  }
  return { present: true, credentials: credentials ?? bearer };
}
