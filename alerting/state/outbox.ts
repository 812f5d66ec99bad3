import { Labels } from '../../model/labels.js';
import type { Alert } from '../types.js';
import type { GroupCommit } from './commit.js';
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
 * only when it is delivered (in the same commit as its notification log record), when a later
 * decision says nothing needs sending, or when delivery failed permanently. It answers from
 * memory. An entry is written to disk once it has waited `writeDelayMs` (1 s) undelivered, or at
 * once when a send fails or vigil stops: most notifications are delivered sooner, and one lost in
 * a crash before it was written is decided again after the restart from the stored alerts and
 * the notification log, so the disk holds what only the outbox knows, the long-pending ones.
 */
export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();
  /** written: the version on disk for each key that has a row. */
  private readonly written = new Map<string, number>();
  private writeTimer: NodeJS.Timeout | undefined;
  private nextSeq: number;
  private readonly upsertStmt;
  private readonly deleteVersionStmt;

  constructor(
    db: AlertingDb,
    private readonly commit: GroupCommit,
    private readonly writeDelayMs = 1000,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS outbox (
      seq INTEGER PRIMARY KEY,
      group_key TEXT NOT NULL, receiver TEXT NOT NULL, integration TEXT NOT NULL,
      version INTEGER NOT NULL, pending TEXT NOT NULL,
      UNIQUE (group_key, receiver, integration))`);
    this.upsertStmt = db.prepare(`INSERT INTO outbox (seq, group_key, receiver, integration, version, pending) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (group_key, receiver, integration) DO UPDATE SET version = excluded.version, pending = excluded.pending`);
    this.deleteVersionStmt = db.prepare('DELETE FROM outbox WHERE group_key = ? AND receiver = ? AND integration = ? AND version <= ?');
    const rows = db.prepare('SELECT seq, group_key, receiver, integration, version, pending FROM outbox ORDER BY seq').all() as {
      seq: number; group_key: string; receiver: string; integration: string; version: number; pending: string;
    }[];
    let maxSeq = 0;
    for (const r of rows) {
      const entry = { seq: r.seq, groupKey: r.group_key, receiver: r.receiver, integration: r.integration, version: r.version, pending: decodePending(r.pending) };
      this.entries.set(id(entry), entry);
      this.written.set(id(entry), entry.version);
      maxSeq = Math.max(maxSeq, r.seq);
    }
    this.nextSeq = maxSeq + 1;
  }

  /** put queues `pending` for `key`, superseding what was queued for it. */
  put(key: NflogKey, pending: Pending): OutboxEntry {
    const k = id(key);
    const prev = this.entries.get(k);
    const entry: OutboxEntry = {
      groupKey: key.groupKey, receiver: key.receiver, integration: key.integration,
      seq: prev?.seq ?? this.nextSeq++, version: (prev?.version ?? 0) + 1, pending,
    };
    this.entries.set(k, entry);
    if (this.writeTimer === undefined) {
      this.writeTimer = setTimeout(() => this.persist(), this.writeDelayMs);
      this.writeTimer.unref();
    }
    return entry;
  }

  /** persist writes every entry not yet on disk (after the delay, when a send fails, at shutdown). */
  persist(): void {
    if (this.writeTimer !== undefined) clearTimeout(this.writeTimer);
    this.writeTimer = undefined;
    for (const [k, entry] of this.entries) {
      if (this.written.get(k) === entry.version) continue;
      this.written.set(k, entry.version);
      this.commit.add(() => this.upsertStmt.run(entry.seq, entry.groupKey, entry.receiver, entry.integration, entry.version, encodePending(entry.pending)));
    }
  }

  has(key: NflogKey): boolean {
    return this.entries.has(id(key));
  }

  /** drop removes the queued entry for `key`, whatever its version. */
  drop(key: NflogKey): boolean {
    const prev = this.entries.get(id(key));
    if (prev === undefined) return false;
    this.remove(prev);
    return true;
  }

  /**
   * complete runs `record` (the notification log write) and removes the entry if it is still at
   * its version, in one commit: a crash leaves both or neither.
   */
  complete(entry: OutboxEntry, record: () => void): void {
    record();
    if (this.entries.get(id(entry)) === entry) this.remove(entry);
  }

  /** all is every queued entry in queue order (for a restart). */
  all(): OutboxEntry[] {
    return [...this.entries.values()].sort((a, b) => a.seq - b.seq);
  }

  private remove(entry: OutboxEntry): void {
    const k = id(entry);
    this.entries.delete(k);
    if (!this.written.has(k)) return;
    this.written.delete(k);
    this.commit.add(() => this.deleteVersionStmt.run(entry.groupKey, entry.receiver, entry.integration, entry.version));
  }
}

function id(k: NflogKey): string {
  return `${k.groupKey}\u0000${k.receiver}\u0000${k.integration}`;
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
