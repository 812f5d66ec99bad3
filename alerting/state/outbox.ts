import { Labels } from '../../model/labels.js';
import type { Alert } from '../types.js';
import type { AlertingDb } from './db.js';
import type { NflogKey } from './nflog.js';

/**
 * Pending is a notification decided and not yet delivered: the group's alerts to send (already
 * stripped of resolved ones when the integration does not send them), and the firing and
 * resolved fingerprint sets that the notification log records once it is delivered.
 */
export interface Pending {
  readonly groupLabels: Labels;
  readonly alerts: readonly Alert[];
  readonly firing: readonly string[];
  readonly resolved: readonly string[];
  /** decidedAt is the flush time that produced this notification (ms). */
  readonly decidedAt: number;
}

/** OutboxEntry is a Pending in the outbox, in the order it was first queued (seq). */
export interface OutboxEntry extends NflogKey {
  readonly seq: number;
  readonly version: number;
  readonly pending: Pending;
}

/**
 * Outbox is the durable queue of notifications to deliver, at most one per group key, receiver
 * and integration: a newer decision for the same key supersedes the queued one in place (it keeps
 * its place in the queue; the newer state is what gets delivered). An entry leaves the outbox
 * only when it is delivered (in the same transaction as its notification log record), when a
 * later decision says nothing needs sending, or when delivery failed permanently.
 */
export class Outbox {
  private readonly upsertStmt;
  private readonly getStmt;
  private readonly deleteStmt;
  private readonly deleteVersionStmt;
  private readonly allStmt;

  constructor(private readonly db: AlertingDb) {
    db.exec(`CREATE TABLE IF NOT EXISTS outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      group_key TEXT NOT NULL, receiver TEXT NOT NULL, integration TEXT NOT NULL,
      version INTEGER NOT NULL, pending TEXT NOT NULL,
      UNIQUE (group_key, receiver, integration))`);
    this.upsertStmt = db.prepare(`INSERT INTO outbox (group_key, receiver, integration, version, pending) VALUES (?, ?, ?, 1, ?)
      ON CONFLICT (group_key, receiver, integration) DO UPDATE SET version = version + 1, pending = excluded.pending
      RETURNING seq, version`);
    this.getStmt = db.prepare('SELECT seq, version FROM outbox WHERE group_key = ? AND receiver = ? AND integration = ?');
    this.deleteStmt = db.prepare('DELETE FROM outbox WHERE group_key = ? AND receiver = ? AND integration = ?');
    this.deleteVersionStmt = db.prepare('DELETE FROM outbox WHERE group_key = ? AND receiver = ? AND integration = ? AND version = ?');
    this.allStmt = db.prepare('SELECT seq, group_key, receiver, integration, version, pending FROM outbox ORDER BY seq');
  }

  /** put queues `pending` for `key`, superseding what was queued for it. */
  put(key: NflogKey, pending: Pending): OutboxEntry {
    const row = this.upsertStmt.get(key.groupKey, key.receiver, key.integration, encodePending(pending)) as { seq: number; version: number };
    return { ...key, seq: row.seq, version: row.version, pending };
  }

  has(key: NflogKey): boolean {
    return this.getStmt.get(key.groupKey, key.receiver, key.integration) !== undefined;
  }

  /** drop removes the queued entry for `key`, whatever its version. */
  drop(key: NflogKey): boolean {
    return this.deleteStmt.run(key.groupKey, key.receiver, key.integration).changes > 0;
  }

  /**
   * complete runs `record` (the notification log write) and removes the entry if it is still at
   * `version`, in one transaction: a crash leaves both or neither.
   */
  complete(entry: OutboxEntry, record: () => void): void {
    this.db.transaction(() => {
      record();
      this.deleteVersionStmt.run(entry.groupKey, entry.receiver, entry.integration, entry.version);
    })();
  }

  /** all is every queued entry in queue order (for a restart). */
  all(): OutboxEntry[] {
    const rows = this.allStmt.all() as { seq: number; group_key: string; receiver: string; integration: string; version: number; pending: string }[];
    return rows.map((r) => ({ seq: r.seq, groupKey: r.group_key, receiver: r.receiver, integration: r.integration, version: r.version, pending: decodePending(r.pending) }));
  }
}

interface EncodedAlert {
  l: readonly string[];
  a: readonly string[];
  s: number;
  /** e: the end, or null for a firing alert (+Infinity has no JSON form). */
  e: number | null;
  g: string;
  u: number;
  t: boolean;
}

export function encodeAlert(a: Alert): EncodedAlert {
  return { l: a.labels.toFlat(), a: a.annotations.toFlat(), s: a.startsAt, e: Number.isFinite(a.endsAt) ? a.endsAt : null, g: a.generatorURL, u: a.updatedAt, t: a.timeout };
}

export function decodeAlert(e: EncodedAlert): Alert {
  return {
    labels: Labels.fromSorted(e.l),
    annotations: Labels.fromSorted(e.a),
    startsAt: e.s,
    endsAt: e.e ?? Number.POSITIVE_INFINITY,
    generatorURL: e.g,
    updatedAt: e.u,
    timeout: e.t,
  };
}

function encodePending(p: Pending): string {
  return JSON.stringify({ g: p.groupLabels.toFlat(), a: p.alerts.map(encodeAlert), f: p.firing, r: p.resolved, d: p.decidedAt });
}

function decodePending(text: string): Pending {
  const o = JSON.parse(text) as { g: string[]; a: EncodedAlert[]; f: string[]; r: string[]; d: number };
  return { groupLabels: Labels.fromSorted(o.g), alerts: o.a.map(decodeAlert), firing: o.f, resolved: o.r, decidedAt: o.d };
}
