import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { oldestWaitingReadyAt } from './oldest.js';

/**
 * JOB_STATES are BullMQ's job states, as its getJobCounts() and exportPrometheusMetrics() name
 * them: `waiting` jobs can be taken now (FIFO/LIFO), `prioritized` ones too (by priority),
 * `delayed` ones later, `waiting-children` are flow parents whose children are not done.
 */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children'] as const;

export type JobState = (typeof JOB_STATES)[number];

/** QueueStats is one reading of a queue. */
export interface QueueStats {
  readonly counts: Readonly<Record<JobState, number>>;
  /** oldestWaitingReadyAt is when the longest-waiting job became ready (ms), or undefined when none waits. */
  readonly oldestWaitingReadyAt: number | undefined;
}

/**
 * readQueueStats reads a queue's job counts (one script call, so they are consistent with each
 * other) and its oldest waiting job. `completed` and `failed` count the jobs BullMQ still keeps,
 * which its removeOnComplete / removeOnFail options trim: they are gauges, not totals.
 */
export async function readQueueStats(queue: Queue, redis: Redis): Promise<QueueStats> {
  const [counts, oldest] = await Promise.all([queue.getJobCounts(...JOB_STATES), oldestWaitingReadyAt(queue, redis)]);
  const out = {} as Record<JobState, number>;
  for (const state of JOB_STATES) out[state] = counts[state] ?? 0;
  return { counts: out, oldestWaitingReadyAt: oldest };
}
