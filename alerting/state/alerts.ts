import type { AlertPersistence } from '../provider/alerts.js';
import type { Alert } from '../types.js';
import type { AlertingDb } from './db.js';
import { Labels } from '../../model/labels.js';

/** WRITE_BEHIND_MS: how long received alerts may wait to be written, batched into one transaction. */
export const WRITE_BEHIND_MS = 100;

/**
 * sqliteAlerts keeps the alert store's alerts in the alerting database, so a restarted vigil
 * rebuilds its groups (and resolves what resolved while it was down) without waiting for every
 * source to send again. Writes are batched: what arrives within WRITE_BEHIND_MS is written in one
 * transaction, the latest version of each alert only. A crash can lose the last batch, which
 * senders re-send anyway (Prometheus sends every active alert at every evaluation); the
 * notification log and outbox, which say what was delivered, are written synchronously.
 */
export function sqliteAlerts(db: AlertingDb, writeBehindMs = WRITE_BEHIND_MS): AlertPersistence {
  db.exec(`CREATE TABLE IF NOT EXISTS alerts (
    fp TEXT PRIMARY KEY, labels TEXT NOT NULL, annotations TEXT NOT NULL, starts_at INTEGER NOT NULL,
    ends_at INTEGER, generator_url TEXT NOT NULL, updated_at INTEGER NOT NULL, timeout INTEGER NOT NULL)`);
  const upsert = db.prepare(`INSERT OR REPLACE INTO alerts (fp, labels, annotations, starts_at, ends_at, generator_url, updated_at, timeout) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const del = db.prepare('DELETE FROM alerts WHERE fp = ?');
  const all = db.prepare('SELECT fp, labels, annotations, starts_at, ends_at, generator_url, updated_at, timeout FROM alerts');
  /** pending: the newest unwritten version of each alert, or null for a deletion. */
  let pending = new Map<string, Alert | null>();
  let timer: NodeJS.Timeout | undefined;
  const write = db.transaction((batch: Map<string, Alert | null>) => {
    for (const [fp, alert] of batch) {
      if (alert === null) del.run(fp);
      else {
        upsert.run(
          fp, JSON.stringify(alert.labels.toFlat()), JSON.stringify(alert.annotations.toFlat()), alert.startsAt,
          Number.isFinite(alert.endsAt) ? alert.endsAt : null, alert.generatorURL, alert.updatedAt, alert.timeout ? 1 : 0,
        );
      }
    }
  });
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    write(batch);
  };
  const schedule = () => {
    if (timer === undefined) {
      timer = setTimeout(flush, writeBehindMs);
      timer.unref();
    }
  };
  return {
    put: (batch) => {
      for (const { fp, alert } of batch) pending.set(fp, alert);
      schedule();
    },
    delete: (fps) => {
      for (const fp of fps) pending.set(fp, null);
      schedule();
    },
    flush,
    load: () => {
      flush();
      const rows = all.all() as { fp: string; labels: string; annotations: string; starts_at: number; ends_at: number | null; generator_url: string; updated_at: number; timeout: number }[];
      return rows.map((r) => ({
        fp: r.fp,
        alert: {
          labels: Labels.fromSorted(JSON.parse(r.labels) as string[]),
          annotations: Labels.fromSorted(JSON.parse(r.annotations) as string[]),
          startsAt: r.starts_at,
          endsAt: r.ends_at ?? Number.POSITIVE_INFINITY,
          generatorURL: r.generator_url,
          updatedAt: r.updated_at,
          timeout: r.timeout === 1,
        },
      }));
    },
  };
}
