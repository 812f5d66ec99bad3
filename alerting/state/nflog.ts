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
 * NotificationLog is the durable record of delivered notifications. Entries older than the
 * retention (default 120h, as Alertmanager's --data.retention) are dropped by gc().
 */
export class NotificationLog {
  private readonly getStmt;
  private readonly putStmt;
  private readonly gcStmt;
  private readonly cache = new Map<string, NflogEntry | null>();

  constructor(
    private readonly db: AlertingDb,
    private readonly retentionMs = 120 * 3600_000,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS nflog (
      group_key TEXT NOT NULL, receiver TEXT NOT NULL, integration TEXT NOT NULL,
      firing TEXT NOT NULL, resolved TEXT NOT NULL, ts INTEGER NOT NULL, state TEXT NOT NULL,
      PRIMARY KEY (group_key, receiver, integration))`);
    this.getStmt = db.prepare('SELECT firing, resolved, ts, state FROM nflog WHERE group_key = ? AND receiver = ? AND integration = ?');
    this.putStmt = db.prepare(`INSERT INTO nflog (group_key, receiver, integration, firing, resolved, ts, state) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (group_key, receiver, integration) DO UPDATE SET firing = excluded.firing, resolved = excluded.resolved, ts = excluded.ts, state = excluded.state`);
    this.gcStmt = db.prepare('DELETE FROM nflog WHERE ts < ?');
  }

  get(key: NflogKey): NflogEntry | undefined {
    const id = cacheKey(key);
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached ?? undefined;
    const row = this.getStmt.get(key.groupKey, key.receiver, key.integration) as
      | { firing: string; resolved: string; ts: number; state: string }
      | undefined;
    const entry =
      row === undefined
        ? undefined
        : {
            firing: new Set(JSON.parse(row.firing) as string[]),
            resolved: new Set(JSON.parse(row.resolved) as string[]),
            timestamp: row.ts,
            state: JSON.parse(row.state) as Record<string, string>,
          };
    this.cache.set(id, entry ?? null);
    return entry;
  }

  /** log records a delivery; callers run it in the same transaction that retires the outbox entry. */
  log(key: NflogKey, entry: NflogEntry): void {
    this.putStmt.run(key.groupKey, key.receiver, key.integration, JSON.stringify([...entry.firing]), JSON.stringify([...entry.resolved]), entry.timestamp, JSON.stringify(entry.state));
    this.cache.set(cacheKey(key), entry);
  }

  gc(now: number): number {
    this.cache.clear();
    return this.gcStmt.run(now - this.retentionMs).changes;
  }
}

function cacheKey(k: NflogKey): string {
  return `${k.receiver}\u0000${k.integration}\u0000${k.groupKey}`;
}
