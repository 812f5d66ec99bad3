import { Labels, METRIC_NAME } from '../../model/labels.js';
import { AppendError, type Appendable, type Appender, type SeriesRef } from '../../model/storage.js';
import { StaleNaN } from '../../model/value.js';
import type { Clock, TimerHandle } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { type AppendResult, appendBody, type FamilyMetadata } from './append.js';
import { ScrapeCache } from './cache.js';
import type { ScrapeConfig } from './config.js';
import type { ScrapeMetrics } from './metrics.js';
import type { Scraper } from './scraper.js';
import type { Target } from './target.js';

/** TargetHealth is a target's state as the targets page shows it. */
export interface TargetHealth {
  readonly health: 'unknown' | 'up' | 'down';
  /** lastError is why the last scrape failed, or "". */
  readonly lastError: string;
  /** lastScrape is the time (ms) of the last scrape, or 0 before the first. */
  readonly lastScrape: number;
  readonly lastScrapeDurationSeconds: number;
  /** warnings are parser quirks tolerated in the last body (for example a missing final newline). */
  readonly warnings: readonly string[];
}

/** REPORT_SERIES are the series Prometheus writes for every scrape, in the order it writes them. */
const REPORT_SERIES = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
] as const;

export interface ScrapeLoopOptions {
  readonly target: Target;
  readonly config: ScrapeConfig;
  readonly scraper: Scraper;
  readonly appendable: Appendable;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: ScrapeMetrics;
}

/**
 * ScrapeLoop scrapes one target every interval, at a fixed offset within the interval derived
 * from the target's identity (so a thousand targets do not all fire at once, and a restart keeps
 * each target's phase). Each scrape is one transaction: the body's samples and the report series
 * are committed together, or, when the body is rejected, only the report series (up=0) and
 * staleness markers for the series of the previous scrape are.
 */
export class ScrapeLoop {
  readonly target: Target;
  private readonly opts: ScrapeLoopOptions;
  private readonly cache = new ScrapeCache();
  private readonly reportLabels: Labels[];
  private readonly reportRefs: SeriesRef[];
  private timer: TimerHandle | undefined;
  private inflight: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private stopped = false;
  private state: TargetHealth = { health: 'unknown', lastError: '', lastScrape: 0, lastScrapeDurationSeconds: 0, warnings: [] };
  private familyMetadata = new Map<string, FamilyMetadata>();

  constructor(opts: ScrapeLoopOptions) {
    this.opts = opts;
    this.target = opts.target;
    this.reportLabels = REPORT_SERIES.map((name) => {
      const pairs: [string, string][] = [[METRIC_NAME, name]];
      opts.target.labels.forEach((n, v) => pairs.push([n, v]));
      return Labels.from(pairs);
    });
    this.reportRefs = REPORT_SERIES.map(() => 0);
  }

  get health(): TargetHealth {
    return this.state;
  }

  /** metadata is what the target said in HELP, TYPE and UNIT lines in its last good scrape. */
  get metadata(): ReadonlyMap<string, FamilyMetadata> {
    return this.familyMetadata;
  }

  /** idle resolves once the scrape in flight, if any, is stored. */
  async idle(): Promise<void> {
    await this.inflight;
  }

  /** start schedules scrapes at this target's offset within each interval. */
  start(): void {
    const interval = this.target.intervalMs;
    const now = this.opts.clock.now();
    const offset = scrapeOffset(this.target, interval);
    // The next instant congruent to `offset` modulo the interval.
    let next = now - (now % interval) + offset;
    if (next < now) next += interval;
    this.schedule(next);
  }

