import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMatcher } from '../../../alerting/config/matchers.js';
import { SilenceError } from '../../../alerting/silence/errors.js';
import type { PostableSilence, Silence } from '../../../alerting/silence/silence.js';
import { DEFAULT_RETENTION, Silences } from '../../../alerting/silence/silences.js';
import { Labels } from '../../../model/labels.js';
import { VirtualClock } from '../../../util/clock.js';

const T0 = Date.UTC(2024, 4, 1, 12);
const MIN = 60_000;
const HOUR = 60 * MIN;

const dir = mkdtempSync(join(tmpdir(), 'vigil-silences-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fresh(start = T0): { clock: VirtualClock; silences: Silences; db: Database.Database } {
  const clock = new VirtualClock(start);
  const db = new Database(':memory:');
  return { clock, silences: new Silences({ db, clock }), db };
}

function postable(matchers: string[], startsAt: number, endsAt: number, extra: Partial<PostableSilence> = {}): PostableSilence {
  return { matchers: matchers.map(parseMatcher), startsAt, endsAt, createdBy: 'alice', comment: 'maintenance', ...extra };
}

const L = (r: Record<string, string>) => Labels.from(r);

function errorOf(fn: () => unknown): SilenceError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SilenceError) return err;
    throw err;
  }
  throw new Error('expected a SilenceError');
}

