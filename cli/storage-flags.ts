import { checkRemoteURL, DEFAULT_REMOTE_RETRIES, DEFAULT_REMOTE_TIMEOUT_MS, type RemoteStoreConfig } from '../promql/remote/index.js';
import { UsageError } from './command.js';
import { embeddedDefaults, isRemoteStorage, type VigilConfig } from './config.js';

/**
 * withStorageFlags applies `vigil run --storage embedded|remote [--storage.remote.url URL]` to a
 * loaded config. `remote` evaluates rules through the query API of storage.remote (every other
 * setting of it kept, such as credentials and write_url), at --storage.remote.url when given;
 * the URL alone implies `remote`. `embedded` runs the local store even when the config names a
 * remote one (storage.embedded's defaults, in the same data directory). A mode that cannot run
 * is a UsageError that says what is missing.
 */
export function withStorageFlags(config: VigilConfig, mode: string | undefined, remoteURL: string | undefined): VigilConfig {
  const m = mode ?? (remoteURL === undefined ? undefined : 'remote');
  if (m === undefined) return config;
  if (m !== 'embedded' && m !== 'remote') throw new UsageError(`invalid --storage ${JSON.stringify(m)}: embedded or remote`);
  const current = config.storage;
  if (m === 'embedded') {
    if (remoteURL !== undefined) throw new UsageError('--storage.remote.url needs --storage remote');
    return isRemoteStorage(current) ? { ...config, storage: embeddedDefaults(current.path) } : config;
  }
  const base: RemoteStoreConfig = isRemoteStorage(current)
    ? current.remote
    : { url: '', writeURL: undefined, timeoutMs: DEFAULT_REMOTE_TIMEOUT_MS, retries: DEFAULT_REMOTE_RETRIES, bearerToken: undefined, basicAuth: undefined, headers: {} };
  if (remoteURL === undefined && base.url === '') throw new UsageError(`--storage remote needs the query API's URL: --storage.remote.url URL, or storage.remote.url in ${config.file}`);
  const url = remoteURL === undefined ? base.url : flagURL(remoteURL);
  for (const [key, n] of [['scrape_configs', config.scrapeConfigs.length], ['bullmq_configs', config.bullmqConfigs.length]] as const) {
    if (n > 0) throw new UsageError(`--storage remote: ${config.file} has ${key}, which need the embedded store (with a remote store, its own scraper collects)`);
  }
  return { ...config, storage: { remote: { ...base, url }, path: current.path } };
}

/** flagURL reads --storage.remote.url as storage.remote.url is read (checkRemoteURL). */
function flagURL(s: string): string {
  const checked = checkRemoteURL(s);
  if (checked.problem === undefined) return checked.url;
  throw new UsageError(
    checked.problem === 'not-absolute'
      ? `--storage.remote.url ${JSON.stringify(s)} is not an absolute URL`
      : checked.problem === 'scheme'
        ? '--storage.remote.url must be http or https'
        : '--storage.remote.url must not carry credentials: use storage.remote.bearer_token_file or basic_auth in the config',
  );
}
