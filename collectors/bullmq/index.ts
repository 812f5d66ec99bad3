// The BullMQ collector's public surface: cli/ decodes `bullmq_configs` and runs one collector per entry.
export { BullMQCollector, BULLMQ_QUEUE_JOBS, BULLMQ_QUEUE_OLDEST_WAITING_AGE_SECONDS } from './collector.js';
export type { BullMQCollectorOptions } from './collector.js';
export { decodeBullMQConfigs, DEFAULT_BULLMQ_PREFIX } from './config.js';
export type { BullMQConfig, BullMQRedisConfig, RedisTLSConfig } from './config.js';
export { JOB_STATES } from './queue-stats.js';
export type { JobState, QueueStats } from './queue-stats.js';
