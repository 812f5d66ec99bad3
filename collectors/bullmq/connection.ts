import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Redis } from 'ioredis';
import { readSecret } from '../../util/secret.js';
import type { Logger } from '../../util/log.js';
import type { BullMQRedisConfig } from './config.js';

/** MAX_RECONNECT_DELAY_MS caps ioredis's backoff, so a restarted Redis is seen again within seconds. */
export const MAX_RECONNECT_DELAY_MS = 2000;

/** redisInstance is the `instance` label of a Redis: host:port (IPv6 in brackets), never credentials. */
export function redisInstance(r: BullMQRedisConfig): string {
  return `${r.host.includes(':') ? `[${r.host}]` : r.host}:${r.port}`;
}

/** redisTargetUrl identifies the Redis and database on the targets page, without credentials. */
export function redisTargetUrl(r: BullMQRedisConfig): string {
  return `${r.tls ? 'rediss' : 'redis'}://${redisInstance(r)}/${r.db}`;
}

/**
 * RedisConnection is the collector's one connection to Redis, shared by every BullMQ Queue it reads.
 * Its ioredis options make a collection fail fast instead of waiting on a dead Redis:
 *
 * - `lazyConnect`: nothing happens until ready() is first called.
 * - `enableOfflineQueue: false`: a command sent while disconnected is rejected at once, rather
 *   than queued until Redis is back (a collection must report up=0 now, not later).
 * - `maxRetriesPerRequest: 0`: commands in flight when the connection drops are rejected at once.
 * - `retryStrategy`: ioredis reconnects on its own, backing off from 100 ms to at most
 *   MAX_RECONNECT_DELAY_MS, forever; before each attempt the password is read again, so a rotated
 *   secret file takes effect.
 * - `connectTimeout` and `commandTimeout` are the scrape timeout: a Redis that accepts the TCP
 *   connection but never answers does not keep commands pending forever.
 *
 * Connection errors are logged at debug level only: the collector reports them through `up` and
 * logs the transitions.
 */
export class RedisConnection {
  readonly redis: Redis;
  private lastError = '';

  /** The constructor throws SecretError when the password cannot be read, and an Error when a TLS file cannot. */
  constructor(r: BullMQRedisConfig, timeoutMs: number, logger: Logger, env: NodeJS.ProcessEnv = process.env) {
    const password = r.password === undefined ? undefined : readSecret(r.password, env);
    // Built as a literal: ioredis's RedisOptions type does not survive exactOptionalPropertyTypes.
    this.redis = new Redis({
      host: r.host,
      port: r.port,
      db: r.db,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: timeoutMs,
      commandTimeout: timeoutMs,
      connectionName: 'vigil-bullmq',
      retryStrategy: (attempt) => {
        if (r.password !== undefined) {
          try {
            this.redis.options.password = readSecret(r.password, env);
          } catch (err) {
            logger.debug('cannot read the redis password again; keeping the previous one', { err });
          }
        }
        return Math.min(100 * 2 ** Math.min(attempt - 1, 10), MAX_RECONNECT_DELAY_MS);
      },
      ...(r.username === undefined ? {} : { username: r.username }),
      ...(password === undefined ? {} : { password }),
      ...(r.tls ? { tls: tlsOptions(r) } : {}),
    });
    // ioredis emits 'error' for every failed (re)connect; without a listener Node would throw.
    this.redis.on('error', (err: Error) => {
      this.lastError = err.message;
      logger.debug('redis connection error', { err });
    });
    this.redis.on('ready', () => (this.lastError = ''));
  }

  /**
   * ready resolves once the connection can take commands. One that never connected connects now;
   * one already connecting is waited for (the caller bounds the wait with its deadline); one that
   * lost its connection fails at once with the last connection error, while ioredis reconnects in
   * the background.
   */
  async ready(): Promise<void> {
    const redis = this.redis;
    switch (redis.status) {
      case 'ready':
        return;
      case 'wait':
        try {
          await redis.connect();
        } catch (err) {
          // connect() only says "Connection is closed."; the error event said why.
          throw new Error(`cannot connect to redis: ${this.lastError || (err as Error).message}`);
        }
        return;
      case 'connecting':
      case 'connect':
        await new Promise<void>((resolve, reject) => {
          const onReady = () => {
            redis.off('close', onClose);
            resolve();
          };
          const onClose = () => {
            redis.off('ready', onReady);
            reject(new Error(`cannot connect to redis: ${this.lastError || 'connection closed'}`));
          };
          redis.once('ready', onReady);
          redis.once('close', onClose);
        });
        return;
      default:
        throw new Error(`redis is unreachable (${redis.status}): ${this.lastError || 'connection closed'}`);
    }
  }

  /** close drops the connection and stops reconnecting; commands in flight are rejected. */
  close(): void {
    this.redis.disconnect();
  }
}

function tlsOptions(r: BullMQRedisConfig): ConnectionOptions {
  const c = r.tlsConfig;
  const tls: ConnectionOptions = { rejectUnauthorized: !c.insecureSkipVerify, servername: c.serverName ?? r.host };
  if (c.caFile !== undefined) tls.ca = readFileSync(c.caFile);
  if (c.certFile !== undefined) tls.cert = readFileSync(c.certFile);
  if (c.keyFile !== undefined) tls.key = readFileSync(c.keyFile);
  return tls;
}
