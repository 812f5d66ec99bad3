import { describe, expect, it } from 'vitest';
import { type BullMQConfig, decodeBullMQConfigs } from '../../../collectors/bullmq/config.js';
import { readYaml, SourceError } from '../../../util/yamlreader.js';

const FILE = '/etc/vigil/vigil.yaml';

function decode(text: string, globals?: { scrapeIntervalMs: number; scrapeTimeoutMs: number }): BullMQConfig[] {
  return readYaml(FILE, text, (root) => decodeBullMQConfigs(root.object(['bullmq_configs'])!.get('bullmq_configs'), globals)) ?? [];
}

/** errors returns the `file:line:column: path: message` lines a bad config is refused with. */
function errors(text: string): string[] {
  try {
    decode(text);
  } catch (err) {
    if (err instanceof SourceError) return err.message.split('\n');
    throw err;
  }
  throw new Error('expected the config to be refused');
}

describe('decodeBullMQConfigs', () => {
  it('reads a full entry: rediss url, secrets by reference, TLS files relative to the config, queues and labels', () => {
    const [cfg] = decode(`
bullmq_configs:
  - job_name: queues
    scrape_interval: 30s
    scrape_timeout: 10s
    redis:
      url: rediss://redis.queues.svc:6380/2
      username: vigil
      password_file: secrets/redis
      tls_config: {ca_file: ca.pem, cert_file: tls/c.pem, key_file: tls/k.pem, server_name: redis, insecure_skip_verify: true}
    prefix: '{bull}'
    queues: [llm-batch-inference, embeddings]
    labels: {env: prod, instance: redis-queues}
`);
    expect(cfg).toEqual({
      jobName: 'queues',
      scrapeIntervalMs: 30_000,
      scrapeTimeoutMs: 10_000,
      redis: {
        host: 'redis.queues.svc',
        port: 6380,
        db: 2,
        tls: true,
        tlsConfig: {
          caFile: '/etc/vigil/ca.pem',
          certFile: '/etc/vigil/tls/c.pem',
          keyFile: '/etc/vigil/tls/k.pem',
          serverName: 'redis',
          insecureSkipVerify: true,
        },
        username: 'vigil',
        password: { file: '/etc/vigil/secrets/redis' },
      },
      prefix: '{bull}',
      queues: ['llm-batch-inference', 'embeddings'],
      labels: { env: 'prod', instance: 'redis-queues' },
    });
  });

  it('defaults: BullMQ prefix "bull", discovery, port 6379, db 0, intervals from the globals with the timeout capped', () => {
    const [cfg] = decode(
      `bullmq_configs:\n  - job_name: q\n    redis: {url: 'redis://[::1]', password_env: REDIS_PASSWORD, db: 3}\n`,
      { scrapeIntervalMs: 5000, scrapeTimeoutMs: 10_000 },
    );
    expect(cfg).toMatchObject({
      prefix: 'bull',
      queues: [],
      labels: {},
      scrapeIntervalMs: 5000,
      scrapeTimeoutMs: 5000,
      redis: { host: '::1', port: 6379, db: 3, tls: false, username: undefined, password: { env: 'REDIS_PASSWORD' } },
    });
  });

  it('refuses secrets in the config, inline or in the url, without echoing them', () => {
    const lines = errors(`bullmq_configs:
  - job_name: a
    redis: {url: 'redis://:hunter2@redis:6379', password: hunter2}
`);
    expect(lines).toEqual([
      `${FILE}:3:59: bullmq_configs[0].redis.password: secrets are not accepted in the config file; use password_file or password_env`,
      `${FILE}:3:18: bullmq_configs[0].redis.url: credentials are not accepted in the url; use redis.username and redis.password_file or redis.password_env`,
    ]);
    expect(lines.join('\n')).not.toContain('hunter2');
  });

  it('reports every problem with file:line:column and the field path', () => {
    const lines = errors(`bullmq_configs:
  - job_name: a
    scrape_interval: 10s
    scrape_timeout: 20s
    redis:
      url: http://redis:6379
      password_file: a
      password_env: B
      tls_config: {ca_file: ca.pem}
    queues: [ok, 'bad:name', ok, '']
    labels: {queue: x, __meta: y, 0bad: z}
    scrape_intreval: 5s
  - job_name: b
    redis: {url: 'redis://r/x'}
  - job_name: c
    redis: {url: 'redis://r/1', db: 2}
  - job_name: d
    redis: {url: 'redis://r', tls_config: {cert_file: c.pem}}
  - job_name: e
    redis: {url: 'redis://r'}
  - job_name: e
    redis: {url: 'redis://r'}
  - redis: {url: 'redis://r?db=1'}
`);
    expect(lines).toEqual([
      `${FILE}:12:5: bullmq_configs[0].scrape_intreval: unknown field "scrape_intreval" (did you mean "scrape_interval"?)`,
      `${FILE}:4:21: bullmq_configs[0].scrape_timeout: scrape timeout greater than scrape interval`,
      `${FILE}:6:12: bullmq_configs[0].redis.url: got "http://redis:6379", expected a redis:// or rediss:// url`,
      `${FILE}:8:21: bullmq_configs[0].redis.password_env: at most one of password_file and password_env may be set`,
      `${FILE}:10:18: bullmq_configs[0].queues[1]: queue name "bad:name" contains ":", which BullMQ does not allow`,
      `${FILE}:10:30: bullmq_configs[0].queues[2]: queue "ok" is listed twice`,
      `${FILE}:10:34: bullmq_configs[0].queues[3]: a queue name cannot be empty`,
      `${FILE}:11:21: bullmq_configs[0].labels.queue: label "queue" is set by the collector on each series`,
      `${FILE}:11:32: bullmq_configs[0].labels.__meta: "__meta" is not a valid label name (reserved or not [a-zA-Z_][a-zA-Z0-9_]*)`,
      `${FILE}:11:41: bullmq_configs[0].labels.0bad: "0bad" is not a valid label name (reserved or not [a-zA-Z_][a-zA-Z0-9_]*)`,
      `${FILE}:14:18: bullmq_configs[1].redis.url: the url's path must be a database number such as /0, got "/x"`,
      `${FILE}:16:37: bullmq_configs[2].redis.db: the url already selects database 1`,
      `${FILE}:18:55: bullmq_configs[3].redis.tls_config.cert_file: cert_file and key_file must be set together`,
      `${FILE}:18:43: bullmq_configs[3].redis.tls_config: tls_config needs a rediss:// url`,
      `${FILE}:21:5: bullmq_configs[5]: found multiple bullmq configs with job name "e"`,
      `${FILE}:23:5: bullmq_configs[6]: field "job_name" is required`,
    ]);
  });
});
