import type { Alert } from '../types.js';
import { fingerprint } from '../fingerprint.js';
import { mergeAlerts, overlaps } from './merge.js';

/** AlertListener hears every alert the store accepts, after merging, with its fingerprint. */
export type AlertListener = (alert: Alert, fp: string) => void;

/**
 * AlertPersistence keeps the active alerts across restarts: vigil rebuilds its groups from it at
 * start instead of waiting for every source to send again. put is called once per batch.
 */
export interface AlertPersistence {
  put(alerts: readonly { readonly fp: string; readonly alert: Alert }[]): void;
  delete(fps: readonly string[]): void;
  /** flush writes whatever put and delete left pending (at shutdown). */
  flush(): void;
  load(): { fp: string; alert: Alert }[];
}

/**
 * AlertStore holds the current version of every alert, by fingerprint (Alertmanager's alert
 * provider). Received versions are merged with the stored one; listeners (the dispatcher, the
 * inhibitor) hear each result. Resolved alerts stay until gc() drops them.
 */
export class AlertStore {
  private readonly alerts = new Map<string, Alert>();
  private readonly listeners: AlertListener[] = [];

  constructor(private readonly persistence?: AlertPersistence) {}

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

  /** put merges each alert into the store at `now` (ms), persists the batch, then tells listeners. */
  put(received: readonly Alert[], now: number): void {
    const batch: { fp: string; alert: Alert }[] = [];
    for (const alert of received) {
      const fp = fingerprint(alert.labels);
      const stored = this.alerts.get(fp);
      const merged = stored !== undefined && overlaps(stored, alert) ? mergeAlerts(stored, alert, now) : alert;
      this.alerts.set(fp, merged);
      batch.push({ fp, alert: merged });
    }
    this.persistence?.put(batch);
    for (const { fp, alert } of batch) for (const l of this.listeners) l(alert, fp);
  }

  /** restore loads persisted alerts without writing them back, and tells listeners. */
  restore(): number {
    const loaded = this.persistence?.load() ?? [];
    for (const { fp, alert } of loaded) this.alerts.set(fp, alert);
    for (const { fp, alert } of loaded) for (const l of this.listeners) l(alert, fp);
    return loaded.length;
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
    if (dropped.length > 0) this.persistence?.delete(dropped);
    return dropped;
  }
}
