import { isValidLabelName } from '../../model/labels.js';
import { decodeSecretRef, type SecretRef } from '../../util/secret.js';
import type { Field } from '../../util/yamlreader.js';
import { decodeJobList, DEFAULT_SCRAPE_GLOBALS, type ScrapeGlobals } from '../scrape/config.js';

/**
 * A `bullmq_configs` entry in vigil.yaml. Each one reads the BullMQ queues of one Redis like a
 * scrape target: every `scrape_interval` (default: `global.scrape_interval`), within
 * `scrape_timeout`, it stores `bullmq_queue_jobs{queue, state}`,
 * `bullmq_queue_oldest_waiting_age_seconds{queue}`, `up` and `scrape_duration_seconds` with the
 * labels `job` (the job name), `instance` (host:port of the Redis) and `labels`.
 *
 * ```yaml
 * bullmq_configs:
 *   - job_name: bullmq
 *     scrape_interval: 15s
 *     scrape_timeout: 5s
 *     redis:
 *       url: rediss://redis.queues.svc:6380/0   # redis:// or rediss:// (TLS); no credentials here
 *       username: vigil                          # optional, Redis 6 ACL user
 *       password_file: /run/secrets/redis        # or password_env: REDIS_PASSWORD
 *       db: 0                                    # or the url's path; default 0
 *       tls_config: {ca_file: ca.pem, cert_file: c.pem, key_file: k.pem, server_name: redis, insecure_skip_verify: false}
 *     prefix: bull                                # BullMQ's key prefix, default "bull"
 *     queues: [llm-batch-inference, embeddings]   # empty or absent: every queue with a <prefix>:<name>:meta key
 *     labels: {env: prod}
 * ```
 *
 * A password written in the config (inline, or in the url) is refused: secrets come from a file
 * (re-read on every reconnect, so a rotated file takes effect) or an environment variable.
 */
export interface BullMQConfig {
  readonly jobName: string;
  readonly scrapeIntervalMs: number;
  readonly scrapeTimeoutMs: number;
  readonly redis: BullMQRedisConfig;
  readonly prefix: string;
  /** queues to read; empty means discover them on every collection. */
  readonly queues: readonly string[];
  /** labels are added to every series; they may override `job` and `instance`, as static_configs labels do. */
  readonly labels: Readonly<Record<string, string>>;
}

/** BullMQRedisConfig is where the queues live. */
export interface BullMQRedisConfig {
  /** host without IPv6 brackets. */
  readonly host: string;
  readonly port: number;
  readonly db: number;
  /** tls is true for a rediss:// url. */
  readonly tls: boolean;
  readonly tlsConfig: RedisTLSConfig;
  readonly username: string | undefined;
  readonly password: SecretRef | undefined;
}

/** RedisTLSConfig is Prometheus's tls_config for a rediss:// connection; paths are absolute. */
export interface RedisTLSConfig {
  readonly caFile: string | undefined;
  readonly certFile: string | undefined;
  readonly keyFile: string | undefined;
  readonly serverName: string | undefined;
  readonly insecureSkipVerify: boolean;
}

/** DEFAULT_BULLMQ_PREFIX is BullMQ's own default key prefix. */
export const DEFAULT_BULLMQ_PREFIX = 'bull';

/** COLLECTOR_LABELS are set on series by the collector itself, so `labels` cannot use them. */
const COLLECTOR_LABELS = ['queue', 'state'];

const FIELDS = ['job_name', 'scrape_interval', 'scrape_timeout', 'redis', 'prefix', 'queues', 'labels'] as const;
const REDIS_FIELDS = ['url', 'username', 'password', 'password_file', 'password_env', 'db', 'tls_config'] as const;
const TLS_FIELDS = ['ca_file', 'cert_file', 'key_file', 'server_name', 'insecure_skip_verify'] as const;

/**
 * decodeBullMQConfigs reads the `bullmq_configs` list, checking that job names are unique among
 * its entries (the caller checks them against scrape_configs). Intervals default to `globals`.
 * Problems are recorded on the fields (file:line:column) and the entry is left out.
 */
export function decodeBullMQConfigs(field: Field, globals: ScrapeGlobals = DEFAULT_SCRAPE_GLOBALS): BullMQConfig[] | undefined {
  return decodeJobList(field, 'bullmq', (item) => decodeBullMQConfig(item, globals));
}

function decodeBullMQConfig(item: Field, globals: ScrapeGlobals): BullMQConfig | undefined {
  const o = item.object(FIELDS);
  if (o === undefined) return undefined;
  if (!o.require('job_name', 'redis')) return undefined;
  const jobName = o.get('job_name').string();
  const scrapeIntervalMs = positive(o.get('scrape_interval')) ?? globals.scrapeIntervalMs;
  let scrapeTimeoutMs = positive(o.get('scrape_timeout')) ?? Math.min(globals.scrapeTimeoutMs, scrapeIntervalMs);
  if (scrapeTimeoutMs > scrapeIntervalMs) {
    o.get('scrape_timeout').fail('scrape timeout greater than scrape interval');
    scrapeTimeoutMs = scrapeIntervalMs;
  }
  const redis = decodeRedis(o.get('redis'));
  const prefix = o.get('prefix').string() ?? DEFAULT_BULLMQ_PREFIX;
  if (prefix === '') o.get('prefix').expected('a non-empty key prefix such as "bull"');
  const queues = decodeQueues(o.get('queues'));
  const labels = decodeLabels(o.get('labels'));
  if (jobName === undefined || jobName === '' || redis === undefined || queues === undefined || labels === undefined) {
    if (jobName === '') o.get('job_name').expected('a non-empty job name');
    return undefined;
  }
  return { jobName, scrapeIntervalMs, scrapeTimeoutMs, redis, prefix, queues, labels };
}

