import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type AlertingDb = Database.Database;

/**
 * openAlertingDb opens (creating when missing) `<dataDir>/alerting.db`, or an in-memory database
 * for ':memory:'. WAL mode with synchronous=NORMAL: a committed record survives a process crash
 * (SIGKILL), which is the failure the notification log must ride out; a power loss may lose the
 * last transactions, which at worst repeats a notification.
 */
export function openAlertingDb(dataDir: string): AlertingDb {
  let db: AlertingDb;
  if (dataDir === ':memory:') {
    db = new Database(':memory:');
  } else {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(join(dataDir, 'alerting.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  return db;
}
