import type { Clock, TimerHandle } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import type { AlertingConfig, ReceiverConfig } from './config/types.js';
import { Dispatcher } from './dispatch/dispatcher.js';
import type { Muter } from './mute/muter.js';
import { DeliveryQueue, type DeliveryMetrics } from './notify/delivery.js';
import { buildPipeline } from './notify/pipeline.js';
import { RateLimiter } from './notify/ratelimit.js';
import type { IntervalsActive } from './notify/time-stage.js';
import type { Integration } from './notify/types.js';
import { AlertStore, type ReceivedBatch } from './provider/alerts.js';
import type { Route } from './route/types.js';
import { sqliteAlerts } from './state/alerts.js';
import type { AlertingDb } from './state/db.js';
import { NotificationLog } from './state/nflog.js';
import { Outbox, type OutboxEntry } from './state/outbox.js';
import { GroupCommit } from './state/commit.js';
import type { Alert } from './types.js';

export interface AlertingOptions {
  readonly config: AlertingConfig;
  readonly route: Route;
  readonly db: AlertingDb;
  readonly clock: Clock;
  readonly logger: Logger;
  /** integrations builds a receiver's integrations (cli/ knows the receiver folders). */
  readonly integrations: (receiver: ReceiverConfig) => Integration[];
  readonly inhibitor: Muter & { observe?(alert: Alert, fp: string): void; forget?(fp: string): void };
  readonly silences: Muter;
  readonly intervalsActive: IntervalsActive;
  readonly externalURL: string;
  readonly metrics?: DeliveryMetrics;
  readonly delivery?: { readonly concurrency?: number; readonly backoff?: { initialMs: number; maxMs: number }; readonly sendTimeoutMs?: number };
  readonly random?: () => number;
  /** maintenanceIntervalMs: how often resolved alerts and old log entries are dropped (default 15m). */
  readonly maintenanceIntervalMs?: number;
}

/**
 * Alerting is the running alert pipeline: received alerts go to the store, the dispatcher groups
 * them, each flush runs the pipeline, and each integration's delivery queue sends what the
 * pipeline decided. The notification log, outbox and alerts live in the alerting database, so a
 * restart neither repeats what was recorded as delivered nor loses what was queued.
 */
export class Alerting {
  readonly store: AlertStore;
  readonly dispatcher: Dispatcher;
  readonly nflog: NotificationLog;
  readonly outbox: Outbox;
  readonly commit: GroupCommit;
  readonly queues = new Map<string, DeliveryQueue[]>();
  private maintenance: TimerHandle | undefined;

  constructor(private readonly o: AlertingOptions) {
    const commitFailed = (err: unknown) => o.logger.error('writing the notification log failed; delivered notifications may repeat after a restart', { err: String(err) });
    this.commit = new GroupCommit(o.db, commitFailed, undefined, o.clock);
    this.nflog = new NotificationLog(o.db, this.commit);
    this.outbox = new Outbox(o.db, this.commit);
    const snapshotFailed = (err: unknown) => o.logger.error('writing the alerts snapshot failed; the journal keeps every batch and a later snapshot retries', { err: String(err) });
    this.store = new AlertStore(sqliteAlerts(o.db, { onSnapshotError: snapshotFailed, clock: o.clock }));
    const sendResolved = new Map<DeliveryQueue, boolean>();
    for (const r of o.config.receivers) {
      const limiter = r.rateLimit === undefined ? undefined : new RateLimiter(r.rateLimit.count, r.rateLimit.interval);
      const qs = o.integrations(r).map((integration) => {
        const q = new DeliveryQueue({
          receiver: r.name, integration, outbox: this.outbox, nflog: this.nflog, clock: o.clock, logger: o.logger,
          externalURL: o.externalURL, ...(o.delivery ?? {}), ...(limiter ? { rateLimiter: limiter } : {}),
          ...(o.metrics ? { metrics: o.metrics } : {}), ...(o.random ? { random: o.random } : {}),
          onPermanent: (entry, err) => this.fallback(r, entry, err.message),
        });
        sendResolved.set(q, integration.sendResolved);
        return q;
      });
      this.queues.set(r.name, qs);
    }
    const pipeline = buildPipeline({
      queues: this.queues, sendResolved: (q) => sendResolved.get(q) ?? false, inhibitor: o.inhibitor, silences: o.silences,
      intervalsActive: o.intervalsActive, nflog: this.nflog,
    });
    this.dispatcher = new Dispatcher(o.route, o.clock, async (ctx, alerts) => void (await pipeline.exec(ctx, alerts)), o.logger);
    if (o.inhibitor.observe) this.store.subscribe((a, fp) => o.inhibitor.observe!(a, fp));
    this.store.subscribe((a, fp) => this.dispatcher.process(a, fp));
  }

