import type { AlertPersistence } from '../provider/alerts.js';
import type { Alert } from '../types.js';
import type { AlertingDb } from './db.js';
import { decodeAlert, encodeAlert } from './outbox.js';

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
  db.exec('CREATE TABLE IF NOT EXISTS alerts (fp TEXT PRIMARY KEY, alert TEXT NOT NULL)');
  const upsert = db.prepare('INSERT INTO alerts (fp, alert) VALUES (?, ?) ON CONFLICT (fp) DO UPDATE SET alert = excluded.alert');
  const del = db.prepare('DELETE FROM alerts WHERE fp = ?');
  const all = db.prepare('SELECT fp, alert FROM alerts');
  /** pending: the newest unwritten version of each alert, or null for a deletion. */
  let pending = new Map<string, Alert | null>();
  let timer: NodeJS.Timeout | undefined;
  const write = db.transaction((batch: Map<string, Alert | null>) => {
    for (const [fp, alert] of batch) {
      if (alert === null) del.run(fp);
      else upsert.run(fp, JSON.stringify(encodeAlert(alert)));
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
      return (all.all() as { fp: string; alert: string }[]).map((r) => ({ fp: r.fp, alert: decodeAlert(JSON.parse(r.alert)) }));
    },
  };
}
