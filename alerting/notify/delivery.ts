import type { Clock, TimerHandle } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { NotificationLog, NflogKey } from '../state/nflog.js';
import type { Outbox, OutboxEntry, Pending } from '../state/outbox.js';
import type { RateLimiter } from './ratelimit.js';
import { NotifyError, type Integration, type Notification } from './types.js';

/** DeliveryMetrics hears every delivery outcome, for vigil's telemetry. */
export interface DeliveryMetrics {
  delivered(receiver: string, integration: string, latencyMs: number): void;
  failed(receiver: string, integration: string, code: string, retryable: boolean): void;
}

export interface DeliveryOptions {
  readonly receiver: string;
  readonly integration: Integration;
  readonly outbox: Outbox;
  readonly nflog: NotificationLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly externalURL: string;
  /** concurrency: notifications in flight at once for this integration (default 4). */
  readonly concurrency?: number;
  /** backoff: first retry after initialMs, doubling to maxMs, each ±20% jitter (defaults 1s, 60s). */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** sendTimeoutMs aborts one notify that takes longer (default 30s); the abort counts as retryable. */
  readonly sendTimeoutMs?: number;
  readonly rateLimiter?: RateLimiter;
  readonly metrics?: DeliveryMetrics;
  /** onPermanent hears a notification that failed for good (to hand it to a fallback receiver). */
  readonly onPermanent?: (entry: OutboxEntry, err: NotifyError) => void;
  readonly random?: () => number;
}

interface Item {
  entry: OutboxEntry;
  inFlight: boolean;
  cancelled: boolean;
}

/**
 * DeliveryQueue delivers one integration's outbox: in the order notifications were first queued,
 * a few at a time but never two for one group, each retried until it is delivered or superseded.
 * A retryable failure (the peer is down, rate limiting, or erroring) pauses the whole queue for
 * an exponential backoff with jitter, at least the peer's Retry-After, so a struggling peer is
 * not hammered and notifications keep their order. A permanent failure is logged, counted and
 * handed to onPermanent; the entry leaves the outbox, and the group's next flush decides afresh
 * (once per group_interval, never a retry storm).
 */
export class DeliveryQueue {
  private readonly items = new Map<string, Item>();
  private inFlight = 0;
  private pausedUntil = 0;
  private failures = 0;
  private wake: TimerHandle | undefined;
  private idleWaiters: (() => void)[] = [];
  private quietWaiters: (() => void)[] = [];
  private closed = false;
  readonly integrationId: string;

  constructor(private readonly o: DeliveryOptions) {
    this.integrationId = `${o.integration.name}/${o.integration.index}`;
  }

  key(groupKey: string): NflogKey {
    return { groupKey, receiver: this.o.receiver, integration: this.integrationId };
  }

  get size(): number {
    return this.items.size;
  }

  /** enqueue durably queues `pending` for the group, superseding what was queued, and starts it. */
  enqueue(groupKey: string, pending: Pending): void {
    const entry = this.o.outbox.put(this.key(groupKey), pending);
    this.adopt(entry);
  }

  /** restore takes an entry found in the outbox at start (call in queue order). */
  restore(entry: OutboxEntry): void {
    this.adopt(entry);
  }

  /** cancel drops what is queued for the group: a later flush found nothing worth sending. */
  cancel(groupKey: string): void {
    const item = this.items.get(groupKey);
    if (item === undefined) return;
    this.o.outbox.drop(this.key(groupKey));
    if (item.inFlight) item.cancelled = true;
    else this.items.delete(groupKey);
  }

  /** idle resolves when nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.items.size === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * quiet resolves when no notify is in flight, though entries may wait for a retry: tests on a
   * virtual clock await it before moving time, so a reply in real time lands at the right instant.
   */
  quiet(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.quietWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    if (this.wake !== undefined) this.o.clock.clearTimeout(this.wake);
  }

  private adopt(entry: OutboxEntry): void {
    const item = this.items.get(entry.groupKey);
    if (item === undefined) this.items.set(entry.groupKey, { entry, inFlight: false, cancelled: false });
    else {
      item.entry = entry;
      item.cancelled = false;
    }
    this.pump();
  }

