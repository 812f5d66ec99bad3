import type BetterSqlite3 from 'better-sqlite3';
import type { MatchType } from '../../model/matcher.js';
import { RegexError } from '../../model/regex.js';
import { AlertmanagerMatcher } from '../config/matchers.js';
import { SilenceError } from './errors.js';
import type { Silence } from './silence.js';

/** Database is a better-sqlite3 connection, opened and closed by the caller. */
export type Database = BetterSqlite3.Database;

/** StoredSilence is a row's `json` column: the silence with matchers as plain objects. */
interface StoredSilence {
  id: string;
  matchers: { type: MatchType; name: string; value: string }[];
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
  updatedAt: number;
}

const MATCH_TYPES: readonly string[] = ['=', '!=', '=~', '!~'];

/**
 * SilenceStore keeps silences in the `silences` table of a SQLite database it does not own: one
 * row per silence, written synchronously, so a silence acknowledged to a client survives a crash.
 * The table is created if missing. `ends_at` is a column of its own for inspection with sqlite3.
 */
export class SilenceStore {
  private readonly upsert: BetterSqlite3.Statement<[string, string, number, number]>;
  private readonly remove: BetterSqlite3.Statement<[string]>;
  private readonly all: BetterSqlite3.Statement<[], { id: string; json: string }>;

  constructor(private readonly db: Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS silences (
      id TEXT PRIMARY KEY,
      json TEXT NOT NULL,
      ends_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    )`);
    this.upsert = db.prepare(
      'INSERT INTO silences (id, json, ends_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json, ends_at = excluded.ends_at, updated_at = excluded.updated_at',
    );
    this.remove = db.prepare('DELETE FROM silences WHERE id = ?');
    this.all = db.prepare('SELECT id, json FROM silences ORDER BY id');
  }

  /** load reads every stored silence; a row that cannot be read is a SilenceError('corrupt') naming it. */
  load(): Silence[] {
    return this.all.all().map((row) => decodeRow(row.id, row.json));
  }

  /** write stores `put` and deletes `del` in one transaction: all of it is on disk, or none. */
  write(put: readonly Silence[], del: readonly string[] = []): void {
    this.db.transaction(() => {
      for (const s of put) this.upsert.run(s.id, JSON.stringify(encode(s)), s.endsAt, s.updatedAt);
      for (const id of del) this.remove.run(id);
    })();
  }
}

function encode(s: Silence): StoredSilence {
  return {
    id: s.id,
    matchers: s.matchers.map((m) => ({ type: m.type, name: m.name, value: m.value })),
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    createdBy: s.createdBy,
    comment: s.comment,
    updatedAt: s.updatedAt,
  };
}

function decodeRow(id: string, json: string): Silence {
  const fail = (why: string) => new SilenceError('corrupt', `silences table: row ${JSON.stringify(id)}: ${why}`);
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch (err) {
    throw fail(`json column does not parse: ${(err as Error).message}`);
  }
  const o = v as Partial<StoredSilence> | null;
  if (o === null || typeof o !== 'object') throw fail('json column is not an object');
  if (o.id !== id) throw fail('json id differs from the row id');
  for (const k of ['startsAt', 'endsAt', 'updatedAt'] as const) {
    if (!Number.isFinite(o[k])) throw fail(`${k} is not a number`);
  }
  for (const k of ['createdBy', 'comment'] as const) {
    if (typeof o[k] !== 'string') throw fail(`${k} is not a string`);
  }
  if (!Array.isArray(o.matchers)) throw fail('matchers is not a list');
  const matchers = o.matchers.map((m, i) => {
    if (m === null || typeof m !== 'object' || !MATCH_TYPES.includes(m.type) || typeof m.name !== 'string' || typeof m.value !== 'string') {
      throw fail(`matcher ${i} is not {type, name, value}`);
    }
    try {
      return new AlertmanagerMatcher(m.type, m.name, m.value);
    } catch (err) {
      if (err instanceof RegexError) throw fail(`matcher ${i}: ${err.message}`);
      throw err;
    }
  });
  return {
    id,
    matchers,
    startsAt: o.startsAt!,
    endsAt: o.endsAt!,
    createdBy: o.createdBy!,
    comment: o.comment!,
    updatedAt: o.updatedAt!,
  };
}
