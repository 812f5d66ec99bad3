import type { Redis } from 'ioredis';

/** SCAN_COUNT is the SCAN batch hint: large enough for few round trips, small enough not to stall Redis. */
const SCAN_COUNT = 1000;

/**
 * discoverQueues finds the BullMQ queues under `prefix` by their `<prefix>:<queue>:meta` hash,
 * which BullMQ writes when a Queue or Worker is first opened on a queue. It SCANs, so Redis is
 * never blocked, at the cost of visiting every key of the database once per call: with millions
 * of keys, list the queues in the config instead. Names are returned sorted and unique (SCAN may
 * return a key twice). Keys with more segments (`bull:a:b:meta`) are not queues: BullMQ refuses
 * ':' in queue names. On a Redis Cluster only the node the connection talks to is scanned.
 */
export async function discoverQueues(redis: Redis, prefix: string): Promise<string[]> {
  const pattern = `${escapeGlob(prefix)}:*:meta`;
  const head = prefix + ':';
  const names = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
    cursor = next;
    for (const key of keys) {
      const name = key.slice(head.length, key.length - ':meta'.length);
      if (name !== '' && !name.includes(':')) names.add(name);
    }
  } while (cursor !== '0');
  return [...names].sort();
}

/** escapeGlob quotes the characters Redis's MATCH treats as pattern syntax. */
export function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}
