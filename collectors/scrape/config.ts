import type { Field, ObjectReader } from '../../util/yamlreader.js';
import { decodeRelabelConfigs, type RelabelConfig } from '../relabel/config.js';
import { decodeKubernetesSDConfigs, type KubernetesSDConfig } from '../discovery/kubernetes/index.js';
import { decodeStaticConfigs, type StaticConfig } from '../discovery/static.js';
import { decodeSecretRef, type SecretRef } from '../../util/secret.js';

/** ScrapeGlobals are the `global` settings a scrape config inherits. Durations in ms. */
export interface ScrapeGlobals {
  readonly scrapeIntervalMs: number;
  readonly scrapeTimeoutMs: number;
}

export const DEFAULT_SCRAPE_GLOBALS: ScrapeGlobals = { scrapeIntervalMs: 60_000, scrapeTimeoutMs: 10_000 };

/** BasicAuth credentials; the password comes from a file or an environment variable, never the config. */
export interface BasicAuth {
  readonly username: string;
  readonly password: SecretRef | undefined;
}

/** Authorization is an `Authorization: <type> <credentials>` header, credentials from a secret. */
export interface Authorization {
  readonly type: string;
  readonly credentials: SecretRef;
}

/** ScrapeConfig is one `scrape_configs` entry, shaped like Prometheus's, with defaults applied. */
export interface ScrapeConfig {
  readonly jobName: string;
  readonly scrapeIntervalMs: number;
  readonly scrapeTimeoutMs: number;
  readonly metricsPath: string;
  readonly scheme: 'http' | 'https';
  readonly params: Readonly<Record<string, readonly string[]>>;
  readonly honorLabels: boolean;
  readonly honorTimestamps: boolean;
  readonly staticConfigs: readonly StaticConfig[];
  /** kubernetesSDConfigs: pods discovered through the Kubernetes API (role: pod). */
  readonly kubernetesSDConfigs: readonly KubernetesSDConfig[];
  readonly relabelConfigs: readonly RelabelConfig[];
  readonly metricRelabelConfigs: readonly RelabelConfig[];
  /** Limits; 0 means no limit, as in Prometheus. */
  readonly sampleLimit: number;
  readonly labelLimit: number;
  readonly labelNameLengthLimit: number;
  readonly labelValueLengthLimit: number;
  readonly bodySizeLimitBytes: number;
  readonly basicAuth: BasicAuth | undefined;
  readonly authorization: Authorization | undefined;
  /** enableCompression asks targets for gzip (Accept-Encoding), Prometheus's default. */
  readonly enableCompression: boolean;
  readonly tlsInsecureSkipVerify: boolean;
  readonly tlsCaFile: string | undefined;
}

const FIELDS = [
  'job_name',
  'scrape_interval',
  'scrape_timeout',
  'metrics_path',
  'scheme',
  'params',
  'honor_labels',
  'honor_timestamps',
  'static_configs',
  'kubernetes_sd_configs',
  'relabel_configs',
  'metric_relabel_configs',
  'sample_limit',
  'label_limit',
  'label_name_length_limit',
  'label_value_length_limit',
  'body_size_limit',
  'basic_auth',
  'authorization',
  'bearer_token_file',
  'enable_compression',
  'tls_config',
] as const;

/** decodeScrapeConfigs reads `scrape_configs`, checking job names are unique. */
export function decodeScrapeConfigs(field: Field, globals: ScrapeGlobals): ScrapeConfig[] | undefined {
  return decodeJobList(field, 'scrape', (item) => decodeScrapeConfig(item, globals));
}

/**
 * decodeJobList decodes a list of job configs (scrape_configs, bullmq_configs) with `decode`,
 * refusing a job name seen earlier in the same list, in Prometheus's words.
 */
export function decodeJobList<T extends { readonly jobName: string }>(field: Field, kind: string, decode: (item: Field) => T | undefined): T[] | undefined {
  const seen = new Set<string>();
  return field.list((item) => {
    const cfg = decode(item);
    if (cfg === undefined) return undefined;
    if (seen.has(cfg.jobName)) return item.fail(`found multiple ${kind} configs with job name ${JSON.stringify(cfg.jobName)}`);
    seen.add(cfg.jobName);
    return cfg;
  });
}

