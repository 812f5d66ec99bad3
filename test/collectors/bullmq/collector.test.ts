import { createServer, type Server, type Socket } from 'node:net';
import { FlowProducer, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BullMQCollector } from '../../../collectors/bullmq/collector.js';
import { scrapeOffset } from '../../../collectors/scrape/loop.js';
import { VirtualClock } from '../../../util/clock.js';
import { nopLogger, type Logger } from '../../../util/log.js';
import { redisVersion, startRedis, type RedisServer } from '../../support/redis.js';
import { dump, openTempStore, type TempStore } from '../../support/store.js';
import { bullmqConfig, captureLogger, Gate, type LogLine, producerRedis } from './support.js';

// Job timestamps are set by the test (BullMQ's `timestamp` job option) relative to T0, and the
// collector's clock is a VirtualClock at T0, so ages are exact. T0 is the real time at load:
// BullMQ schedules a delayed job at timestamp + delay in real time, so delays of an hour keep
// those jobs delayed for the whole test.
const T0 = Math.floor(Date.now() / 1000) * 1000;
const INTERVAL = 15_000;

describe(`BullMQCollector against redis-server ${redisVersion()} with real BullMQ producers and workers`, () => {
  let redis: RedisServer;
  let clock: VirtualClock;
  let store: TempStore;
  let connections: Redis[];
  let closers: (() => Promise<unknown>)[];
  let collectors: BullMQCollector[];

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.close();
  });
  beforeEach(async () => {
    if (!redis.running) await redis.start();
    clock = new VirtualClock(T0);
    store = await openTempStore(clock);
    connections = [];
    closers = [];
    collectors = [];
  });
  afterEach(async () => {
    for (const c of collectors) await c.stop();
    if (redis.running) await producer().flushall();
    for (const close of closers.reverse()) await close();
    for (const c of connections) c.disconnect();
    await store.cleanup();
  });

  function producer(): Redis {
    const c = producerRedis(redis.url);
    connections.push(c);
    return c;
  }

  function queue(name: string, prefix?: string): Queue {
    const q = new Queue(name, { connection: producer(), ...(prefix === undefined ? {} : { prefix }) });
    closers.push(() => q.close());
    return q;
  }

  function collector(yamlExtra: string, logger: Logger = nopLogger): BullMQCollector {
    const cfg = bullmqConfig(`job_name: bullmq\nscrape_interval: 15s\nscrape_timeout: 5s\nredis: {url: '${redis.url}'}\n${yamlExtra}`);
    const c = new BullMQCollector({ config: cfg, appendable: store.db, clock, logger });
    collectors.push(c);
    return c;
  }

  const series = (queue: string, state: string, env = '') =>
    `bullmq_queue_jobs{${env}instance="${redis.address}", job="bullmq", queue="${queue}", state="${state}"}`;
  const age = (queue: string, env = '') =>
    `bullmq_queue_oldest_waiting_age_seconds{${env}instance="${redis.address}", job="bullmq", queue="${queue}"}`;
  const report = (name: string, env = '') => `${name}{${env}instance="${redis.address}", job="bullmq"}`;

  it('stores the count of every state and the oldest waiting age of what producers enqueued and workers processed', async () => {
    const q = queue('inference');
    // 3 jobs completed and 2 failed by a worker.
    await q.addBulk([
      ...Array.from({ length: 3 }, () => ({ name: 'ok', data: {} })),
      ...Array.from({ length: 2 }, () => ({ name: 'bad', data: {} })),
    ]);
    const finisher = new Worker(
      'inference',
      async (job) => {
        if (job.name === 'bad') throw new Error('bad input');
      },
      { connection: producer() },
    );
    await events(finisher, ['completed', 'failed'], 5);
    await finisher.close();
    // 2 jobs held active by a worker whose two slots stay busy, so it takes nothing else.
    await q.addBulk([{ name: 'hold', data: {} }, { name: 'hold', data: {} }]);
    const gate = new Gate();
    const holder = new Worker('inference', () => gate.wait, { connection: producer(), concurrency: 2 });
    await events(holder, ['active'], 2);
    // Waiting, delayed and prioritized jobs with known timestamps, and one flow parent.
    await q.addBulk([
      { name: 'w', data: {}, opts: { timestamp: T0 - 90_000 } },
      { name: 'w', data: {}, opts: { timestamp: T0 - 30_000 } },
      { name: 'later', data: {}, opts: { timestamp: T0, delay: 3_600_000 } },
      { name: 'later', data: {}, opts: { timestamp: T0 - 500_000, delay: 7_200_000 } },
      { name: 'p', data: {}, opts: { timestamp: T0 - 10_000, priority: 1 } },
      { name: 'p', data: {}, opts: { timestamp: T0 - 200_000, priority: 7 } },
      { name: 'p', data: {}, opts: { timestamp: T0 - 5_000, priority: 7 } },
    ]);
    const flows = new FlowProducer({ connection: producer() });
    closers.push(() => flows.close());
    await flows.add({ name: 'report', queueName: 'inference', children: [{ name: 'part', queueName: 'inference-parts' }] });

    const c = collector('queues: [inference]\nlabels: {env: test}');
    await c.collectOnce();
    const env = 'env="test", ';
    expect(dump(store.db, 'bullmq_queue_jobs')).toEqual({
      [series('inference', 'active', env)]: [[T0, 2]],
      [series('inference', 'completed', env)]: [[T0, 3]],
      [series('inference', 'delayed', env)]: [[T0, 2]],
      [series('inference', 'failed', env)]: [[T0, 2]],
      [series('inference', 'prioritized', env)]: [[T0, 3]],
      [series('inference', 'waiting', env)]: [[T0, 2]],
      [series('inference', 'waiting-children', env)]: [[T0, 1]],
    });
    // The priority-7 job added at T0-200s has waited longest; the delayed ones are not waiting.
    expect(dump(store.db, 'bullmq_queue_oldest_waiting_age_seconds')).toEqual({ [age('inference', env)]: [[T0, 200]] });
    expect(dump(store.db, 'up')).toEqual({ [report('up', env)]: [[T0, 1]] });
    expect(dump(store.db, 'scrape_samples_scraped')).toEqual({ [report('scrape_samples_scraped', env)]: [[T0, 8]] });
    expect(dump(store.db, 'scrape_duration_seconds')).toEqual({ [report('scrape_duration_seconds', env)]: [[T0, 0]] });
    expect(c.health).toMatchObject({ health: 'up', lastError: '', lastScrape: T0 });

    // The held jobs finish; the worker then drains the FIFO jobs and the prioritized ones.
    const drained = events(holder, ['completed'], 7);
    gate.open();
    await drained;
    await holder.close();
    await clock.advance(INTERVAL);
    await c.collectOnce();
    const jobs = dump(store.db, 'bullmq_queue_jobs');
    expect(jobs[series('inference', 'completed', env)]).toEqual([[T0, 3], [T0 + INTERVAL, 10]]);
    expect(jobs[series('inference', 'waiting', env)]).toEqual([[T0, 2], [T0 + INTERVAL, 0]]);
    expect(jobs[series('inference', 'prioritized', env)]).toEqual([[T0, 3], [T0 + INTERVAL, 0]]);
    expect(jobs[series('inference', 'active', env)]).toEqual([[T0, 2], [T0 + INTERVAL, 0]]);
    expect(dump(store.db, 'bullmq_queue_oldest_waiting_age_seconds')).toEqual({ [age('inference', env)]: [[T0, 200], [T0 + INTERVAL, 0]] });
  });

  it('discovers the queues under its prefix and marks the series of a queue that went away stale', async () => {
    const a = queue('llm-batch');
    const b = queue('embeddings');
    const elsewhere = queue('llm-batch', 'other');
    await a.add('x', {}, { timestamp: T0 - 42_000 });
    await b.add('x', {}, { timestamp: T0 - 7_000 });
    await elsewhere.add('x', {}, { timestamp: T0 - 1_000 });
    await Promise.all([a, b, elsewhere].map((q) => q.waitUntilReady()));

    const c = collector('');
    await c.collectOnce();
    expect(dump(store.db, 'bullmq_queue_oldest_waiting_age_seconds')).toEqual({
      [age('embeddings')]: [[T0, 7]],
      [age('llm-batch')]: [[T0, 42]],
    });
    expect(Object.keys(dump(store.db, 'bullmq_queue_jobs'))).toHaveLength(14);

    await b.obliterate({ force: true });
    await clock.advance(INTERVAL);
    await c.collectOnce();
    const jobs = dump(store.db, 'bullmq_queue_jobs');
    expect(jobs[series('embeddings', 'waiting')]).toEqual([[T0, 1], [T0 + INTERVAL, 'stale']]);
    expect(jobs[series('llm-batch', 'waiting')]).toEqual([[T0, 1], [T0 + INTERVAL, 1]]);
    expect(dump(store.db, 'bullmq_queue_oldest_waiting_age_seconds')).toEqual({
      [age('embeddings')]: [[T0, 7], [T0 + INTERVAL, 'stale']],
      [age('llm-batch')]: [[T0, 42], [T0 + INTERVAL, 57]],
    });
    expect(dump(store.db, 'scrape_samples_scraped')).toEqual({ [report('scrape_samples_scraped')]: [[T0, 16], [T0 + INTERVAL, 8]] });

    // Another prefix is another set of queues.
    const other = new BullMQCollector({
      config: bullmqConfig(`job_name: other\nredis: {url: '${redis.url}'}\nprefix: other`),
      appendable: store.db,
      clock,
      logger: nopLogger,
    });
    collectors.push(other);
    await other.collectOnce();
    const otherAge = `bullmq_queue_oldest_waiting_age_seconds{instance="${redis.address}", job="other", queue="llm-batch"}`;
    expect(dump(store.db, 'bullmq_queue_oldest_waiting_age_seconds')[otherAge]).toEqual([[T0 + INTERVAL, 16]]);
  });

  it('reports up 0 with staleness markers while Redis is down, logs it once, and is up again after a restart', async () => {
    const q = queue('inference');
    await q.add('w', {}, { timestamp: T0 - 60_000 });
    const lines: LogLine[] = [];
    const c = collector('queues: [inference]', captureLogger(lines));
    await c.collectOnce();
    expect(dump(store.db, 'up')).toEqual({ [report('up')]: [[T0, 1]] });

    await redis.stop();
    await clock.advance(INTERVAL);
    await c.collectOnce();
    await clock.advance(INTERVAL);
    await c.collectOnce();
    expect(dump(store.db, 'up')).toEqual({ [report('up')]: [[T0, 1], [T0 + INTERVAL, 0], [T0 + 2 * INTERVAL, 0]] });
    // Every queue series goes stale at the first failed collection, and only then.
    const jobs = dump(store.db, 'bullmq_queue_jobs');
    expect(Object.keys(jobs)).toHaveLength(7);
    for (const samples of Object.values(jobs)) expect(samples).toEqual([[T0, expect.any(Number)], [T0 + INTERVAL, 'stale']]);
    expect(dump(store.db, 'bullmq_queue_oldest_waiting_age_seconds')).toEqual({ [age('inference')]: [[T0, 60], [T0 + INTERVAL, 'stale']] });
    expect(dump(store.db, 'scrape_samples_scraped')[report('scrape_samples_scraped')]).toEqual([[T0, 8], [T0 + INTERVAL, 0], [T0 + 2 * INTERVAL, 0]]);
    expect(c.health.health).toBe('down');
    expect(c.health.lastError).toMatch(/redis/i);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([['warn', 'bullmq collection failed; reporting up=0 until it recovers']]);
    expect(lines[0]!.fields).toMatchObject({ component: 'bullmq', job: 'bullmq', instance: redis.address });

    // The restarted Redis is empty (no persistence). ioredis reconnects on its own real-time
    // backoff (at most 2 s), so the test keeps collecting, one virtual interval per attempt,
    // until a collection is up.
    await redis.start();
    let attempts = 0;
    while (c.health.health !== 'up') {
      expect(++attempts).toBeLessThan(100);
      await new Promise((r) => setTimeout(r, 50));
      await clock.advance(INTERVAL);
      await c.collectOnce();
    }
    const last = clock.now();
    const ups = dump(store.db, 'up')[report('up')]!;
    expect(ups.at(-1)).toEqual([last, 1]);
    expect(ups.slice(1, -1).every(([, v]) => v === 0)).toBe(true);
    expect(dump(store.db, 'bullmq_queue_jobs')[series('inference', 'waiting')]).toEqual([[T0, 1], [T0 + INTERVAL, 'stale'], [last, 0]]);
    expect(lines.map((l) => l.level)).toEqual(['warn', 'info']);
    expect(lines[1]!.msg).toBe('bullmq collection recovered');
  });

  it('collects once per interval at its offset on the injected clock, and marks everything stale when stopped for good', async () => {
    await queue('inference').add('w', {}, { timestamp: T0 - 1_000 });
    const c = collector('queues: [inference]');
    c.start();
    const offset = scrapeOffset(c.target, INTERVAL);
    const first = T0 - (T0 % INTERVAL) + offset + (offset < T0 % INTERVAL ? INTERVAL : 0);
    for (let i = 0; i < 3; i++) {
      await clock.runNext();
      await c.idle();
    }
    const times = [first, first + INTERVAL, first + 2 * INTERVAL];
    expect(dump(store.db, 'up')).toEqual({ [report('up')]: times.map((t) => [t, 1]) });
    expect(c.target.url).toBe(`redis://${redis.address}/0`);

    await clock.advance(1000);
    await c.stop({ markStale: true });
    const end = clock.now();
    expect(dump(store.db, 'up')[report('up')]!.at(-1)).toEqual([end, 'stale']);
    expect(dump(store.db, 'bullmq_queue_jobs')[series('inference', 'waiting')]!.at(-1)).toEqual([end, 'stale']);
    // Stopped: no more collections.
    await clock.advance(3 * INTERVAL);
    expect(dump(store.db, 'up')[report('up')]).toHaveLength(4);
  });

  it('fails a collection at the scrape timeout on its clock when Redis accepts connections but never answers', async () => {
    const silent = await silentServer();
    closers.push(() => silent.close());
    const cfg = bullmqConfig(`job_name: stuck\nscrape_timeout: 5s\nredis: {url: 'redis://127.0.0.1:${silent.port}'}\nqueues: [q]`);
    const c = new BullMQCollector({ config: cfg, appendable: store.db, clock, logger: nopLogger });
    collectors.push(c);
    const done = c.collectOnce();
    await silent.accepted;
    await clock.advance(5000);
    await done;
    expect(c.health).toMatchObject({ health: 'down', lastError: 'collection timed out after 5s', lastScrapeDurationSeconds: 5 });
    expect(dump(store.db, 'up')).toEqual({ [`up{instance="127.0.0.1:${silent.port}", job="stuck"}`]: [[T0, 0]] });
  });
});

/** events resolves once `worker` has emitted `names` (together) `n` times. */
function events(worker: Worker, names: ('completed' | 'failed' | 'active')[], n: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const on = () => {
      if (++seen === n) resolve();
    };
    for (const name of names) worker.on(name, on);
  });
}

/** silentServer accepts TCP connections and never answers, like a wedged Redis. */
async function silentServer(): Promise<{ port: number; accepted: Promise<void>; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  let accepted!: () => void;
  const acceptedP = new Promise<void>((r) => (accepted = r));
  const server: Server = createServer((s) => {
    sockets.push(s);
    accepted();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    accepted: acceptedP,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
