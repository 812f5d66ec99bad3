import type { Field } from '../../util/yamlreader.js';
import { bool, hostPort } from './fields.js';
import { type GlobalBlock, nonEmpty } from './global.js';
import { decodeSecret, secretKeys } from './secrets.js';
import type { EmailConfig } from './types.js';

const KEYS = [
  'send_resolved',
  'to',
  'from',
  'hello',
  'smarthost',
  'auth_username',
  ...secretKeys('auth_password'),
  ...secretKeys('auth_secret'),
  'auth_identity',
  'headers',
  'html',
  'text',
  'require_tls',
  'tls_config',
];

const TLS_KEYS = ['insecure_skip_verify', 'ca', 'ca_file', 'cert', 'cert_file', 'key', 'key_file', 'server_name', 'min_version', 'max_version'];

/**
 * decodeEmail reads an email_configs entry and applies the global SMTP settings as Alertmanager
 * does: smarthost and from must come from the entry or the global block; hello, the auth fields
 * and require_tls fall back to the global ones (auth_password and auth_secret as a whole, so an
 * entry's file never mixes with a global inline value). Header names are canonicalised as Go's
 * textproto does, and two spellings of one header are an error.
 */
export function decodeEmail(f: Field, global: GlobalBlock): EmailConfig | undefined {
  const o = f.object(KEYS);
  if (o === undefined) return undefined;
  const g = global.config;
  const to = o.get('to').string();
  if (to === undefined || to === '') o.field.fail('missing to address in email config');
  const ownHost = nonEmpty(o.get('smarthost').string());
  const smarthost = ownHost === undefined ? g.smtpSmarthost : hostPort(o.get('smarthost'));
  if (ownHost === undefined && smarthost === undefined) o.field.fail('no global SMTP smarthost set (set smarthost, or global.smtp_smarthost)');
  const from = nonEmpty(o.get('from').string()) ?? g.smtpFrom;
  if (from === undefined) o.field.fail('no global SMTP from set (set from, or global.smtp_from)');
  const headers = new Map<string, string>();
  for (const [name, field] of o.get('headers').entries() ?? []) {
    const key = canonicalHeaderKey(name);
    if (headers.has(key)) field.fail(`duplicate header ${JSON.stringify(key)} in email config`);
    const value = field.string();
    if (value !== undefined) headers.set(key, value);
  }
  let insecure = false;
  const tls = o.get('tls_config').object(TLS_KEYS);
  if (tls !== undefined) {
    insecure = bool(tls.get('insecure_skip_verify')) ?? false;
    for (const key of TLS_KEYS.slice(1)) {
      if (tls.has(key)) tls.get(key).fail(`tls_config.${key} is not supported by vigil (only insecure_skip_verify; the system's CA certificates are used)`);
    }
  }
  const password = decodeSecret(o, 'auth_password');
  const secret = decodeSecret(o, 'auth_secret');
  if (to === undefined || smarthost === undefined || from === undefined) return undefined;
  return {
    position: f.position(),
    sendResolved: bool(o.get('send_resolved')) ?? false,
    to,
    from,
    smarthost,
    hello: nonEmpty(o.get('hello').string()) ?? g.smtpHello,
    authUsername: nonEmpty(o.get('auth_username').string()) ?? g.smtpAuthUsername,
    authPassword: o.has('auth_password') || o.has('auth_password_file') || o.has('auth_password_env') ? password : g.smtpAuthPassword,
    authIdentity: nonEmpty(o.get('auth_identity').string()) ?? g.smtpAuthIdentity,
    authSecret: o.has('auth_secret') || o.has('auth_secret_file') || o.has('auth_secret_env') ? secret : g.smtpAuthSecret,
    requireTLS: bool(o.get('require_tls')) ?? g.smtpRequireTLS,
    tlsInsecureSkipVerify: insecure,
    html: o.get('html').string(),
    text: o.get('text').string(),
    headers,
  };
}

/** canonicalHeaderKey is Go's textproto.CanonicalMIMEHeaderKey: `x-foo` becomes `X-Foo`. */
export function canonicalHeaderKey(name: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/.test(name)) return name;
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}