function decodeScrapeConfig(item: Field, globals: ScrapeGlobals): ScrapeConfig | undefined {
  const o = item.object(FIELDS);
  if (o === undefined) return undefined;
  if (!o.require('job_name')) return undefined;
  const jobName = o.get('job_name').string();
  if (jobName === undefined) return undefined;
  const scrapeIntervalMs = positive(o.get('scrape_interval')) ?? globals.scrapeIntervalMs;
  // Like Prometheus: an unset timeout is the global one, capped at the interval.
  let scrapeTimeoutMs = positive(o.get('scrape_timeout')) ?? Math.min(globals.scrapeTimeoutMs, scrapeIntervalMs);
  if (scrapeTimeoutMs > scrapeIntervalMs) {
    o.get('scrape_timeout').fail(`scrape timeout greater than scrape interval for scrape config with job name ${JSON.stringify(jobName)}`);
    scrapeTimeoutMs = scrapeIntervalMs;
  }
  const metricsPath = o.get('metrics_path').string() ?? '/metrics';
  if (!metricsPath.startsWith('/')) o.get('metrics_path').expected('a path starting with "/"');
  const params: Record<string, string[]> = {};
  for (const [name, values] of o.get('params').entries() ?? []) {
    const list = values.list((f) => f.string());
    if (list !== undefined) params[name] = list;
  }
  const basicAuth = decodeBasicAuth(o.get('basic_auth'));
  let authorization = decodeAuthorization(o.get('authorization'));
  if (o.has('bearer_token_file')) {
    const file = o.get('bearer_token_file').filePath();
    if (authorization !== undefined) o.get('bearer_token_file').fail('at most one of authorization and bearer_token_file may be set');
    else if (file !== undefined) authorization = { type: 'Bearer', credentials: { file } };
  }
  if (basicAuth !== undefined && authorization !== undefined) o.get('basic_auth').fail('at most one of basic_auth and authorization may be set');
  const tls = o.get('tls_config').object(['insecure_skip_verify', 'ca_file']);
  return {
    jobName,
    scrapeIntervalMs,
    scrapeTimeoutMs,
    metricsPath,
    scheme: o.get('scheme').oneOf(['http', 'https'] as const) ?? 'http',
    params,
    honorLabels: o.get('honor_labels').bool() ?? false,
    honorTimestamps: o.get('honor_timestamps').bool() ?? true,
    staticConfigs: decodeStaticConfigs(o.get('static_configs')) ?? [],
    kubernetesSDConfigs: decodeKubernetesSDConfigs(o.get('kubernetes_sd_configs')) ?? [],
    relabelConfigs: decodeRelabelConfigs(o.get('relabel_configs')) ?? [],
    metricRelabelConfigs: decodeRelabelConfigs(o.get('metric_relabel_configs')) ?? [],
    sampleLimit: o.get('sample_limit').int({ min: 0 }) ?? 0,
    labelLimit: o.get('label_limit').int({ min: 0 }) ?? 0,
    labelNameLengthLimit: o.get('label_name_length_limit').int({ min: 0 }) ?? 0,
    labelValueLengthLimit: o.get('label_value_length_limit').int({ min: 0 }) ?? 0,
    bodySizeLimitBytes: o.get('body_size_limit').byteSize() ?? 0,
    basicAuth,
    authorization,
    enableCompression: o.get('enable_compression').bool() ?? true,
    tlsInsecureSkipVerify: tls?.get('insecure_skip_verify').bool() ?? false,
    tlsCaFile: tls?.get('ca_file').filePath(),
  };
}

function positive(f: Field): number | undefined {
  const ms = f.duration();
  if (ms === undefined) return undefined;
  if (ms <= 0) return f.expected('a duration greater than 0');
  return ms;
}

function decodeBasicAuth(f: Field): BasicAuth | undefined {
  const o = f.object(['username', 'password', 'password_file', 'password_env']);
  if (o === undefined) return undefined;
  rejectInlineSecret(o, 'password', 'password_file');
  return { username: o.get('username').string() ?? '', password: decodeSecretRef(o, 'password') };
}

function decodeAuthorization(f: Field): Authorization | undefined {
  const o = f.object(['type', 'credentials', 'credentials_file', 'credentials_env']);
  if (o === undefined) return undefined;
  rejectInlineSecret(o, 'credentials', 'credentials_file');
  const type = o.get('type').string() ?? 'Bearer';
  if (type.toLowerCase() === 'basic') o.get('type').fail('authorization type cannot be set to "basic", use "basic_auth" instead');
  const credentials = decodeSecretRef(o, 'credentials');
  if (credentials === undefined) {
    f.fail('authorization needs credentials_file or credentials_env');
    return undefined;
  }
  return { type, credentials };
}

/** Secrets never live in vigil's config: a literal password is an error that says where to put it. */
function rejectInlineSecret(o: ObjectReader, key: string, fileKey: string): void {
  if (o.has(key)) o.get(key).fail(`secrets are not accepted in the config file; use ${fileKey} or ${key}_env`);
}
