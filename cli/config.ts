import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeBullMQConfigs, type BullMQConfig } from '../collectors/bullmq/index.js';
import { type ScrapeConfig, type ScrapeGlobals, decodeScrapeConfigs } from '../collectors/scrape/config.js';
import { isValidLabelName } from '../model/labels.js';
import { decodeRemoteStore, REMOTE_STORE_KEYS, type RemoteStoreConfig } from '../promql/remote/index.js';
import { type SecretRef, decodeSecretRef } from '../util/secret.js';
import { type Field, readYaml, SourceError } from '../util/yamlreader.js';

/** GlobalConfig is `global`: defaults for every scrape config and rule group. Durations in ms. */
export interface GlobalConfig extends ScrapeGlobals {
  readonly evaluationIntervalMs: number;
  readonly externalLabels: Readonly<Record<string, string>>;
}

/** EmbeddedStorageConfig is `storage.embedded`: the local store's data directory and policies. */
export interface EmbeddedStorageConfig {
  readonly path: string;
  readonly retentionMs: number;
  /** walFsyncIntervalMs batches WAL fsyncs; 0 syncs on every commit. */
  readonly walFsyncIntervalMs: number;
}

/**
 * RemoteStorageConfig is `storage.remote`: rules are evaluated against a Prometheus-compatible
 * API and nothing is scraped or stored locally. `path` is still a data directory, for vigil's own
 * state (alerting's notification log and silences), never for samples.
 */
export interface RemoteStorageConfig {
  readonly remote: RemoteStoreConfig;
  readonly path: string;
}

/** StorageConfig is `storage`: `embedded` (the default) or `remote`, exactly one. */
export type StorageConfig = EmbeddedStorageConfig | RemoteStorageConfig;

/** isRemoteStorage tells the two storage modes apart. */
export function isRemoteStorage(s: StorageConfig): s is RemoteStorageConfig {
  return 'remote' in s;
}

/** ServerConfig is `server`: one listen address for every HTTP endpoint. */
export interface ServerConfig {
  /** listenAddress is host:port; port 0 picks a free port. */
  readonly listenAddress: string;
  /** bearerToken, when set, is required on write endpoints. */
  readonly bearerToken: SecretRef | undefined;
}

/** VigilConfig is a validated `vigil.yaml`. Paths are absolute, resolved against the file's directory. */
export interface VigilConfig {
  readonly file: string;
  readonly global: GlobalConfig;
  readonly scrapeConfigs: readonly ScrapeConfig[];
  /** bullmqConfigs: BullMQ queues read from Redis, collected like scrape targets. */
  readonly bullmqConfigs: readonly BullMQConfig[];
  readonly ruleFiles: readonly string[];
  /** alertingConfigFile is the Alertmanager-format routing file, when alerting is configured. */
  readonly alertingConfigFile: string | undefined;
  readonly storage: StorageConfig;
  readonly server: ServerConfig;
}

export const DEFAULT_LISTEN_ADDRESS = '127.0.0.1:9470';

const DEFAULT_GLOBAL: GlobalConfig = {
  scrapeIntervalMs: 60_000,
  scrapeTimeoutMs: 10_000,
  evaluationIntervalMs: 60_000,
  externalLabels: {},
};

/** loadConfig reads and validates a config file; it throws SourceError listing every problem with file:line:column. */
export function loadConfig(file: string): VigilConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SourceError([
      { file, line: 1, column: 1, path: '', message: `cannot read config file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` },
    ]);
  }
  return parseConfig(resolve(file), text);
}

/** parseConfig validates config text as if read from `file` (which anchors relative paths). */
export function parseConfig(file: string, text: string): VigilConfig {
  return readYaml(file, text, (root) => {
    const o = root.present ? root.object(['global', 'scrape_configs', 'bullmq_configs', 'rule_files', 'alerting', 'storage', 'server']) : undefined;
    if (root.present && o === undefined) return undefined;
    const global = decodeGlobal(o?.get('global') ?? root.missing('global'));
    const alerting = o?.get('alerting').object(['config_file']);
    const scrapeConfigs = o === undefined ? [] : (decodeScrapeConfigs(o.get('scrape_configs'), global) ?? []);
    const bullmqConfigs = o === undefined ? [] : (decodeBullMQConfigs(o.get('bullmq_configs'), global) ?? []);
    const scrapeJobs = new Set(scrapeConfigs.map((c) => c.jobName));
    o?.get('bullmq_configs').list((item) => {
      const name = item.entries()?.find(([k]) => k === 'job_name')?.[1];
      if (name !== undefined && scrapeJobs.has(name.string() ?? '')) name.fail(`job name ${JSON.stringify(name.string())} is also a scrape_configs job`);
      return undefined;
    });
    const storage = decodeStorage(o?.get('storage') ?? root.missing('storage'), file);
    if (isRemoteStorage(storage)) {
      // In remote mode the remote store's own scraper (Prometheus, an agent) collects: vigil has nowhere to put samples.
      for (const [key, n] of [['scrape_configs', scrapeConfigs.length], ['bullmq_configs', bullmqConfigs.length]] as const) {
        if (n > 0) o?.get(key).fail(`${key} needs storage.embedded: with storage.remote, the remote store scrapes (move these jobs to its config)`);
      }
    }
    return {
      file,
      global,
      scrapeConfigs,
      bullmqConfigs,
      ruleFiles: o?.get('rule_files').list((f) => f.filePath()) ?? [],
      alertingConfigFile: alerting?.get('config_file').filePath(),
      storage,
      server: decodeServer(o?.get('server') ?? root.missing('server')),
    };
  }) as VigilConfig;
}

