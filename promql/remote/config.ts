import { type SecretRef, decodeSecretRef } from '../../util/secret.js';
import type { Field, ObjectReader } from '../../util/yamlreader.js';

/**
 * RemoteStoreConfig is `storage.remote`: a Prometheus-compatible HTTP API (Prometheus, Thanos
 * Query, Mimir's `/prometheus` prefix) that rules are evaluated against instead of an embedded
 * store. Durations in ms. Credentials are references (files or environment variables), read at
 * request time so a rotated token takes effect without a restart.
 */
export interface RemoteStoreConfig {
  /** url is the API base: `<url>/api/v1/query` is the instant query endpoint. */
  readonly url: string;
  /**
   * writeURL, when set, receives Prometheus remote-write requests with what rules produce
   * (recording rule samples, ALERTS, ALERTS_FOR_STATE), so later rules and a restarted vigil see
   * them: Prometheus with --web.enable-remote-write-receiver (`/api/v1/write`), Mimir
   * (`/api/v1/push`), Thanos Receive. Without it, recording rules are evaluated and dropped.
   */
  readonly writeURL: string | undefined;
  /** timeoutMs bounds one attempt of one request. */
  readonly timeoutMs: number;
  /** retries is how many more attempts a failed request gets when a retry can help (5xx, 429, connection errors, timeouts). */
  readonly retries: number;
  readonly bearerToken: SecretRef | undefined;
  readonly basicAuth: { readonly username: string; readonly password: SecretRef } | undefined;
  /** headers are sent with every request, such as `X-Scope-OrgID` for a Mimir or Cortex tenant. */
  readonly headers: Readonly<Record<string, string>>;
}

export const DEFAULT_REMOTE_TIMEOUT_MS = 30_000;
export const DEFAULT_REMOTE_RETRIES = 2;

// Headers that carry credentials or that the client sets itself: configuring them as plain
// headers would put a secret in the config file, or fight the client.
const RESERVED_HEADERS = new Set(['authorization', 'content-type', 'content-encoding', 'content-length', 'host', 'user-agent']);

/** REMOTE_STORE_KEYS are the keys of a remote store mapping; a caller may open the mapping with more of its own. */
export const REMOTE_STORE_KEYS = ['url', 'write_url', 'timeout', 'retries', 'bearer_token_file', 'bearer_token_env', 'basic_auth', 'headers'] as const;

/**
 * decodeRemoteStore validates a remote store mapping opened with (at least) REMOTE_STORE_KEYS;
 * problems are reported on the field with file:line:column.
 */
export function decodeRemoteStore(o: ObjectReader): RemoteStoreConfig | undefined {
  if (!o.require('url')) return undefined;
  const url = httpURL(o.get('url'));
  const writeURL = o.has('write_url') ? httpURL(o.get('write_url')) : undefined;
  const timeout = o.get('timeout');
  let timeoutMs = timeout.duration() ?? DEFAULT_REMOTE_TIMEOUT_MS;
  if (timeoutMs <= 0) timeoutMs = timeout.expected('a duration greater than 0') ?? DEFAULT_REMOTE_TIMEOUT_MS;
  const retries = o.get('retries').int({ min: 0 }) ?? DEFAULT_REMOTE_RETRIES;
  const bearerToken = decodeSecretRef(o, 'bearer_token');
  let basicAuth: RemoteStoreConfig['basicAuth'];
  const ba = o.get('basic_auth').object(['username', 'password_file', 'password_env']);
  if (ba !== undefined && ba.require('username')) {
    const username = ba.get('username').string();
    const password = decodeSecretRef(ba, 'password');
    if (password === undefined) o.get('basic_auth').fail('basic_auth needs password_file or password_env (a password is never written in the config)');
    else if (username !== undefined) basicAuth = { username, password };
  }
  if (bearerToken !== undefined && basicAuth !== undefined) o.get('basic_auth').fail('at most one of bearer_token_* and basic_auth may be set');
  const headers = o.get('headers').stringMap() ?? {};
  for (const name of Object.keys(headers)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) o.get('headers').fail(`${JSON.stringify(name)} is not a valid HTTP header name`);
    else if (RESERVED_HEADERS.has(name.toLowerCase())) {
      o.get('headers').fail(`header ${JSON.stringify(name)} may not be set here (use bearer_token_file, bearer_token_env or basic_auth for credentials)`);
    }
  }
  if (url === undefined) return undefined;
  return { url, writeURL, timeoutMs, retries, bearerToken, basicAuth, headers };
}

function httpURL(f: Field): string | undefined {
  const s = f.string();
  if (s === undefined) return undefined;
  const checked = checkRemoteURL(s);
  if (checked.problem === 'credentials') return f.fail('credentials in the URL would sit in the config file: use basic_auth with password_file or password_env');
  if (checked.problem !== undefined) return f.expected('an http or https URL, such as http://prometheus:9090');
  return checked.url;
}

/**
 * checkRemoteURL reads a remote store's URL as storage.remote takes it, wherever it comes from
 * (the config, the command line): an absolute http(s) URL without credentials, returned without
 * a trailing slash (the API base), or what is wrong with it.
 */
export function checkRemoteURL(s: string): { url: string; problem?: undefined } | { problem: 'not-absolute' | 'scheme' | 'credentials' } {
  if (!URL.canParse(s)) return { problem: 'not-absolute' };
  const u = new URL(s);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { problem: 'scheme' };
  if (u.username !== '' || u.password !== '') return { problem: 'credentials' };
  return { url: s.replace(/\/+$/, '') };
}
