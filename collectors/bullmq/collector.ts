import { Queue } from 'bullmq';
import { Labels } from '../../model/labels.js';
import type { Appendable } from '../../model/storage.js';
import type { Clock, TimerHandle } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { scrapeOffset, type TargetHealth } from '../scrape/loop.js';
import type { ScrapeMetrics } from '../scrape/metrics.js';
import type { Target } from '../scrape/target.js';
import type { BullMQConfig } from './config.js';
import { RedisConnection, redisInstance, redisTargetUrl } from './connection.js';
import { discoverQueues } from './discovery.js';
import { JOB_STATES, type QueueStats, readQueueStats } from './queue-stats.js';
import { CollectionSeries } from './series.js';

/** Series the collector writes. */
export const BULLMQ_QUEUE_JOBS = 'bullmq_queue_jobs';
export const BULLMQ_QUEUE_OLDEST_WAITING_AGE_SECONDS = 'bullmq_queue_oldest_waiting_age_seconds';

export interface BullMQCollectorOptions {
  readonly config: BullMQConfig;
  /** appendable is the store (or a limit decorator around it). */
  readonly appendable: Appendable;
  readonly clock: Clock;
  readonly logger: Logger;
  /** metrics, when given, counts collections in vigil's scrape telemetry under the job name. */
  readonly metrics?: ScrapeMetrics;
  /** env is where password_env is looked up; process.env by default. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * BullMQCollector reads the BullMQ queues of one Redis (a `bullmq_configs` entry) the way a scrape
 * loop reads a target. BullMQ's own Queue.exportPrometheusMetrics() is not scraped instead: it has
 * no age metric, and its text breaks strict parsers (", " between labels, no final newline,
 * HELP and TYPE repeated per queue).
 *
 * Every scrape interval, at an offset within it derived from the target's identity (as scrape
 * loops are spread), one collection reads every queue and stores, in one append transaction at
 * the collection's start time:
 *
 * - `bullmq_queue_jobs{queue, state}`: the job count per state (JOB_STATES);
 * - `bullmq_queue_oldest_waiting_age_seconds{queue}`: now (the injected clock) minus the time the
 *   longest-waiting job became ready (see oldestWaitingReadyAt), 0 when no job waits;
 * - `up`, `scrape_duration_seconds` and `scrape_samples_scraped`, as a scrape writes them;
 *
 * each with the target labels `job`, `instance` (host:port of the Redis) and the config's labels.
 * The queues are the configured ones, or those discovered on each collection.
 *
 * A collection fails as a whole, as a scrape does, when Redis is unreachable, a command fails,
 * or the scrape timeout passes: then only `up` 0, the duration and 0 samples are written, with staleness
 * markers for every queue series of the last good collection, so queries stop showing the old
 * counts at once. The failure is logged once when the collector goes down and once when it comes
 * back, not on every interval. ioredis reconnects in the background; the next collection after it
 * has is up again. Nothing here throws into the caller's event loop.
 */
export class BullMQCollector {
  /** target describes the collector as the targets page shows a scrape target. */
  readonly target: Target;
  private readonly opts: BullMQCollectorOptions;
  private readonly log: Logger;
  private readonly series: CollectionSeries;
  private connection: RedisConnection | undefined;
  private readonly queues = new Map<string, Queue>();
  private timer: TimerHandle | undefined;
  private inflight: Promise<void> = Promise.resolve();
  private stopped = false;
  private state: TargetHealth = { health: 'unknown', lastError: '', lastScrape: 0, lastScrapeDurationSeconds: 0, warnings: [] };

  constructor(opts: BullMQCollectorOptions) {
    this.opts = opts;
    const { config } = opts;
    const instance = redisInstance(config.redis);
    const labels = Labels.from({ job: config.jobName, instance, ...config.labels });
    this.target = {
      labels,
      discoveredLabels: Labels.from({ __address__: instance, job: config.jobName, ...config.labels }),
      url: redisTargetUrl(config.redis),
      intervalMs: config.scrapeIntervalMs,
      timeoutMs: config.scrapeTimeoutMs,
    };
    this.series = new CollectionSeries(labels);
    this.log = opts.logger.with({ component: 'bullmq', job: labels.get('job'), instance: labels.get('instance') });
  }

  get health(): TargetHealth {
    return this.state;
  }

  /** idle resolves once the collection in flight, if any, is stored. */
  async idle(): Promise<void> {
    await this.inflight;
  }

  /** start schedules collections at this target's offset within each interval (as ScrapeLoop does). */
  start(): void {
    const interval = this.target.intervalMs;
    const now = this.opts.clock.now();
    let next = now - (now % interval) + scrapeOffset(this.target, interval);
    if (next < now) next += interval;
    this.schedule(next);
  }

