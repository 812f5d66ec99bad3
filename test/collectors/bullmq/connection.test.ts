import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BullMQRedisConfig } from '../../../collectors/bullmq/config.js';
import { MAX_RECONNECT_DELAY_MS, RedisConnection, redisInstance, redisTargetUrl } from '../../../collectors/bullmq/connection.js';
import { nopLogger } from '../../../util/log.js';
import { SecretError } from '../../../util/secret.js';
import { startRedis, type RedisServer } from '../../support/redis.js';

const PASSWORD = 's3cret-token';

describe('redisInstance and redisTargetUrl', () => {
  it('name the Redis by host:port, IPv6 in brackets, never with credentials', () => {
    const r: BullMQRedisConfig = {
      host: '::1',
      port: 6380,
      db: 2,
      tls: true,
      tlsConfig: { caFile: undefined, certFile: undefined, keyFile: undefined, serverName: undefined, insecureSkipVerify: false },
      username: 'vigil',
      password: { env: 'X' },
    };
    expect(redisInstance(r)).toBe('[::1]:6380');
    expect(redisTargetUrl(r)).toBe('rediss://[::1]:6380/2');
    expect(redisInstance({ ...r, host: 'redis.queues.svc' })).toBe('redis.queues.svc:6380');
  });
});

describe('RedisConnection against a redis-server with requirepass', () => {
  let redis: RedisServer;
  let dir: string;
  const open: RedisConnection[] = [];

  beforeAll(async () => {
    redis = await startRedis({ requirePassword: PASSWORD });
    dir = mkdtempSync(join(tmpdir(), 'vigil-bullmq-secret-'));
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  afterAll(async () => {
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function connection(password: BullMQRedisConfig['password'], env: NodeJS.ProcessEnv = {}): RedisConnection {
    const c = new RedisConnection(
      {
        host: '127.0.0.1',
        port: redis.port,
        db: 0,
        tls: false,
        tlsConfig: { caFile: undefined, certFile: undefined, keyFile: undefined, serverName: undefined, insecureSkipVerify: false },
        username: undefined,
        password,
      },
      5000,
      nopLogger,
      env,
    );
    open.push(c);
    return c;
  }

  it('authenticates with the password from a file (trailing newline trimmed) or from the environment', async () => {
    const file = join(dir, 'ok');
    writeFileSync(file, PASSWORD + '\n');
    const fromFile = connection({ file });
    await fromFile.ready();
    expect(await fromFile.redis.ping()).toBe('PONG');
    const fromEnv = connection({ env: 'REDIS_PASSWORD' }, { REDIS_PASSWORD: PASSWORD });
    await fromEnv.ready();
    expect(await fromEnv.redis.ping()).toBe('PONG');
  });

  it('refuses to start without its secret, naming where it looked and not what it holds', () => {
    expect(() => connection({ env: 'REDIS_PASSWORD' })).toThrow(new SecretError('environment variable REDIS_PASSWORD is not set'));
    expect(() => connection({ file: join(dir, 'missing') })).toThrow(/cannot read secret file .*missing: ENOENT/);
  });

  it('says why it cannot connect, and picks up a rotated password file on its next reconnect', async () => {
    const file = join(dir, 'rotating');
    writeFileSync(file, 'old-password');
    const c = connection({ file });
    const err = await c.ready().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/^cannot connect to redis: WRONGPASS/);
    expect(err?.message).not.toContain('old-password');
    // ioredis keeps reconnecting in the background; the next failure is reported at once.
    await expect(c.ready()).rejects.toThrow(/^redis is unreachable \((reconnecting|connecting|close)\)|^cannot connect to redis/);

    writeFileSync(file, PASSWORD);
    // Reconnects happen on ioredis's real-time backoff (at most MAX_RECONNECT_DELAY_MS apart).
    const deadline = Date.now() + 3 * MAX_RECONNECT_DELAY_MS;
    for (;;) {
      try {
        await c.ready();
        break;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    expect(await c.redis.ping()).toBe('PONG');
  });
});