describe('Silences state machine (S2)', () => {
  it('is pending before startsAt, active from startsAt to endsAt inclusive, expired after', async () => {
    const { clock, silences } = fresh();
    const id = silences.set(postable(['job="api"'], T0 + HOUR, T0 + 2 * HOUR));
    const state = () => (['pending', 'active', 'expired'] as const).filter((st) => silences.query({ ids: [id], state: st }).length === 1);
    expect(state()).toEqual(['pending']);
    await clock.advanceTo(T0 + HOUR);
    expect(state()).toEqual(['active']);
    await clock.advanceTo(T0 + 2 * HOUR);
    expect(state()).toEqual(['active']);
    await clock.advance(1);
    expect(state()).toEqual(['expired']);
  });

  it('raises a new silence startsAt in the past to now and stamps updatedAt', () => {
    const { silences } = fresh();
    const id = silences.set(postable(['job="api"'], T0 - HOUR, T0 + HOUR));
    const s = silences.get(id)!;
    expect(s.startsAt).toBe(T0);
    expect(s.updatedAt).toBe(T0);
    expect(s.createdBy).toBe('alice');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('expires an active silence at now and a pending one by setting both ends to now', async () => {
    const { clock, silences } = fresh();
    const active = silences.set(postable(['job="api"'], T0, T0 + HOUR));
    const pending = silences.set(postable(['job="db"'], T0 + HOUR, T0 + 2 * HOUR));
    await clock.advance(10 * MIN);
    silences.expire(active);
    silences.expire(pending);
    const now = T0 + 10 * MIN;
    expect(silences.get(active)).toMatchObject({ startsAt: T0, endsAt: now, updatedAt: now });
    expect(silences.get(pending)).toMatchObject({ startsAt: now, endsAt: now, updatedAt: now });
    // Alertmanager's bounds are inclusive: an expired silence stops muting one ms later.
    expect(silences.mutes(L({ job: 'api' }), now + 1)).toBe(false);
    expect(silences.query({ state: 'expired' }, now + 1).map((s) => s.id).sort()).toEqual([active, pending].sort());
  });

  it('expiring an expired silence changes nothing; an unknown id is not_found', async () => {
    const { clock, silences } = fresh();
    const id = silences.set(postable(['job="api"'], T0, T0 + HOUR));
    await clock.advance(2 * HOUR);
    const before = silences.get(id);
    silences.expire(id);
    expect(silences.get(id)).toBe(before);
    expect(errorOf(() => silences.expire('00000000-0000-4000-8000-000000000000')).code).toBe('not_found');
  });
});

describe('Silences.set update rules (S2)', () => {
  it('updates an active silence in place when matchers and the startsAt second are unchanged', async () => {
    const { clock, silences } = fresh();
    const id = silences.set(postable(['job="api"'], T0, T0 + HOUR));
    await clock.advance(5 * MIN);
    // A client that echoes startsAt without its milliseconds still updates (Alertmanager compares seconds).
    const again = silences.set(postable(['job="api"'], T0 + 400, T0 + 3 * HOUR, { id, comment: 'longer', createdBy: 'bob' }));
    expect(again).toBe(id);
    expect(silences.size).toBe(1);
    expect(silences.get(id)).toMatchObject({ endsAt: T0 + 3 * HOUR, comment: 'longer', createdBy: 'bob', updatedAt: T0 + 5 * MIN });
  });

  it('replaces an active silence whose matchers change: new id, the old one expired now', async () => {
    const { clock, silences } = fresh();
    const id = silences.set(postable(['job="api"'], T0, T0 + HOUR));
    await clock.advance(5 * MIN);
    const now = T0 + 5 * MIN;
    const next = silences.set(postable(['job="api"', 'env="prod"'], T0, T0 + HOUR, { id }));
    expect(next).not.toBe(id);
    expect(silences.get(id)).toMatchObject({ endsAt: now, updatedAt: now });
    expect(silences.get(next)).toMatchObject({ startsAt: now, endsAt: T0 + HOUR });
    expect(silences.query({ state: 'active' }, now + 1).map((s) => s.id)).toEqual([next]);
  });

  it('replaces an active silence whose startsAt changes, or whose matchers are reordered', async () => {
    const { clock, silences } = fresh();
    const id = silences.set(postable(['a="1"', 'b="2"'], T0, T0 + HOUR));
    await clock.advance(MIN);
    const moved = silences.set(postable(['a="1"', 'b="2"'], T0 + 2000, T0 + HOUR, { id }));
    expect(moved).not.toBe(id);
    await clock.advance(MIN);
    const reordered = silences.set(postable(['b="2"', 'a="1"'], T0 + MIN, T0 + HOUR, { id: moved }));
    expect(reordered).not.toBe(moved);
  });

  it('updates a pending silence in place only while the new startsAt is not in the past', async () => {
    const { clock, silences } = fresh();
    const id = silences.set(postable(['job="api"'], T0 + HOUR, T0 + 2 * HOUR));
    await clock.advance(10 * MIN);
    expect(silences.set(postable(['job="api"'], T0 + 30 * MIN, T0 + 2 * HOUR, { id }))).toBe(id);
    expect(silences.get(id)!.startsAt).toBe(T0 + 30 * MIN);
    const replaced = silences.set(postable(['job="api"'], T0, T0 + 2 * HOUR, { id }));
    expect(replaced).not.toBe(id);
    // The pending original is expired by setting both ends to now.
    expect(silences.get(id)).toMatchObject({ startsAt: T0 + 10 * MIN, endsAt: T0 + 10 * MIN });
    expect(silences.get(replaced)!.startsAt).toBe(T0 + 10 * MIN);
  });

  it('never edits an expired silence: posting its id creates a new one and leaves it as it was (as Alertmanager 0.25)', async () => {
    const { clock, silences } = fresh();
    const id = silences.set(postable(['job="api"'], T0, T0 + HOUR));
    await clock.advance(2 * HOUR);
    const before = silences.get(id);
    const next = silences.set(postable(['job="api"'], T0 + 2 * HOUR, T0 + 3 * HOUR, { id }));
    expect(next).not.toBe(id);
    expect(silences.get(id)).toBe(before);
  });

  it('refuses bad times and an unknown id with Alertmanager-like messages', () => {
    const { silences } = fresh();
    expect(errorOf(() => silences.set(postable(['a="1"'], T0 + HOUR, T0 + HOUR))).message).toMatch(/start time must be before end time/);
    expect(errorOf(() => silences.set(postable(['a="1"'], T0 - 2 * HOUR, T0 - HOUR))).message).toMatch(/end time can't be in the past/);
    const unknown = errorOf(() => silences.set(postable(['a="1"'], T0, T0 + HOUR, { id: 'nope' })));
    expect(unknown.code).toBe('not_found');
    expect(silences.size).toBe(0);
  });
});

describe('Silences validation', () => {
  const invalid = (matchers: string[]) => {
    const { silences } = fresh();
    const err = errorOf(() => silences.set(postable(matchers, T0, T0 + HOUR)));
    expect(err.code).toBe('invalid');
    return err.message;
  };

  it('requires a matcher, and one that does not match the empty string', () => {
    expect(invalid([])).toBe('silence invalid: at least one matcher required');
    expect(invalid(['a=""'])).toBe('silence invalid: at least one matcher must not match the empty string');
    expect(invalid(['a=~".*"', 'b=~"x|"'])).toBe('silence invalid: at least one matcher must not match the empty string');
  });

  it('counts only = and =~ as matching the empty string, as Alertmanager does', () => {
    // Alertmanager 0.25 accepts these (checked against it): negative matchers never count.
    const { silences } = fresh();
    expect(() => silences.set(postable(['a!="x"'], T0, T0 + HOUR))).not.toThrow();
    expect(() => silences.set(postable(['a=""', 'b!~"x*"'], T0, T0 + HOUR))).not.toThrow();
  });

  it('refuses label names that are not classic ones', () => {
    expect(invalid(['a:b="x"'])).toBe('silence invalid: invalid label matcher 0: invalid label name "a:b"');
  });
});

describe('Silences.mutes and silencedBy', () => {
  it('mutes when every matcher matches, with anchored regexes and absent labels as ""', async () => {
    const { clock, silences } = fresh();
    silences.set(postable(['alertname="DiskFull"', 'instance=~"db[0-9]+"', 'env!="dev"'], T0, T0 + HOUR));
    const now = clock.now();
    expect(silences.mutes(L({ alertname: 'DiskFull', instance: 'db12' }), now)).toBe(true); // env absent: != "dev" holds
    expect(silences.mutes(L({ alertname: 'DiskFull', instance: 'db12', env: 'prod' }), now)).toBe(true);
    expect(silences.mutes(L({ alertname: 'DiskFull', instance: 'db12', env: 'dev' }), now)).toBe(false);
    expect(silences.mutes(L({ alertname: 'DiskFull', instance: 'xdb12' }), now)).toBe(false); // anchored
    expect(silences.mutes(L({ alertname: 'DiskFull' }), now)).toBe(false); // absent instance is "", not db[0-9]+
  });

  it('an =~ matcher that allows "" matches an alert without the label', () => {
    const { silences } = fresh();
    silences.set(postable(['alertname="X"', 'team=~"ml|"'], T0, T0 + HOUR));
    expect(silences.mutes(L({ alertname: 'X' }), T0)).toBe(true);
    expect(silences.mutes(L({ alertname: 'X', team: 'web' }), T0)).toBe(false);
  });

  it('mutes only while active, at the `now` it is given', () => {
    const { silences } = fresh();
    silences.set(postable(['job="api"'], T0 + HOUR, T0 + 2 * HOUR));
    const api = L({ job: 'api' });
    expect(silences.mutes(api, T0)).toBe(false);
    expect(silences.mutes(api, T0 + HOUR)).toBe(true);
    expect(silences.mutes(api, T0 + 2 * HOUR)).toBe(true);
    expect(silences.mutes(api, T0 + 2 * HOUR + 1)).toBe(false);
  });

  it('silencedBy lists the active matching silences, sorted', () => {
    const { silences } = fresh();
    const a = silences.set(postable(['job="api"'], T0, T0 + HOUR));
    const b = silences.set(postable(['job=~"a.*"'], T0, T0 + 2 * HOUR));
    silences.set(postable(['job="db"'], T0, T0 + HOUR));
    silences.set(postable(['job="api"'], T0 + HOUR, T0 + 3 * HOUR)); // pending at T0
    expect(silences.silencedBy(L({ job: 'api' }), T0)).toEqual([a, b].sort());
    expect(silences.silencedBy(L({ job: 'web' }), T0)).toEqual([]);
  });

  it('stays cheap with many expired silences kept for retention and thousands of alerts', async () => {
    const { clock, silences } = fresh();
    for (let i = 0; i < 200; i++) silences.set(postable([`job="old${i}"`], T0, T0 + MIN));
    for (let i = 0; i < 30; i++) silences.set(postable([`job="live${i}"`, 'env="prod"'], T0, T0 + 10 * HOUR));
    await clock.advance(HOUR);
    const alerts = Array.from({ length: 5000 }, (_, i) => L({ job: `live${i % 60}`, env: 'prod', instance: `i${i}` }));
    const now = clock.now();
    const started = performance.now();
    let muted = 0;
    for (let round = 0; round < 10; round++) for (const a of alerts) if (silences.mutes(a, now)) muted++;
    const elapsed = performance.now() - started;
    expect(muted).toBe(10 * alerts.filter((_, i) => i % 60 < 30).length);
    // 50k checks against 30 live silences: well under a second even on a loaded 2-core machine.
    expect(elapsed).toBeLessThan(1500);
  });
});

describe('Silences.query', () => {
  it('filters by state and by exact matchers (Alertmanager API filter semantics)', () => {
    const { silences } = fresh();
    const a = silences.set(postable(['job="api"', 'env="prod"'], T0, T0 + HOUR));
    const b = silences.set(postable(['job=~"api"'], T0 + HOUR, T0 + 2 * HOUR));
    expect(silences.query({ matchers: [parseMatcher('job="api"')] }).map((s) => s.id)).toEqual([a]);
    expect(silences.query({ matchers: [parseMatcher('job=~"api"')] }).map((s) => s.id)).toEqual([b]);
    expect(silences.query({ matchers: [parseMatcher('job="api"'), parseMatcher('env="dev"')] })).toEqual([]);
    expect(silences.query({ state: 'pending' }).map((s) => s.id)).toEqual([b]);
    expect(silences.query({ state: ['active', 'pending'] })).toHaveLength(2);
  });
});

describe('Silences persistence and GC', () => {
  it('survives a re-open of the same database file, every change included', async () => {
    const file = join(dir, 'alerting.db');
    const clock = new VirtualClock(T0);
    let db = new Database(file);
    let silences = new Silences({ db, clock });
    const kept = silences.set(postable(['alertname="DiskFull"', 'instance=~"db[0-9]+"'], T0, T0 + HOUR, { comment: 'disk swap' }));
    const gone = silences.set(postable(['job="batch"'], T0 + HOUR, T0 + 2 * HOUR));
    await clock.advance(MIN);
    silences.expire(gone);
    const updated = silences.set(postable(['alertname="DiskFull"', 'instance=~"db[0-9]+"'], T0, T0 + 4 * HOUR, { id: kept, comment: 'disk swap, extended' }));
    expect(updated).toBe(kept);
    const plain = (list: Silence[]) =>
      list.map((s) => ({ ...s, matchers: s.matchers.map((m) => [m.type, m.name, m.value]) })).sort((x, y) => x.id.localeCompare(y.id));
    const before = plain(silences.query());
    expect(before).toHaveLength(2);
    db.close();

    db = new Database(file);
    silences = new Silences({ db, clock });
    expect(plain(silences.query())).toEqual(before);
    expect(silences.get(kept)).toMatchObject({ endsAt: T0 + 4 * HOUR, comment: 'disk swap, extended', updatedAt: T0 + MIN });
    expect(silences.mutes(L({ alertname: 'DiskFull', instance: 'db3' }), clock.now())).toBe(true);
    expect(silences.get(gone)).toMatchObject({ startsAt: T0 + MIN, endsAt: T0 + MIN });
    db.close();
  });

  it('drops expired silences after the retention, on gc() and when loading', async () => {
    const file = join(dir, 'gc.db');
    const clock = new VirtualClock(T0);
    let db = new Database(file);
    let silences = new Silences({ db, clock, retention: 10 * HOUR });
    const short = silences.set(postable(['a="1"'], T0, T0 + HOUR));
    const long = silences.set(postable(['a="2"'], T0, T0 + 5 * HOUR));
    await clock.advanceTo(T0 + 11 * HOUR - 1);
    expect(silences.gc()).toBe(0);
    await clock.advance(1);
    expect(silences.gc()).toBe(1);
    expect(silences.get(short)).toBeUndefined();
    db.close();
    await clock.advanceTo(T0 + 15 * HOUR);
    db = new Database(file);
    silences = new Silences({ db, clock, retention: 10 * HOUR });
    expect(silences.size).toBe(0);
    expect(silences.get(long)).toBeUndefined();
    expect((db.prepare('SELECT count(*) AS n FROM silences').get() as { n: number }).n).toBe(0);
    db.close();
    expect(DEFAULT_RETENTION).toBe(120 * HOUR);
  });

  it('leaves memory unchanged when the write fails', () => {
    const { silences, db } = fresh();
    const id = silences.set(postable(['a="1"'], T0, T0 + HOUR));
    db.exec('DROP TABLE silences');
    expect(() => silences.set(postable(['a="2"'], T0, T0 + HOUR))).toThrow(/no such table/);
    expect(silences.size).toBe(1);
    expect(() => silences.expire(id)).toThrow(/no such table/);
    expect(silences.get(id)!.endsAt).toBe(T0 + HOUR);
  });
});