  private schedule(at: number): void {
    if (this.stopped) return;
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = undefined;
      this.inflight = this.scrapeOnce().finally(() => {
        this.inflight = undefined;
      });
      // Fixed-rate: the schedule does not drift by however long the scrape took.
      this.schedule(at + this.target.intervalMs);
    }, at - this.opts.clock.now());
  }

  /**
   * stop ends the loop: no new scrapes, the one in flight is aborted. With `markStale` (the target
   * went away, as opposed to vigil shutting down) its series get staleness markers, as Prometheus
   * writes when a target disappears.
   */
  async stop(opts: { markStale: boolean }): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    this.abort?.abort(new Error('scrape loop stopped'));
    await this.inflight;
    if (opts.markStale) this.endOfRunStaleness();
  }

  /** scrapeOnce scrapes the target now and stores the result. It never rejects. */
  async scrapeOnce(): Promise<void> {
    const { clock, config, logger } = this.opts;
    const start = clock.now();
    const abort = new AbortController();
    this.abort = abort;
    const deadline = clock.setTimeout(() => abort.abort(new Error('context deadline exceeded')), this.target.timeoutMs);
    let body = '';
    let contentType: string | undefined;
    let scrapeError: Error | undefined;
    try {
      const res = await this.opts.scraper.scrape(abort.signal);
      body = res.body;
      contentType = res.contentType;
    } catch (err) {
      scrapeError = err as Error;
    } finally {
      clock.clearTimeout(deadline);
      this.abort = undefined;
    }
    if (this.stopped && scrapeError !== undefined) return; // aborted by stop(): nothing to record
    const durationSeconds = (clock.now() - start) / 1000;

    let app = this.opts.appendable.appender();
    let result: AppendResult | undefined;
    this.cache.begin();
    if (scrapeError === undefined) {
      try {
        result = appendBody(this.context(), app, body, contentType, start);
      } catch (err) {
        app.rollback();
        this.cache.abandon();
        scrapeError = err as Error;
        if (!isExpectedRejection(err)) logger.error('unexpected error appending scrape', { target: this.target.url, err });
        app = this.opts.appendable.appender();
        this.cache.begin();
      }
    }
    // A failed scrape appends an empty body: every series of the previous scrape goes stale.
    const stored = result ?? appendBody(this.context(), app, '', undefined, start);
    this.appendReport(app, start, durationSeconds, scrapeError === undefined ? stored : undefined);
    try {
      app.commit();
      this.cache.commit();
    } catch (err) {
      this.cache.abandon();
      scrapeError ??= err as Error;
      logger.error('committing scrape failed', { target: this.target.url, err });
    }
    if (result !== undefined) this.familyMetadata = result.metadata;
    for (const [reason, count] of Object.entries(stored.rejected)) {
      this.opts.metrics.rejected(config.jobName, reason, count);
      logger.debug('samples rejected by the store', { target: this.target.url, reason, count });
    }
    this.opts.metrics.scraped(config.jobName, this.target.labels.get('instance'), scrapeError === undefined, durationSeconds);
    if (scrapeError !== undefined && this.state.lastError !== scrapeError.message) {
      logger.warn('scrape failed', { target: this.target.url, err: scrapeError.message });
    }
    this.state = {
      health: scrapeError === undefined ? 'up' : 'down',
      lastError: scrapeError?.message ?? '',
      lastScrape: start,
      lastScrapeDurationSeconds: durationSeconds,
      warnings: result?.warnings ?? [],
    };
  }

  private context() {
    return { config: this.opts.config, targetLabels: this.target.labels, cache: this.cache };
  }

  /** appendReport writes up and the scrape_* series; `result` is undefined for a failed scrape. */
  private appendReport(app: Appender, t: number, durationSeconds: number, result: AppendResult | undefined): void {
    const values = [
      result === undefined ? 0 : 1,
      durationSeconds,
      result?.total ?? 0,
      result?.added ?? 0,
      result?.seriesAdded ?? 0,
    ];
    for (let i = 0; i < values.length; i++) this.appendReportSample(app, i, t, values[i]!);
  }

  private appendReportSample(app: Appender, i: number, t: number, v: number): void {
    try {
      this.reportRefs[i] = app.append(this.reportLabels[i]!, t, v, this.reportRefs[i] || undefined);
    } catch (err) {
      if (!(err instanceof AppendError)) throw err;
    }
  }

  /** endOfRunStaleness marks every series of the last scrape, and the report series, stale. */
  private endOfRunStaleness(): void {
    if (this.state.lastScrape === 0) return;
    const t = Math.max(this.opts.clock.now(), this.state.lastScrape + 1);
    const app = this.opts.appendable.appender();
    this.cache.begin();
    appendBody(this.context(), app, '', undefined, t);
    for (let i = 0; i < REPORT_SERIES.length; i++) this.appendReportSample(app, i, t, StaleNaN);
    app.commit();
    this.cache.commit();
  }
}

function isExpectedRejection(err: unknown): boolean {
  const name = (err as Error)?.name;
  return name === 'ParseError' || name === 'LimitError' || name === 'InvalidSeriesError';
}

/**
 * scrapeOffset spreads targets over the interval by a hash of the target's identity (its labels
 * and URL), stable across restarts and reloads.
 */
export function scrapeOffset(target: Target, intervalMs: number): number {
  let h = 0x811c9dc5;
  const key = target.labels.key + '\u0001' + target.url;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % intervalMs;
}
