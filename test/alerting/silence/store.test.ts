import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseMatcher } from '../../../alerting/config/matchers.js';
import { SilenceError } from '../../../alerting/silence/errors.js';
import type { Silence } from '../../../alerting/silence/silence.js';
import { SilenceStore } from '../../../alerting/silence/store.js';

const T0 = Date.UTC(2024, 4, 1, 12);

function silence(id: string, endsAt = T0 + 3600_000): Silence {
  return {
    id,
    matchers: [parseMatcher('alertname="Disk\\"Full"'), parseMatcher('instance=~"db[0-9]+\\n?"'), parseMatcher('env!~"dev"')],
    startsAt: T0,
    endsAt,
    createdBy: 'alice',
    comment: 'line one\nline two',
    updatedAt: T0,
  };
}

const plain = (s: Silence) => ({ ...s, matchers: s.matchers.map((m) => [m.type, m.name, m.value]) });

function corruptError(db: Database.Database): SilenceError {
  try {
    new SilenceStore(db).load();
  } catch (err) {
    if (err instanceof SilenceError) return err;
    throw err;
  }
  throw new Error('expected a SilenceError');
}

describe('SilenceStore', () => {
  it('creates its table once and reads back what it wrote, matchers working', () => {
    const db = new Database(':memory:');
    new SilenceStore(db).write([silence('a'), silence('b')]);
    const store = new SilenceStore(db); // a second open keeps the table
    const [a] = store.load();
    expect(plain(a!)).toEqual(plain(silence('a')));
    expect(a!.matchers[1]!.matches('db12')).toBe(true);
    expect(a!.matchers[1]!.matches('xdb12')).toBe(false);
    expect(store.load().map((s) => s.id)).toEqual(['a', 'b']);
  });

  it('writes puts and deletes in one transaction', () => {
    const db = new Database(':memory:');
    const store = new SilenceStore(db);
    store.write([silence('a'), silence('b')]);
    store.write([{ ...silence('b'), endsAt: T0 + 1 }], ['a']);
    expect(store.load().map((s) => [s.id, s.endsAt])).toEqual([['b', T0 + 1]]);
    expect(db.prepare('SELECT ends_at FROM silences WHERE id = ?').pluck().get('b')).toBe(T0 + 1);
    // A failing statement inside the transaction rolls the whole write back.
    db.exec(`CREATE TRIGGER no_c BEFORE INSERT ON silences WHEN NEW.id = 'c' BEGIN SELECT RAISE(ABORT, 'no c'); END`);
    expect(() => store.write([silence('d'), silence('c')], ['b'])).toThrow(/no c/);
    expect(store.load().map((s) => s.id)).toEqual(['b']);
  });

  it('refuses a row it cannot read, naming the row and the reason', () => {
    const db = new Database(':memory:');
    new SilenceStore(db).write([silence('a')]);
    db.prepare(`UPDATE silences SET json = '{"id": 1}'`).run();
    expect(corruptError(db).message).toBe('silences table: row "a": json id differs from the row id');
    db.prepare(`UPDATE silences SET json = 'nope'`).run();
    expect(corruptError(db).message).toMatch(/^silences table: row "a": json column does not parse/);
    const bad = JSON.stringify({ ...plain(silence('a')), matchers: [{ type: '=~', name: 'a', value: '(' }] });
    db.prepare('UPDATE silences SET json = ?').run(bad);
    expect(corruptError(db).message).toMatch(/^silences table: row "a": matcher 0: invalid regular expression/);
  });
});
