import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** MAX_PRIORITY_LEVELS bounds the priority levels visited per queue and collection (BullMQ allows 2^21). */
export const MAX_PRIORITY_LEVELS = 100;

/**
 * FIRST_PER_PRIORITY returns the first job id of each priority level of BullMQ's `prioritized`
 * sorted set, lowest priority (largest number) first, at most ARGV[1] levels. BullMQ scores a
 * prioritized job `priority * 2^32 + counter`, the counter growing with each insertion (the
 * encoding its own getCountsPerPriority relies on), so the smallest score of a level is the job
 * that has waited longest in it. Levels are visited from the lowest priority because those jobs
 * wait longest, so the cap drops the levels least likely to hold the oldest job. Read-only.
 */
const FIRST_PER_PRIORITY = `
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local level = 4294967296
local max = '+inf'
local ids = {}
while #ids < limit do
  local last = redis.call('ZREVRANGEBYSCORE', key, max, '-inf', 'WITHSCORES', 'LIMIT', 0, 1)
  if #last == 0 then break end
  local lo = math.floor(tonumber(last[2]) / level) * level
  local first = redis.call('ZRANGEBYSCORE', key, lo, '+inf', 'LIMIT', 0, 1)
  ids[#ids + 1] = first[1]
  max = '(' .. string.format('%.0f', lo)
end
return ids
`;

const COMMAND = 'vigilBullmqFirstPerPriority';

type FirstPerPriority = (key: string, limit: number) => Promise<string[]>;

/**
 * oldestWaitingReadyAt returns the time (ms since the epoch) at which the longest-waiting job of
 * `queue` became ready to run, or undefined when no job is waiting. A job is waiting when it is
 * in BullMQ's `wait` list or its `prioritized` set: both are jobs a worker could take now.
 *
 * A job became ready at `job.timestamp + job.opts.delay`: a job added with a delay (and every
 * iteration of a repeatable job or job scheduler) is not waiting until its delay has passed, so
 * counting from `timestamp` alone would report a daily job as a day old the moment it is due.
 * A job promoted early (job.promote()) became ready before that; its age is then understated,
 * and the collector clamps negative ages to 0.
 *
 * It reads candidates rather than every waiting job, so a collection costs a few commands
 * whatever the queue's depth: both ends of the wait list (a FIFO job is taken from the right, a
 * LIFO job pushed to the right, so the oldest of a queue using only one of them is at an end)
 * and the first job of each priority level (see FIRST_PER_PRIORITY). A queue that mixes LIFO
 * and FIFO jobs, or re-prioritizes retried jobs, may hold an older job elsewhere: the value is
 * then a lower bound.
 */
export async function oldestWaitingReadyAt(queue: Queue, redis: Redis): Promise<number | undefined> {
  const [head, tail, prioritized] = await Promise.all([
    queue.getWaiting(0, 0),
    queue.getWaiting(-1, -1),
    firstPerPriority(redis)(queue.keys['prioritized']!, MAX_PRIORITY_LEVELS).then((ids) =>
      Promise.all(ids.map((id) => queue.getJob(id))),
    ),
  ]);
  let oldest: number | undefined;
  for (const job of [...head, ...tail, ...prioritized]) {
    if (job === undefined || job === null) continue; // taken or removed since its id was read
    const t = readyAt(job);
    if (oldest === undefined || t < oldest) oldest = t;
  }
  return oldest;
}

/** readyAt is when `job` could first be run: its creation time plus the delay it was added with. */
export function readyAt(job: Job): number {
  return job.timestamp + (job.opts.delay ?? 0);
}

function firstPerPriority(redis: Redis): FirstPerPriority {
  const commands = redis as unknown as Record<string, FirstPerPriority | undefined>;
  if (commands[COMMAND] === undefined) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: FIRST_PER_PRIORITY });
  return commands[COMMAND]!.bind(redis);
}