  private pump(): void {
    this.startDue();
    if (this.inFlight === 0 && this.quietWaiters.length > 0) {
      const waiters = this.quietWaiters;
      this.quietWaiters = [];
      for (const w of waiters) w();
    }
    if (this.items.size === 0 && this.inFlight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private startDue(): void {
    if (this.closed) return;
    const now = this.o.clock.now();
    if (now < this.pausedUntil) return this.wakeAt(this.pausedUntil);
    const limit = this.o.concurrency ?? 4;
    for (const item of this.items.values()) {
      if (this.inFlight >= limit) break;
      if (item.inFlight) continue;
      const wait = this.o.rateLimiter?.take(now) ?? 0;
      if (wait > 0) return this.wakeAt(now + wait);
      void this.send(item);
    }
  }

  private wakeAt(t: number): void {
    if (this.wake !== undefined) this.o.clock.clearTimeout(this.wake);
    this.wake = this.o.clock.setTimeout(() => {
      this.wake = undefined;
      this.pump();
    }, t - this.o.clock.now());
  }

  private async send(item: Item): Promise<void> {
    const { integration, clock, nflog } = this.o;
    const entry = item.entry;
    const key = this.key(entry.groupKey);
    item.inFlight = true;
    this.inFlight++;
    const started = clock.now();
    const abort = new AbortController();
    const timer = clock.setTimeout(() => abort.abort(new NotifyError('timeout', 'notification timed out', { retryable: true })), this.o.sendTimeoutMs ?? 30_000);
    try {
      const last = nflog.get(key);
      // A group that fully resolved starts over: its next firing is a new message, not an edit.
      const fresh = last === undefined || (last.firing.size === 0 && entry.pending.firing.length > 0);
      const n: Notification = {
        receiver: this.o.receiver,
        groupKey: entry.groupKey,
        groupLabels: entry.pending.groupLabels,
        alerts: entry.pending.alerts,
        now: started,
        externalURL: this.o.externalURL,
        state: fresh ? {} : last.state,
      };
      const state = await integration.notify(n, abort.signal);
      this.o.outbox.complete(entry, () =>
        nflog.log(key, { firing: new Set(entry.pending.firing), resolved: new Set(entry.pending.resolved), timestamp: clock.now(), state: state ?? {} }),
      );
      this.failures = 0;
      this.o.metrics?.delivered(this.o.receiver, this.integrationId, clock.now() - entry.pending.decidedAt);
      if (item.entry === entry || item.cancelled) this.items.delete(entry.groupKey);
    } catch (raw) {
      const err = asNotifyError(raw);
      this.o.metrics?.failed(this.o.receiver, this.integrationId, err.code, err.retryable);
      if (err.retryable && !item.cancelled) {
        // It will wait: write it now, so a restart during the wait delivers it.
        this.o.outbox.persist();
        this.failures++;
        const delay = this.backoff(err.retryAfterMs);
        this.pausedUntil = Math.max(this.pausedUntil, clock.now() + delay);
        this.o.logger.warn('notification failed; retrying', {
          receiver: this.o.receiver, integration: this.integrationId, group: entry.groupKey, code: err.code, err: err.message, retryInMs: delay,
        });
      } else {
        if (!err.retryable) {
          this.o.logger.error('notification failed permanently', {
            receiver: this.o.receiver, integration: this.integrationId, group: entry.groupKey, code: err.code, err: err.message,
          });
        }
        if (item.entry === entry) {
          this.o.outbox.drop(key);
          this.items.delete(entry.groupKey);
        } else if (item.cancelled) this.items.delete(entry.groupKey);
        if (!err.retryable) this.o.onPermanent?.(entry, err);
      }
    } finally {
      clock.clearTimeout(timer);
      item.inFlight = false;
      this.inFlight--;
      this.pump();
    }
  }

  private backoff(retryAfterMs: number | undefined): number {
    const { initialMs, maxMs } = this.o.backoff ?? { initialMs: 1_000, maxMs: 60_000 };
    const base = Math.min(maxMs, initialMs * 2 ** Math.min(30, this.failures - 1));
    const jittered = base * (0.8 + 0.4 * (this.o.random ?? Math.random)());
    return Math.max(Math.round(jittered), retryAfterMs ?? 0);
  }
}

/** asNotifyError treats anything an integration throws that is not a NotifyError as retryable. */
function asNotifyError(err: unknown): NotifyError {
  if (err instanceof NotifyError) return err;
  return new NotifyError('internal', err instanceof Error ? err.message : String(err), { retryable: true, cause: err });
}
