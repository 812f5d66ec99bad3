import type { AlertPersistence } from '../provider/alerts.js';
import type { Alert } from '../types.js';
import type { AlertingDb } from './db.js';
import { decodeAlert, encodeAlert } from './outbox.js';

/**
 * sqliteAlerts keeps the alert store's alerts in the alerting database, so a restarted vigil
 * rebuilds its groups (and resolves what resolved while it was down) without waiting for every
 * source to send again. One transaction per received batch.
 */
export function sqliteAlerts(db: AlertingDb): AlertPersistence {
  db.exec('CREATE TABLE IF NOT EXISTS alerts (fp TEXT PRIMARY KEY, alert TEXT NOT NULL)');
  const upsert = db.prepare('INSERT INTO alerts (fp, alert) VALUES (?, ?) ON CONFLICT (fp) DO UPDATE SET alert = excluded.alert');
  const del = db.prepare('DELETE FROM alerts WHERE fp = ?');
  const all = db.prepare('SELECT fp, alert FROM alerts');
  const putBatch = db.transaction((batch: readonly { fp: string; alert: Alert }[]) => {
    for (const { fp, alert } of batch) upsert.run(fp, JSON.stringify(encodeAlert(alert)));
  });
  const delBatch = db.transaction((fps: readonly string[]) => {
    for (const fp of fps) del.run(fp);
  });
  return {
    put: (batch) => putBatch(batch),
    delete: (fps) => delBatch(fps),
    load: () => (all.all() as { fp: string; alert: string }[]).map((r) => ({ fp: r.fp, alert: decodeAlert(JSON.parse(r.alert)) })),
  };
}
