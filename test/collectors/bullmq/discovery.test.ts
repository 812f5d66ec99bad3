import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverQueues, escapeGlob } from '../../../collectors/bullmq/discovery.js';
import { startRedis, type RedisServer } from '../../support/redis.js';
import { producerRedis } from './support.js';

describe('escapeGlob', () => {
  it('quotes what MATCH reads as pattern syntax', () => {
    expect(escapeGlob('bull')).toBe('bull');
    expect(escapeGlob('{bull}')).toBe('{bull}');
    expect(escapeGlob('a*b?[c]\\d')).toBe('a\\*b\\?\\[c\\]\\\\d');
  });
});

describe('discoverQueues against redis-server', () => {
  let server: RedisServer;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedis();
    redis = producerRedis(server.url);
    // Meta hashes as BullMQ writes them, keys that only look similar, and enough other keys
    // that SCAN needs several round trips.
    const keys: string[] = [
      'bull:llm-batch:meta',
      'bull:embeddings:meta',
      'bull:embeddings:wait',
      'bull:a:b:meta', // not a queue: BullMQ names cannot hold ':'
      'bull::meta',
      'other:triton:meta',
      'b*ll:starred:meta',
      'bxll:not-starred:meta',
    ];
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.hset(key, 'version', 'bullmq:6.7.0');
    for (let i = 0; i < 3000; i++) pipeline.set(`bull:llm-batch:${i}`, 'x');
    await pipeline.exec();
  });
  afterAll(async () => {
    redis.disconnect();
    await server.close();
  });

  it('finds every <prefix>:<queue>:meta, sorted, across SCAN batches', async () => {
    expect(await discoverQueues(redis, 'bull')).toEqual(['embeddings', 'llm-batch']);
    expect(await discoverQueues(redis, 'other')).toEqual(['triton']);
  });

  it('takes the prefix literally, glob characters included', async () => {
    expect(await discoverQueues(redis, 'b*ll')).toEqual(['starred']);
    expect(await discoverQueues(redis, 'none')).toEqual([]);
  });
});