  /**
   * start rebuilds state from the database (alerts into their groups, queued notifications into
   * their queues) and starts maintenance. Outbox entries for a receiver or integration no longer
   * in the config cannot be delivered: they are logged as errors and dropped.
   */
  start(): { alerts: number; queued: number } {
    const alerts = this.store.restore();
    let queued = 0;
    for (const entry of this.outbox.all()) {
      const q = this.queues.get(entry.receiver)?.find((x) => x.integrationId === entry.integration);
      if (q === undefined) {
        this.o.logger.error('queued notification for a receiver no longer configured; dropped', { receiver: entry.receiver, integration: entry.integration, group: entry.groupKey });
        this.outbox.drop(entry);
        continue;
      }
      q.restore(entry);
      queued++;
    }
    this.scheduleMaintenance();
    return { alerts, queued };
  }

  /**
   * receive takes alerts from the intake (the API, with the request body they were decoded from,
   * or rules' NotifyFn).
   */
  receive(alerts: readonly Alert[], body?: ReceivedBatch['body']): void {
    if (alerts.length > 0) this.store.put(alerts, this.o.clock.now(), body);
  }

  /** idle resolves when every delivery queue is empty and nothing is in flight (for tests and shutdown). */
  async idle(): Promise<void> {
    for (const qs of this.queues.values()) for (const q of qs) await q.idle();
  }

  /** quiet resolves when no notification is in flight anywhere (some may wait for a retry). */
  async quiet(): Promise<void> {
    for (const qs of this.queues.values()) for (const q of qs) await q.quiet();
  }

  /**
   * stop ends the timers, lets the notifications in flight finish, and writes everything down:
   * another Alerting on the same database (a restart or a reload) carries on where this one left.
   */
  async stop(): Promise<void> {
    if (this.maintenance !== undefined) this.o.clock.clearTimeout(this.maintenance);
    await this.dispatcher.stop();
    for (const qs of this.queues.values()) for (const q of qs) q.close();
    await this.quiet();
    this.store.flush();
    this.outbox.persist();
    this.commit.flush();
  }

  private fallback(receiver: ReceiverConfig, entry: OutboxEntry, reason: string): void {
    if (receiver.fallback === undefined) return;
    const qs = this.queues.get(receiver.fallback) ?? [];
    this.o.logger.warn('handing a notification to the fallback receiver', { receiver: receiver.name, fallback: receiver.fallback, group: entry.groupKey, reason });
    for (const q of qs) q.enqueue(`${entry.groupKey}|fallback-from:${receiver.name}`, entry.pending);
  }

  private scheduleMaintenance(): void {
    this.maintenance = this.o.clock.setTimeout(() => {
      const now = this.o.clock.now();
      // Alerts still held by a group are kept there; the store only forgets them.
      for (const fp of this.store.gc(now)) this.o.inhibitor.forget?.(fp);
      this.nflog.gc(now);
      this.scheduleMaintenance();
    }, this.o.maintenanceIntervalMs ?? 15 * 60_000);
  }
}
