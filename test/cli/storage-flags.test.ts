import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/command.js';
import { isRemoteStorage, parseConfig } from '../../cli/config.js';
import { withStorageFlags } from '../../cli/storage-flags.js';
import { vigilCli } from '../support/cli.js';

// `vigil run --storage embedded|remote [--storage.remote.url URL]` over what vigil.yaml says.

const FILE = '/etc/vigil/vigil.yaml';
const EMBEDDED = parseConfig(FILE, 'rule_files: [rules.yaml]\n');
const REMOTE = parseConfig(
  FILE,
  `storage:
  remote:
    url: http://prometheus:9090
    write_url: http://prometheus:9090/api/v1/write
    bearer_token_env: PROM_TOKEN
    headers: {X-Scope-OrgID: ai}
    path: /var/lib/vigil
`,
);
const SCRAPING = parseConfig(FILE, 'scrape_configs:\n  - job_name: vllm\n    static_configs: [{targets: ["127.0.0.1:8000"]}]\n');

function usage(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  return 'no UsageError';
}

describe('vigil run --storage', () => {
  it('leaves the config alone without the flags', () => {
    expect(withStorageFlags(EMBEDDED, undefined, undefined)).toBe(EMBEDDED);
    expect(withStorageFlags(REMOTE, undefined, undefined)).toBe(REMOTE);
  });

  it('--storage remote with a URL runs remote from an embedded config, in its data directory', () => {
    const cfg = withStorageFlags(EMBEDDED, 'remote', 'https://thanos.example/');
    expect(isRemoteStorage(cfg.storage)).toBe(true);
    expect(cfg.storage).toEqual({
      path: EMBEDDED.storage.path,
      remote: { url: 'https://thanos.example', writeURL: undefined, timeoutMs: 30_000, retries: 2, bearerToken: undefined, basicAuth: undefined, headers: {} },
    });
    // The URL alone means remote.
    expect(withStorageFlags(EMBEDDED, undefined, 'http://p:9090').storage).toMatchObject({ remote: { url: 'http://p:9090' } });
  });

  it("a URL on the command line keeps the rest of the config's storage.remote", () => {
    const cfg = withStorageFlags(REMOTE, 'remote', 'http://other:9090');
    expect(cfg.storage).toMatchObject({ path: '/var/lib/vigil', remote: { url: 'http://other:9090', writeURL: 'http://prometheus:9090/api/v1/write', headers: { 'X-Scope-OrgID': 'ai' } } });
    expect(withStorageFlags(REMOTE, 'remote', undefined).storage).toEqual(REMOTE.storage);
  });

  it('--storage embedded runs the local store in the same data directory', () => {
    expect(withStorageFlags(REMOTE, 'embedded', undefined).storage).toEqual({ path: '/var/lib/vigil', retentionMs: 15 * 24 * 3600_000, walFsyncIntervalMs: 1000 });
    expect(withStorageFlags(EMBEDDED, 'embedded', undefined)).toBe(EMBEDDED);
  });

  it('says what is missing or wrong', () => {
    expect(usage(() => withStorageFlags(EMBEDDED, 'remote', undefined))).toBe("--storage remote needs the query API's URL: --storage.remote.url URL, or storage.remote.url in /etc/vigil/vigil.yaml");
    expect(usage(() => withStorageFlags(EMBEDDED, 'tsdb', undefined))).toBe('invalid --storage "tsdb": embedded or remote');
    expect(usage(() => withStorageFlags(EMBEDDED, 'embedded', 'http://p:9090'))).toBe('--storage.remote.url needs --storage remote');
    expect(usage(() => withStorageFlags(EMBEDDED, 'remote', 'prometheus:9090'))).toBe('--storage.remote.url must be http or https');
    expect(usage(() => withStorageFlags(EMBEDDED, 'remote', 'not a url'))).toBe('--storage.remote.url "not a url" is not an absolute URL');
    expect(usage(() => withStorageFlags(EMBEDDED, 'remote', 'http://u:secret@p:9090'))).toBe('--storage.remote.url must not carry credentials: use storage.remote.bearer_token_file or basic_auth in the config');
    expect(usage(() => withStorageFlags(SCRAPING, 'remote', 'http://p:9090'))).toBe('--storage remote: /etc/vigil/vigil.yaml has scrape_configs, which need the embedded store (with a remote store, its own scraper collects)');
  });

  it('documents both flags in vigil run --help', async () => {
    const res = await vigilCli(['run', '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('--storage MODE');
    expect(res.stdout).toContain('--storage.remote.url URL');
  });
});
