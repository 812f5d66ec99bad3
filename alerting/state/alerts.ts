import { dirname } from 'node:path';
import { decodePostableAlerts } from '../api/postable.js';
import type { AlertPersistence, PersistedAlerts, ReceivedBatch } from '../provider/alerts.js';
import type { Alert } from '../types.js';
import type { AlertingDb } from './db.js';
import { Labels } from '../../model/labels.js';
import { systemClock, type Clock, type TimerHandle } from '../../util/clock.js';
import { fileJournal, memoryJournal, type JournalRecord } from './journal.js';

/** WRITE_BEHIND_MS: how long a snapshot asked for may wait to be written (asks within it are written once). */
export const WRITE_BEHIND_MS = 100;

/**
 * sqliteAlerts keeps the alert store's alerts across restarts, so a restarted vigil rebuilds its
 * groups (and resolves what resolved while it was down) without waiting for every source to send
 * again. It is a snapshot in the alerting database (table alerts, a row per alert) plus a journal
 * of the batches received since, appended to a file next to the database (journal.ts): a batch
 * from the API is journaled as the very JSON body Prometheus posted, so receiving costs one write
 * of that body rather than an encoded row per alert, and no database pages. A batch is appended
 * when it arrives, before the API answers, so a body is not kept in memory waiting for a later
 * write. Loading replays the journal over the snapshot through the same decoding and merging.
 * The store asks for a new snapshot when the journal has grown or alerts were dropped; snapshots
 * are written behind, what was asked within WRITE_BEHIND_MS in one transaction.
 *
 * Each snapshot has a generation, committed with it, and the journal file is named by the
 * generation it follows: a crash after a snapshot's commit and before its fresh journal leaves the
 * old file behind, which a restart then ignores instead of replaying batches the snapshot already
 * holds. The file is not synced to the disk at each append: a process crash loses nothing
 * written, a power loss may lose the last batches, which senders re-send anyway (Prometheus sends
 * every active alert at every evaluation). An in-memory database keeps its journal in memory.
 */
export function sqliteAlerts(db: AlertingDb, o: SqliteAlertsOptions = {}): AlertPersistence {
  db.exec(`CREATE TABLE IF NOT EXISTS alerts (
    fp TEXT PRIMARY KEY, labels TEXT NOT NULL, annotations TEXT NOT NULL, starts_at INTEGER NOT NULL,
    ends_at INTEGER, generator_url TEXT NOT NULL, updated_at INTEGER NOT NULL, timeout INTEGER NOT NULL)`);
  db.exec('CREATE TABLE IF NOT EXISTS alert_snapshot (id INTEGER PRIMARY KEY CHECK (id = 0), generation INTEGER NOT NULL)');
  // alert_journal: where versions before the journal file journaled batches; read at load, emptied
  // by the next snapshot.
  db.exec(`CREATE TABLE IF NOT EXISTS alert_journal (
    seq INTEGER PRIMARY KEY, received_at INTEGER NOT NULL, kind TEXT NOT NULL, resolve_timeout_ms INTEGER NOT NULL, body TEXT NOT NULL)`);
  const insertAlert = db.prepare(`INSERT INTO alerts (fp, labels, annotations, starts_at, ends_at, generator_url, updated_at, timeout) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const clearAlerts = db.prepare('DELETE FROM alerts');
  const allAlerts = db.prepare('SELECT fp, labels, annotations, starts_at, ends_at, generator_url, updated_at, timeout FROM alerts');
  const setGeneration = db.prepare('INSERT INTO alert_snapshot (id, generation) VALUES (0, ?) ON CONFLICT (id) DO UPDATE SET generation = excluded.generation');
  const clearLegacyJournal = db.prepare('DELETE FROM alert_journal');
  const legacyBatches = db.prepare('SELECT received_at AS at, kind, resolve_timeout_ms AS resolveTimeoutMs, body FROM alert_journal ORDER BY seq');
  const journalFiles = db.memory ? memoryJournal() : fileJournal(dirname(db.name));

  let generation = (db.prepare('SELECT generation FROM alert_snapshot').get() as { generation: number } | undefined)?.generation ?? 0;
  /** snapshotOf: the live alerts, when a snapshot is due. */
  let snapshotOf: ReadonlyMap<string, Alert> | undefined;
  const clock = o.clock ?? systemClock;
  let timer: TimerHandle | undefined;

  const writeSnapshot = db.transaction((live: ReadonlyMap<string, Alert>, next: number) => {
    clearAlerts.run();
    clearLegacyJournal.run();
    for (const [fp, a] of live) {
      insertAlert.run(
        fp, JSON.stringify(a.labels.toFlat()), JSON.stringify(a.annotations.toFlat()), a.startsAt,
        Number.isFinite(a.endsAt) ? a.endsAt : null, a.generatorURL, a.updatedAt, a.timeout ? 1 : 0,
      );
    }
    setGeneration.run(next);
  });
  const flush = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    if (snapshotOf === undefined) return;
    try {
      writeSnapshot(snapshotOf, generation + 1);
      generation++;
      journalFiles.reset(generation);
    } finally {
      snapshotOf = undefined;
    }
  };
  const schedule = () => {
    if (timer === undefined) {
      timer = clock.setTimeout(() => {
        timer = undefined;
        try {
          flush();
        } catch (err) {
          // Nothing is lost: the journal since the last snapshot is still there and still grows.
          if (o.onSnapshotError === undefined) throw err;
          o.onSnapshotError(err);
        }
      }, WRITE_BEHIND_MS);
    }
  };
  return {
    journal: (batch: ReceivedBatch) => {
      // Appended even while a snapshot is due: until it commits, the journal is what a restart has.
      journalFiles.append(
        generation,
        batch.body !== undefined
          ? { at: batch.at, kind: 'v2', resolveTimeoutMs: batch.body.resolveTimeoutMs, body: batch.body.text }
          : { at: batch.at, kind: 'alerts', resolveTimeoutMs: 0, body: encodeAlerts(batch.alerts) },
      );
    },
    snapshot: (live) => {
      snapshotOf = live;
      schedule();
    },
    flush: () => {
      flush();
      journalFiles.close();
    },
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
      const records = [...(legacyBatches.all() as JournalRecord[]), ...journalFiles.read(generation)];
      const batches = records.map((r) => ({
        at: r.at,
        alerts: r.kind === 'v2' ? decodePostableAlerts(JSON.parse(r.body), r.at, r.resolveTimeoutMs).alerts : decodeAlerts(r.body),
      }));
      return { snapshot, batches };
    },
  };
}

export interface SqliteAlertsOptions {
  /** onSnapshotError hears a snapshot written behind that failed (default: thrown from its timer). */
  readonly onSnapshotError?: (err: unknown) => void;
  /** clock runs the write-behind timer (default the system clock). */
  readonly clock?: Clock;
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