  private schedule(at: number): void {
    if (this.stopped) return;
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = undefined;
      void this.collectOnce();
      // Fixed-rate: the schedule does not drift by however long a collection took.
      this.schedule(at + this.target.intervalMs);
    }, at - this.opts.clock.now());
  }

  /**
   * collectOnce collects now and stores the result; it never rejects. Calls are serialized: one
   * made while a collection is in flight runs after it.
   */
  collectOnce(): Promise<void> {
    const run = this.inflight
      .then(() => this.collect())
      .catch((err: unknown) => this.log.error('unexpected error in a bullmq collection', { err }));
    this.inflight = run;
    return run;
  }

  /**
   * stop ends the collector: no new collections, the one in flight is cut off by closing the
   * connection, the queues are closed. With `markStale` (the config entry went away, as opposed to
   * vigil shutting down) every series gets a staleness marker.
   */
  async stop(opts: { markStale: boolean } = { markStale: false }): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    this.connection?.close();
    await this.inflight;
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => {})));
    this.queues.clear();
    if (opts.markStale && this.state.lastScrape !== 0) {
      const t = Math.max(this.opts.clock.now(), this.state.lastScrape + 1);
      const app = this.opts.appendable.appender();
      this.series.begin();
      this.series.markVanished(app, t);
      app.commit();
      this.series.commit();
    }
  }

  private async collect(): Promise<void> {
    if (this.stopped) return;
    const { clock, config } = this.opts;
    const start = clock.now();
    let stats: Map<string, QueueStats> | undefined;
    let error: Error | undefined;
    try {
      stats = await this.withDeadline(() => this.read());
    } catch (err) {
      error = err instanceof Error ? err : new Error(String(err));
    }
    if (this.stopped && error !== undefined) return; // cut off by stop(): nothing to record
    const durationSeconds = (clock.now() - start) / 1000;

    const app = this.opts.appendable.appender();
    this.series.begin();
    if (stats !== undefined) {
      for (const [queue, s] of stats) {
        for (const state of JOB_STATES) this.series.set(app, BULLMQ_QUEUE_JOBS, { queue, state }, start, s.counts[state]);
        const age = s.oldestWaitingReadyAt === undefined ? 0 : Math.max(0, start - s.oldestWaitingReadyAt) / 1000;
        this.series.set(app, BULLMQ_QUEUE_OLDEST_WAITING_AGE_SECONDS, { queue }, start, age);
      }
    }
    const scraped = this.series.count;
    this.series.set(app, 'up', {}, start, error === undefined ? 1 : 0);
    this.series.set(app, 'scrape_duration_seconds', {}, start, durationSeconds);
    this.series.set(app, 'scrape_samples_scraped', {}, start, scraped);
    this.series.markVanished(app, start);
    try {
      app.commit();
      this.series.commit();
    } catch (err) {
      this.series.abandon();
      error ??= err as Error;
      this.log.error('committing bullmq samples failed', { err });
    }
    for (const [reason, count] of Object.entries(this.series.rejected)) this.opts.metrics?.rejected(config.jobName, reason, count);
    this.opts.metrics?.scraped(config.jobName, this.target.labels.get('instance'), error === undefined, durationSeconds);
    this.report(error);
    this.state = {
      health: error === undefined ? 'up' : 'down',
      lastError: error?.message ?? '',
      lastScrape: start,
      lastScrapeDurationSeconds: durationSeconds,
      warnings: [],
    };
  }

  /** report logs a change of health, never a repeated failure. */
  private report(error: Error | undefined): void {
    const was = this.state.health;
    if (error !== undefined) {
      if (was !== 'down') this.log.warn('bullmq collection failed; reporting up=0 until it recovers', { err: error.message });
      else this.log.debug('bullmq collection failed', { err: error.message });
    } else if (was === 'down') {
      this.log.info('bullmq collection recovered');
    }
  }

  /** read connects if needed, finds the queues and reads them all; any failure fails the collection. */
  private async read(): Promise<Map<string, QueueStats>> {
    const { config } = this.opts;
    this.connection ??= new RedisConnection(config.redis, config.scrapeTimeoutMs, this.log, this.opts.env);
    const conn = this.connection;
    await conn.ready();
    const names = config.queues.length > 0 ? config.queues : await discoverQueues(conn.redis, config.prefix);
    await this.syncQueues(names, conn);
    const read = await Promise.all(names.map(async (name) => [name, await readQueueStats(this.queues.get(name)!, conn.redis)] as const));
    return new Map(read);
  }

  /**
   * syncQueues keeps one BullMQ Queue per name, on the shared connection. The Queues only read:
   * `skipMetasUpdate` stops BullMQ from writing the queue's meta hash (which would also make a
   * configured but unused name look like a queue to discovery), and `skipVersionCheck` from
   * running INFO and printing warnings to the console for each queue.
   */
  private async syncQueues(names: readonly string[], conn: RedisConnection): Promise<void> {
    const wanted = new Set(names);
    const gone: Queue[] = [];
    for (const [name, queue] of this.queues) {
      if (!wanted.has(name)) {
        gone.push(queue);
        this.queues.delete(name);
      }
    }
    for (const name of names) {
      if (this.queues.has(name)) continue;
      const queue = new Queue(name, {
        connection: conn.redis,
        prefix: this.opts.config.prefix,
        skipMetasUpdate: true,
        skipVersionCheck: true,
      });
      // A Queue re-emits its connection's errors; the collector reports them through `up`.
      queue.on('error', (err: Error) => this.log.debug('bullmq queue error', { queue: name, err }));
      this.queues.set(name, queue);
    }
    await Promise.all(gone.map((q) => q.close().catch(() => {})));
  }

  /**
   * withDeadline runs `fn` until the scrape timeout passes on the injected clock. A timed-out
   * read keeps running until ioredis's command timeout ends it; its result is ignored.
   */
  private withDeadline<T>(fn: () => Promise<T>): Promise<T> {
    const { clock, config } = this.opts;
    return new Promise<T>((resolve, reject) => {
      const deadline = clock.setTimeout(
        () => reject(new Error(`collection timed out after ${config.scrapeTimeoutMs / 1000}s`)),
        config.scrapeTimeoutMs,
      );
      fn().then(
        (v) => {
          clock.clearTimeout(deadline);
          resolve(v);
        },
        (err: unknown) => {
          clock.clearTimeout(deadline);
          reject(err);
        },
      );
    });
  }
}