function decodeGlobal(f: Field): GlobalConfig {
  const o = f.object(['scrape_interval', 'scrape_timeout', 'evaluation_interval', 'external_labels']);
  if (o === undefined) return DEFAULT_GLOBAL;
  const scrapeIntervalMs = positive(o.get('scrape_interval')) ?? DEFAULT_GLOBAL.scrapeIntervalMs;
  const scrapeTimeoutMs = positive(o.get('scrape_timeout')) ?? Math.min(DEFAULT_GLOBAL.scrapeTimeoutMs, scrapeIntervalMs);
  if (scrapeTimeoutMs > scrapeIntervalMs) o.get('scrape_timeout').fail('global scrape timeout greater than scrape interval');
  const externalLabels = o.get('external_labels').stringMap() ?? {};
  for (const name of Object.keys(externalLabels)) {
    if (!isValidLabelName(name)) o.get('external_labels').fail(`${JSON.stringify(name)} is not a valid label name`);
  }
  return {
    scrapeIntervalMs,
    scrapeTimeoutMs,
    evaluationIntervalMs: positive(o.get('evaluation_interval')) ?? DEFAULT_GLOBAL.evaluationIntervalMs,
    externalLabels,
  };
}

/** embeddedDefaults is storage.embedded when the config sets none of it, with its data directory at `path`. */
export function embeddedDefaults(path: string): EmbeddedStorageConfig {
  return { path, retentionMs: 15 * 24 * 3600_000, walFsyncIntervalMs: 1000 };
}

function decodeStorage(f: Field, file: string): StorageConfig {
  const defaults = embeddedDefaults(resolve(file, '..', 'data'));
  const o = f.object(['embedded', 'remote']);
  if (o?.has('embedded') === true && o.has('remote')) o.get('remote').fail('storage takes one of embedded and remote, not both');
  else if (o?.has('remote') === true) {
    // `path` sits beside the API settings: vigil's own state directory, not part of the remote store's settings.
    const r = o.get('remote').object([...REMOTE_STORE_KEYS, 'path']);
    const remote = r === undefined ? undefined : decodeRemoteStore(r);
    return remote === undefined ? defaults : { remote, path: r?.get('path').filePath() ?? defaults.path };
  }
  const e = o?.get('embedded').object(['path', 'retention', 'wal_fsync_interval']);
  if (e === undefined) return defaults;
  const retentionMs = positive(e.get('retention')) ?? defaults.retentionMs;
  return {
    path: e.get('path').filePath() ?? defaults.path,
    retentionMs,
    walFsyncIntervalMs: e.get('wal_fsync_interval').duration() ?? defaults.walFsyncIntervalMs,
  };
}

function decodeServer(f: Field): ServerConfig {
  const o = f.object(['listen_address', 'bearer_token_file', 'bearer_token_env']);
  const listen = o?.get('listen_address');
  const address = listen?.string() ?? DEFAULT_LISTEN_ADDRESS;
  if (splitHostPort(address) === undefined) listen?.expected('host:port, such as 127.0.0.1:9470 or :9470');
  return { listenAddress: address, bearerToken: o === undefined ? undefined : decodeSecretRef(o, 'bearer_token') };
}

function positive(f: Field): number | undefined {
  const ms = f.duration();
  if (ms === undefined) return undefined;
  if (ms <= 0) return f.expected('a duration greater than 0');
  return ms;
}

/** splitHostPort splits `host:port` (host may be empty or a bracketed IPv6 address). */
export function splitHostPort(address: string): { host: string; port: number } | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]*):(\d{1,5})$/.exec(address);
  if (m === null) return undefined;
  const port = Number(m[2]);
  if (port > 65535) return undefined;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}