function decodeRedis(f: Field): BullMQRedisConfig | undefined {
  const o = f.object(REDIS_FIELDS);
  if (o === undefined) return undefined;
  if (!o.require('url')) return undefined;
  if (o.has('password')) o.get('password').fail('secrets are not accepted in the config file; use password_file or password_env');
  const url = parseRedisUrl(o.get('url'));
  const password = decodeSecretRef(o, 'password');
  const username = o.get('username').string();
  let db = o.get('db').int({ min: 0 });
  if (url !== undefined && url.db !== undefined) {
    if (db !== undefined && db !== url.db) o.get('db').fail(`the url already selects database ${url.db}`);
    db = url.db;
  }
  const tlsConfig = decodeTLS(o.get('tls_config'));
  if (url !== undefined && !url.tls && o.has('tls_config')) o.get('tls_config').fail('tls_config needs a rediss:// url');
  if (url === undefined) return undefined;
  return { host: url.host, port: url.port, db: db ?? 0, tls: url.tls, tlsConfig, username, password };
}

interface ParsedRedisUrl {
  host: string;
  port: number;
  db: number | undefined;
  tls: boolean;
}

/** parseRedisUrl accepts `redis[s]://host[:port][/db]`; credentials, queries and fragments are refused. */
function parseRedisUrl(f: Field): ParsedRedisUrl | undefined {
  const raw = f.string();
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return f.expected('a url such as redis://127.0.0.1:6379 or rediss://redis:6380/0');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return f.expected('a redis:// or rediss:// url');
  if (url.username !== '' || url.password !== '') {
    // Never echo the value: it may hold the password.
    return f.fail('credentials are not accepted in the url; use redis.username and redis.password_file or redis.password_env');
  }
  if (url.search !== '' || url.hash !== '') return f.fail('the url takes no query or fragment; use the redis fields instead');
  if (url.hostname === '') return f.expected('a url with a host, such as redis://127.0.0.1:6379');
  let db: number | undefined;
  const path = url.pathname;
  if (path !== '' && path !== '/') {
    if (!/^\/\d+$/.test(path)) return f.fail(`the url's path must be a database number such as /0, got ${JSON.stringify(path)}`);
    db = Number(path.slice(1));
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? 6379 : Number(url.port),
    db,
    tls: url.protocol === 'rediss:',
  };
}

function decodeTLS(f: Field): RedisTLSConfig {
  const o = f.object(TLS_FIELDS);
  const certFile = o?.get('cert_file').filePath();
  const keyFile = o?.get('key_file').filePath();
  if ((certFile === undefined) !== (keyFile === undefined)) {
    o?.get(certFile === undefined ? 'key_file' : 'cert_file').fail('cert_file and key_file must be set together');
  }
  return {
    caFile: o?.get('ca_file').filePath(),
    certFile,
    keyFile,
    serverName: o?.get('server_name').string(),
    insecureSkipVerify: o?.get('insecure_skip_verify').bool() ?? false,
  };
}

/** decodeQueues reads queue names as BullMQ allows them: non-empty, without ':', each once. */
function decodeQueues(f: Field): string[] | undefined {
  if (!f.present) return [];
  const seen = new Set<string>();
  let ok = true;
  const names = f.list((item) => {
    const name = item.string();
    if (name === undefined) return undefined;
    let problem: string | undefined;
    if (name === '') problem = 'a queue name cannot be empty';
    else if (name.includes(':')) problem = `queue name ${JSON.stringify(name)} contains ":", which BullMQ does not allow`;
    else if (seen.has(name)) problem = `queue ${JSON.stringify(name)} is listed twice`;
    if (problem !== undefined) {
      ok = false;
      return item.fail(problem);
    }
    seen.add(name);
    return name;
  });
  return ok ? names : undefined;
}

function decodeLabels(f: Field): Record<string, string> | undefined {
  const entries = f.entries();
  if (entries === undefined) return f.present ? undefined : {};
  const out: Record<string, string> = {};
  let ok = true;
  for (const [name, value] of entries) {
    let problem: string | undefined;
    if (!isValidLabelName(name) || name.startsWith('__')) problem = `${JSON.stringify(name)} is not a valid label name (reserved or not [a-zA-Z_][a-zA-Z0-9_]*)`;
    else if (COLLECTOR_LABELS.includes(name)) problem = `label ${JSON.stringify(name)} is set by the collector on each series`;
    const v = value.string();
    if (problem !== undefined) value.fail(problem);
    if (problem !== undefined || v === undefined) {
      ok = false;
      continue;
    }
    out[name] = v;
  }
  return ok ? out : undefined;
}

function positive(f: Field): number | undefined {
  const ms = f.duration();
  if (ms === undefined) return undefined;
  if (ms <= 0) return f.expected('a duration greater than 0');
  return ms;
}
