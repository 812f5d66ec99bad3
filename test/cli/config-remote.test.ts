import { describe, expect, it } from 'vitest';
import { isRemoteStorage, parseConfig } from '../../cli/config.js';
import { SourceError } from '../../util/yamlreader.js';

// storage.remote in vigil.yaml: decoded with defaults, every mistake reported with file:line:column,
// and no way to write a secret into the file.

const FILE = '/etc/vigil/vigil.yaml';

function issues(text: string): string[] {
  try {
    parseConfig(FILE, text);
  } catch (err) {
    if (err instanceof SourceError) return err.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}

describe('storage.remote', () => {
  it('decodes every setting, with the data directory for alerting state', () => {
    const cfg = parseConfig(
      FILE,
      `storage:
  remote:
    url: https://mimir.example/prometheus/
    write_url: https://mimir.example/api/v1/push
    timeout: 15s
    retries: 4
    basic_auth: {username: vigil, password_file: secrets/mimir-password}
    headers: {X-Scope-OrgID: ai-platform}
    path: /var/lib/vigil
`,
    );
    expect(isRemoteStorage(cfg.storage)).toBe(true);
    expect(cfg.storage).toEqual({
      path: '/var/lib/vigil',
      remote: {
        url: 'https://mimir.example/prometheus',
        writeURL: 'https://mimir.example/api/v1/push',
        timeoutMs: 15_000,
        retries: 4,
        bearerToken: undefined,
        basicAuth: { username: 'vigil', password: { file: '/etc/vigil/secrets/mimir-password' } },
        headers: { 'X-Scope-OrgID': 'ai-platform' },
      },
    });
  });

  it('defaults: 30s timeout, 2 retries, no writes, data next to the config', () => {
    const cfg = parseConfig(FILE, 'storage:\n  remote:\n    url: http://prometheus:9090\n    bearer_token_env: PROM_TOKEN\n');
    expect(cfg.storage).toEqual({
      path: '/etc/vigil/data',
      remote: { url: 'http://prometheus:9090', writeURL: undefined, timeoutMs: 30_000, retries: 2, bearerToken: { env: 'PROM_TOKEN' }, basicAuth: undefined, headers: {} },
    });
  });

  it('embedded stays the default', () => {
    expect(isRemoteStorage(parseConfig(FILE, 'global: {}\n').storage)).toBe(false);
  });

  it('reports mistakes with their line and column', () => {
    expect(
      issues(`storage:
  remote:
    url: prometheus:9090
    retries: -1
    timeout: 0s
    headers: {Authorization: Bearer abc}
    bearer_tokn_file: x
`),
    ).toEqual([
      '7:5 storage.remote.bearer_tokn_file: unknown field "bearer_tokn_file" (did you mean "bearer_token_file"?)',
      '3:10 storage.remote.url: got "prometheus:9090", expected an http or https URL, such as http://prometheus:9090',
      '5:14 storage.remote.timeout: got "0s", expected a duration greater than 0',
      '4:14 storage.remote.retries: got -1, expected an integer >= 0',
      '6:14 storage.remote.headers: header "Authorization" may not be set here (use bearer_token_file, bearer_token_env or basic_auth for credentials)',
    ]);
  });

  it('refuses secrets in the file: a password in basic_auth, credentials in the URL', () => {
    expect(issues('storage:\n  remote:\n    url: http://vigil:hunter2@prometheus:9090\n')).toEqual([
      '3:10 storage.remote.url: credentials in the URL would sit in the config file: use basic_auth with password_file or password_env',
    ]);
    expect(issues('storage:\n  remote:\n    url: http://p:9090\n    basic_auth: {username: u, password: hunter2}\n')).toEqual([
      '4:31 storage.remote.basic_auth.password: unknown field "password"',
      '4:17 storage.remote.basic_auth: basic_auth needs password_file or password_env (a password is never written in the config)',
    ]);
  });

  it('takes one mode, and no scrape jobs in remote mode', () => {
    expect(issues('storage:\n  embedded: {}\n  remote: {url: http://p:9090}\n')).toEqual(['3:11 storage.remote: storage takes one of embedded and remote, not both']);
    const scrape = issues(`scrape_configs:
  - job_name: vllm
    static_configs: [{targets: ['127.0.0.1:8000']}]
storage:
  remote: {url: http://p:9090}
`);
    expect(scrape).toEqual([
      '2:3 scrape_configs: scrape_configs needs storage.embedded: with storage.remote, the remote store scrapes (move these jobs to its config)',
    ]);
  });
});
