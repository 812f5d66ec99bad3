import type { GroupCommit } from './commit.js';
import type { AlertingDb } from './db.js';

/**
 * NflogEntry is what was last delivered for one group key, receiver and integration
 * (Alertmanager's nflog entry): the fingerprints that were firing and resolved in it, when (ms),
 * and the integration's state (for Slack, the channel and message ts to update).
 */
export interface NflogEntry {
  readonly firing: ReadonlySet<string>;
  readonly resolved: ReadonlySet<string>;
  readonly timestamp: number;
  readonly state: Readonly<Record<string, string>>;
}

/** NflogKey names the integration an entry is for. */
export interface NflogKey {
  readonly groupKey: string;
  readonly receiver: string;
  /** integration is `<name>/<index>`, e.g. `slack/0`. */
  readonly integration: string;
}

/**
 * NotificationLog is the record of delivered notifications: held in memory (as Alertmanager's),
 * loaded at start and written through to the alerting database with the group commit. Entries
 * older than the retention (default 120h, Alertmanager's --data.retention) are dropped by gc().
 */
export class NotificationLog {
  private readonly entries = new Map<string, { readonly key: NflogKey; readonly entry: NflogEntry }>();
  private readonly putStmt;
  private readonly deleteStmt;

  constructor(
    db: AlertingDb,
    private readonly commit: GroupCommit,
    private readonly retentionMs = 120 * 3600_000,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS nflog (
      group_key TEXT NOT NULL, receiver TEXT NOT NULL, integration TEXT NOT NULL,
      firing TEXT NOT NULL, resolved TEXT NOT NULL, ts INTEGER NOT NULL, state TEXT NOT NULL,
      PRIMARY KEY (group_key, receiver, integration))`);
    this.putStmt = db.prepare(`INSERT INTO nflog (group_key, receiver, integration, firing, resolved, ts, state) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (group_key, receiver, integration) DO UPDATE SET firing = excluded.firing, resolved = excluded.resolved, ts = excluded.ts, state = excluded.state`);
    this.deleteStmt = db.prepare('DELETE FROM nflog WHERE group_key = ? AND receiver = ? AND integration = ?');
    const rows = db.prepare('SELECT group_key, receiver, integration, firing, resolved, ts, state FROM nflog').all() as {
      group_key: string; receiver: string; integration: string; firing: string; resolved: string; ts: number; state: string;
    }[];
    for (const r of rows) {
      const key = { groupKey: r.group_key, receiver: r.receiver, integration: r.integration };
      const entry = {
        firing: new Set(JSON.parse(r.firing) as string[]),
        resolved: new Set(JSON.parse(r.resolved) as string[]),
        timestamp: r.ts,
        state: JSON.parse(r.state) as Record<string, string>,
      };
      this.entries.set(id(key), { key, entry });
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: NflogKey): NflogEntry | undefined {
    return this.entries.get(id(key))?.entry;
  }

  /** log records a delivery (callers queue it with the outbox entry's removal, in one commit). */
  log(key: NflogKey, entry: NflogEntry): void {
    this.entries.set(id(key), { key, entry });
    this.commit.add(() =>
      this.putStmt.run(key.groupKey, key.receiver, key.integration, JSON.stringify([...entry.firing]), JSON.stringify([...entry.resolved]), entry.timestamp, JSON.stringify(entry.state)),
    );
  }

  /** gc drops entries last written before now - retention and returns how many. */
  gc(now: number): number {
    const cutoff = now - this.retentionMs;
    let dropped = 0;
    for (const [k, { key, entry }] of this.entries) {
      if (entry.timestamp >= cutoff) continue;
      this.entries.delete(k);
      this.commit.add(() => this.deleteStmt.run(key.groupKey, key.receiver, key.integration));
      dropped++;
    }
    return dropped;
  }
}

function id(k: NflogKey): string {
  return `${k.groupKey}\u0000${k.receiver}\u0000${k.integration}`;
}
