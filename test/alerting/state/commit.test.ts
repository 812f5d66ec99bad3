import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../alerting/state/commit.js';
import { openAlertingDb, type AlertingDb } from '../../../alerting/state/db.js';
import { VirtualClock } from '../../../util/clock.js';

let db: AlertingDb | undefined;
afterEach(() => db?.close());

const turn = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('commits the writes of several turns of the event loop in one transaction, in order', async () => {
    db = openAlertingDb(':memory:');
    db.exec('CREATE TABLE t (v INTEGER)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    const runs: { v: number; inTransaction: boolean; before: number }[] = [];
    const commit = new GroupCommit(db, undefined, 1_000, new VirtualClock(0));
    const write = (v: number) => () => {
      insert.run(v);
      runs.push({ v, inTransaction: db!.inTransaction, before: runs.length });
    };
    commit.add(write(1));
    await turn();
    commit.add(write(2));
    await turn();
    expect(runs).toEqual([]); // still within the window
    commit.flush();
    expect(runs).toEqual([
      { v: 1, inTransaction: true, before: 0 },
      { v: 2, inTransaction: true, before: 1 },
    ]);
    expect(db.prepare('SELECT v FROM t ORDER BY rowid').pluck().all()).toEqual([1, 2]);
  });

  it('commits on its own after the delay, and reports a failed transaction without losing later writes', async () => {
    db = openAlertingDb(':memory:');
    db.exec('CREATE TABLE t (v INTEGER NOT NULL)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    const errors: string[] = [];
    const clock = new VirtualClock(0);
    const commit = new GroupCommit(db, (err) => errors.push(String(err)), 5, clock);
    commit.add(() => insert.run(null));
    await clock.advance(4);
    expect(errors).toEqual([]);
    await clock.advance(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('NOT NULL');
    commit.add(() => insert.run(7));
    await clock.advance(5);
    expect(db.prepare('SELECT v FROM t').pluck().all()).toEqual([7]);
  });
});
