import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_PRIORITY_LEVELS, oldestWaitingReadyAt } from '../../../collectors/bullmq/oldest.js';
import { startRedis, type RedisServer } from '../../support/redis.js';
import { producerRedis } from './support.js';

// Job timestamps are given explicitly (BullMQ's `timestamp` option), relative to the real time at
// load, so that a delayed job's due time is in the past or future as each test needs.
const T = Math.floor(Date.now() / 1000) * 1000;

describe('oldestWaitingReadyAt against redis-server and BullMQ producers', () => {
  let server: RedisServer;
  let redis: Redis;
  let queue: Queue;
  let n = 0;

  beforeAll(async () => {
    server = await startRedis();
    redis = producerRedis(server.url);
  });
  beforeEach(() => {
    queue = new Queue(`q${n++}`, { connection: redis });
  });
  afterEach(async () => {
    await queue.close();
  });
  afterAll(async () => {
    redis.disconnect();
    await server.close();
  });

  const add = (timestamp: number, opts: { priority?: number; lifo?: boolean; delay?: number } = {}) =>
    queue.add('job', {}, { timestamp, ...opts });

  it('is undefined when nothing waits (delayed jobs are not waiting yet)', async () => {
    expect(await oldestWaitingReadyAt(queue, redis)).toBeUndefined();
    await add(T - 60_000, { delay: 3_600_000 });
    expect(await oldestWaitingReadyAt(queue, redis)).toBeUndefined();
  });

  it('finds the oldest job of a FIFO queue at the end workers take from', async () => {
    for (const age of [90_000, 60_000, 30_000]) await add(T - age);
    expect(await oldestWaitingReadyAt(queue, redis)).toBe(T - 90_000);
  });

  it('finds the oldest job of a LIFO queue at the other end', async () => {
    for (const age of [90_000, 60_000, 30_000]) await add(T - age, { lifo: true });
    expect(await oldestWaitingReadyAt(queue, redis)).toBe(T - 90_000);
  });

  it('counts prioritized jobs as waiting, taking the first of each priority level', async () => {
    await add(T - 10_000, { priority: 1 });
    await add(T - 80_000, { priority: 3 });
    await add(T - 20_000, { priority: 3 });
    await add(T - 40_000, { priority: 9 });
    await add(T - 5_000);
    expect(await oldestWaitingReadyAt(queue, redis)).toBe(T - 80_000);
  });

  it('counts from when a delayed job became due, not from when it was added', async () => {
    await add(T - 400_000, { delay: 300_000 });
    await queue.promoteJobs();
    expect(await queue.getWaitingCount()).toBe(1);
    expect(await oldestWaitingReadyAt(queue, redis)).toBe(T - 100_000);
  });

  it(`visits at most ${MAX_PRIORITY_LEVELS} priority levels, lowest priority first`, async () => {
    // The highest-priority level (1) holds the oldest job but is level MAX+1 from the bottom.
    const jobs = [{ name: 'job', data: {}, opts: { timestamp: T - 1_000_000, priority: 1 } }];
    for (let p = 2; p <= MAX_PRIORITY_LEVELS + 1; p++) jobs.push({ name: 'job', data: {}, opts: { timestamp: T - p * 1000, priority: p } });
    await queue.addBulk(jobs);
    expect(await oldestWaitingReadyAt(queue, redis)).toBe(T - (MAX_PRIORITY_LEVELS + 1) * 1000);
  });
});
