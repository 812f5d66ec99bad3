import { decodePostableAlerts } from '../api/postable.js';
import type { AlertPersistence, PersistedAlerts, ReceivedBatch } from '../provider/alerts.js';
import type { Alert } from '../types.js';
import type { AlertingDb } from './db.js';
import { Labels } from '../../model/labels.js';

/** WRITE_BEHIND_MS: how long received batches may wait to be written, together in one transaction. */
export const WRITE_BEHIND_MS = 100;

/**
 * sqliteAlerts keeps the alert store's alerts in the alerting database, so a restarted vigil
 * rebuilds its groups (and resolves what resolved while it was down) without waiting for every
 * source to send again. It is a snapshot (table alerts, a row per alert) plus a journal of the
 * batches received since (table alert_journal, a row per batch): a batch from the API is
 * journaled as the very JSON body Prometheus posted, so receiving costs one row per POST rather
 * than an encoded row per alert; loading replays the journal over the snapshot through the same
 * decoding and merging. The store asks for a new snapshot when the journal has grown or alerts
 * were dropped. Writes are batched: what arrives within WRITE_BEHIND_MS is written in one
 * transaction. A crash can lose the last batch, which senders re-send anyway (Prometheus sends
 * every active alert at every evaluation); the notification log and outbox, which say what was
 * delivered, are written synchronously.
 */
export function sqliteAlerts(db: AlertingDb, writeBehindMs = WRITE_BEHIND_MS): AlertPersistence {
  db.exec(`CREATE TABLE IF NOT EXISTS alerts (
    fp TEXT PRIMARY KEY, labels TEXT NOT NULL, annotations TEXT NOT NULL, starts_at INTEGER NOT NULL,
    ends_at INTEGER, generator_url TEXT NOT NULL, updated_at INTEGER NOT NULL, timeout INTEGER NOT NULL)`);
  // kind: 'v2' is an Alertmanager v2 POST body decoded at received_at with resolve_timeout_ms;
  // 'alerts' is vigil's own encoding (encodeAlerts) of alerts received in process.
  db.exec(`CREATE TABLE IF NOT EXISTS alert_journal (
    seq INTEGER PRIMARY KEY, received_at INTEGER NOT NULL, kind TEXT NOT NULL, resolve_timeout_ms INTEGER NOT NULL, body TEXT NOT NULL)`);
  const insertAlert = db.prepare(`INSERT INTO alerts (fp, labels, annotations, starts_at, ends_at, generator_url, updated_at, timeout) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const clearAlerts = db.prepare('DELETE FROM alerts');
  const allAlerts = db.prepare('SELECT fp, labels, annotations, starts_at, ends_at, generator_url, updated_at, timeout FROM alerts');
  const appendBatch = db.prepare('INSERT INTO alert_journal (received_at, kind, resolve_timeout_ms, body) VALUES (?, ?, ?, ?)');
  const clearJournal = db.prepare('DELETE FROM alert_journal');
  const allBatches = db.prepare('SELECT received_at, kind, resolve_timeout_ms, body FROM alert_journal ORDER BY seq');

  /** pending: batches not yet written, in arrival order. */
  let pending: { at: number; kind: 'v2' | 'alerts'; resolveTimeoutMs: number; body: string }[] = [];
  /** snapshotOf: the live alerts, when a snapshot is due; it supersedes what is pending. */
  let snapshotOf: ReadonlyMap<string, Alert> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const write = db.transaction(() => {
    if (snapshotOf !== undefined) {
      clearAlerts.run();
      clearJournal.run();
      for (const [fp, a] of snapshotOf) {
        insertAlert.run(
          fp, JSON.stringify(a.labels.toFlat()), JSON.stringify(a.annotations.toFlat()), a.startsAt,
          Number.isFinite(a.endsAt) ? a.endsAt : null, a.generatorURL, a.updatedAt, a.timeout ? 1 : 0,
        );
      }
    } else {
      for (const b of pending) appendBatch.run(b.at, b.kind, b.resolveTimeoutMs, b.body);
    }
  });
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0 && snapshotOf === undefined) return;
    try {
      write();
    } finally {
      pending = [];
      snapshotOf = undefined;
    }
  };
  const schedule = () => {
    if (timer === undefined) {
      timer = setTimeout(flush, writeBehindMs);
      timer.unref();
    }
  };
  return {
    journal: (batch: ReceivedBatch) => {
      if (snapshotOf !== undefined) return; // the snapshot due will hold this batch's result
      if (batch.body !== undefined) pending.push({ at: batch.at, kind: 'v2', resolveTimeoutMs: batch.body.resolveTimeoutMs, body: batch.body.text });
      else pending.push({ at: batch.at, kind: 'alerts', resolveTimeoutMs: 0, body: encodeAlerts(batch.alerts) });
      schedule();
    },
    snapshot: (live) => {
      snapshotOf = live;
      pending = [];
      schedule();
    },
    flush,
    load: (): PersistedAlerts => {
      flush();
      const rows = allAlerts.all() as { fp: string; labels: string; annotations: string; starts_at: number; ends_at: number | null; generator_url: string; updated_at: number; timeout: number }[];
      const snapshot = rows.map((r) => ({
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
      const batches = (allBatches.all() as { received_at: number; kind: string; resolve_timeout_ms: number; body: string }[]).map((r) => ({
        at: r.received_at,
        alerts: r.kind === 'v2' ? decodePostableAlerts(JSON.parse(r.body), r.received_at, r.resolve_timeout_ms).alerts : decodeAlerts(r.body),
      }));
      return { snapshot, batches };
    },
  };
}

/** encodeAlerts writes alerts received in process for the journal; decodeAlerts reads them back. */
function encodeAlerts(alerts: readonly Alert[]): string {
  return JSON.stringify(
    alerts.map((a) => [a.labels.toFlat(), a.annotations.toFlat(), a.startsAt, Number.isFinite(a.endsAt) ? a.endsAt : null, a.generatorURL, a.updatedAt, a.timeout ? 1 : 0]),
  );
}

function decodeAlerts(body: string): Alert[] {
  const rows = JSON.parse(body) as [string[], string[], number, number | null, string, number, number][];
  return rows.map(([labels, annotations, startsAt, endsAt, generatorURL, updatedAt, timeout]) => ({
    labels: Labels.fromSorted(labels),
    annotations: Labels.fromSorted(annotations),
    startsAt,
    endsAt: endsAt ?? Number.POSITIVE_INFINITY,
    generatorURL,
    updatedAt,
    timeout: timeout === 1,
  }));
}
