import type { Alert } from '../types.js';
import { fingerprint } from '../fingerprint.js';
import { mergeAlerts, overlaps } from './merge.js';

/** AlertListener hears every alert the store accepts, after merging, with its fingerprint. */
export type AlertListener = (alert: Alert, fp: string) => void;

/**
 * ReceivedBatch is one batch as the store received it, for the journal: its alerts, when, and the
 * request body it was decoded from when it came through the API (journaled as it is, which is
 * cheaper than encoding each alert again).
 */
export interface ReceivedBatch {
  readonly at: number;
  readonly alerts: readonly Alert[];
  readonly body?: { readonly text: string; readonly resolveTimeoutMs: number };
}

/** PersistedAlerts is what a restart finds: a snapshot of the store, then the batches received after it. */
export interface PersistedAlerts {
  readonly snapshot: readonly { readonly fp: string; readonly alert: Alert }[];
  readonly batches: readonly { readonly at: number; readonly alerts: readonly Alert[] }[];
}

/**
 * AlertPersistence keeps the active alerts across restarts: vigil rebuilds its groups from it at
 * start instead of waiting for every source to send again. The store journals every batch it
 * receives and asks for a snapshot of everything it holds when the journal has grown or alerts
 * were dropped; a snapshot replaces the journal.
 */
export interface AlertPersistence {
  journal(batch: ReceivedBatch): void;
  /** snapshot will write `live` as it is when written (the map is the store's own). */
  snapshot(live: ReadonlyMap<string, Alert>): void;
  /** flush writes whatever is pending (at shutdown). */
  flush(): void;
  load(): PersistedAlerts;
}

/**
 * SNAPSHOT_AFTER: the journal is replaced by a snapshot once it holds more alert versions than
 * this many per stored alert (plus a floor): restarts replay a bounded journal, and the snapshot's
 * cost (a row per alert) is paid once per that many received versions.
 */
export const SNAPSHOT_AFTER = { perAlert: 4, floor: 10_000 };

/**
 * AlertStore holds the current version of every alert, by fingerprint (Alertmanager's alert
 * provider). Received versions are merged with the stored one; listeners (the dispatcher, the
 * inhibitor) hear each result. Resolved alerts stay until gc() drops them.
 */
export class AlertStore {
  private readonly alerts = new Map<string, Alert>();
  private readonly listeners: AlertListener[] = [];
  /** journaled counts the alert versions journaled since the last snapshot. */
  private journaled = 0;

  constructor(
    private readonly persistence?: AlertPersistence,
    private readonly snapshotAfter: { readonly perAlert: number; readonly floor: number } = SNAPSHOT_AFTER,
  ) {}

  subscribe(listener: AlertListener): void {
    this.listeners.push(listener);
  }

  get size(): number {
    return this.alerts.size;
  }

  get(fp: string): Alert | undefined {
    return this.alerts.get(fp);
  }

  values(): IterableIterator<Alert> {
    return this.alerts.values();
  }

  entries(): IterableIterator<[string, Alert]> {
    return this.alerts.entries();
  }

  /**
   * put journals the batch (with the request body it came in, when given), merges each alert into
   * the store at `now` (ms), then tells listeners. The journal comes first: a batch it cannot
   * write is refused whole (put throws) and the store is left as it was.
   */
  put(received: readonly Alert[], now: number, body?: ReceivedBatch['body']): void {
    this.persistence?.journal(body === undefined ? { at: now, alerts: received } : { at: now, alerts: received, body });
    const fps: string[] = [];
    const merged: Alert[] = [];
    for (const alert of received) {
      const fp = fingerprint(alert.labels);
      fps.push(fp);
      merged.push(this.merge(fp, alert, now));
    }
    if (this.persistence !== undefined) {
      this.journaled += received.length;
      if (this.journaled > this.snapshotAfter.floor + this.snapshotAfter.perAlert * this.alerts.size) this.snapshot();
    }
    for (let i = 0; i < merged.length; i++) for (const l of this.listeners) l(merged[i]!, fps[i]!);
  }

  /** restore loads the persisted snapshot and replays the journal after it, and tells listeners. */
  restore(): number {
    const persisted = this.persistence?.load();
    if (persisted === undefined) return 0;
    for (const { fp, alert } of persisted.snapshot) this.alerts.set(fp, alert);
    for (const b of persisted.batches) {
      for (const alert of b.alerts) this.merge(fingerprint(alert.labels), alert, b.at);
      this.journaled += b.alerts.length;
    }
    for (const [fp, alert] of this.alerts) for (const l of this.listeners) l(alert, fp);
    return this.alerts.size;
  }

  /** flush makes every accepted alert durable (at shutdown). */
  flush(): void {
    this.persistence?.flush();
  }

  /** gc drops alerts resolved before `now` and returns their fingerprints. */
  gc(now: number): string[] {
    const dropped: string[] = [];
    for (const [fp, a] of this.alerts) if (a.endsAt <= now) dropped.push(fp);
    for (const fp of dropped) this.alerts.delete(fp);
    if (dropped.length > 0) this.snapshot();
    return dropped;
  }

  /** merge stores the received version of an alert, merged with the stored one when they overlap. */
  private merge(fp: string, alert: Alert, now: number): Alert {
    const stored = this.alerts.get(fp);
    const merged = stored !== undefined && overlaps(stored, alert) ? mergeAlerts(stored, alert, now) : alert;
    this.alerts.set(fp, merged);
    return merged;
  }

  private snapshot(): void {
    this.persistence?.snapshot(this.alerts);
    this.journaled = 0;
  }
}
