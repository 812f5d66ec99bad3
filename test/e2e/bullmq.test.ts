import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../support/redis.js';
import { startVigilProcess, type VigilProcess } from '../support/vigil-process.js';

/** `vigil run` with bullmq_configs: a real Redis, a real BullMQ queue, the counts in the query API. */
describe('BullMQ queues in vigil run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bullmq-e2e-'));
  let redis: RedisServer | undefined;
  let vigil: VigilProcess | undefined;
  afterAll(async () => {
    vigil?.child.kill('SIGKILL');
    await redis?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores waiting and delayed counts and the oldest waiting age of each queue', async () => {
    redis = await startRedis();
    const queue = new Queue('embeddings', { connection: { host: '127.0.0.1', port: redis.port } });
    await queue.addBulk([1, 2, 3].map((i) => ({ name: 'embed', data: { i } })));
    await queue.add('later', {}, { delay: 3600_000 });
    await queue.close();
    writeFileSync(
      join(dir, 'vigil.yaml'),
      `bullmq_configs:\n  - job_name: queues\n    scrape_interval: 1s\n    redis: {url: 'redis://127.0.0.1:${redis.port}'}\n    queues: [embeddings]\nstorage: {embedded: {path: data}}\n`,
    );
    vigil = await startVigilProcess(join(dir, 'vigil.yaml'));
    const query = async (q: string) => {
      const body = (await (await fetch(`${vigil!.url}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      return body.data.result;
    };
    const deadline = Date.now() + 15_000;
    let waiting: { metric: Record<string, string>; value: [number, string] }[] = [];
    while (waiting.length === 0 && Date.now() < deadline) {
      waiting = await query('bullmq_queue_jobs{state="waiting"}');
      if (waiting.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(waiting.map((r) => [r.metric['job'], r.metric['queue'], r.value[1]])).toEqual([['queues', 'embeddings', '3']]);
    expect((await query('bullmq_queue_jobs{state="delayed"}'))[0]?.value[1]).toBe('1');
    expect(Number((await query('bullmq_queue_oldest_waiting_age_seconds'))[0]?.value[1])).toBeGreaterThanOrEqual(0);
    expect((await query('up{job="queues"}'))[0]?.value[1]).toBe('1');
  });
});
