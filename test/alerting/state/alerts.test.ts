import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodePostableAlerts } from '../../../alerting/api/postable.js';
import { AlertStore } from '../../../alerting/provider/alerts.js';
import { sqliteAlerts, WRITE_BEHIND_MS } from '../../../alerting/state/alerts.js';
import { openAlertingDb, type AlertingDb } from '../../../alerting/state/db.js';
import { decodeJournal } from '../../../alerting/state/journal.js';
import type { Alert } from '../../../alerting/types.js';
import { Labels } from '../../../model/labels.js';
import { VirtualClock } from '../../../util/clock.js';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);
const RESOLVE_TIMEOUT = 5 * 60_000;
const dirs: string[] = [];
const dbs: AlertingDb[] = [];

afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Opened {
  store: AlertStore;
  db: AlertingDb;
}

function open(dir: string, snapshotAfter?: { perAlert: number; floor: number }): Opened {
  const db = openAlertingDb(dir);
  dbs.push(db);
  return { store: new AlertStore(sqliteAlerts(db), snapshotAfter), db };
}

/** restart closes `prev`'s database, opens the directory again and restores: the store must come back the same. */
function restart(prev: Opened, dir: string, snapshotAfter?: { perAlert: number; floor: number }): Opened {
  const before = contents(prev.store);
  prev.db.close();
  const next = open(dir, snapshotAfter);
  next.store.restore();
  expect(contents(next.store)).toEqual(before);
  return next;
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'vigil-alerts-state-'));
  dirs.push(d);
  return d;
}

/** journalFiles lists the journal files in `dir` with the kinds of their records, in order. */
function journalFiles(dir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of readdirSync(dir).filter((n) => n.startsWith('alert-journal.'))) {
    out[name] = decodeJournal(readFileSync(join(dir, name), 'utf8')).records.map((r) => r.kind);
  }
  return out;
}

/** post receives an Alertmanager v2 body as the API does: decoded at `now`, the body journaled as it is. */
function post(store: AlertStore, body: unknown[], now: number): void {
  const text = JSON.stringify(body);
  const { alerts } = decodePostableAlerts(JSON.parse(text), now, RESOLVE_TIMEOUT);
  store.put(alerts, now, { text, resolveTimeoutMs: RESOLVE_TIMEOUT });
}

function ruleAlert(labels: Record<string, string>, startsAt: number, endsAt: number, now: number): Alert {
  return { labels: Labels.from(labels), annotations: Labels.from({ summary: 's' }), startsAt, endsAt, generatorURL: 'http://p/g', updatedAt: now, timeout: false };
}

/** contents is the store as comparable records, by fingerprint. */
function contents(store: AlertStore): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [fp, a] of store.entries()) {
    out[fp] = { labels: a.labels.toRecord(), annotations: a.annotations.toRecord(), startsAt: a.startsAt, endsAt: a.endsAt, generatorURL: a.generatorURL, updatedAt: a.updatedAt, timeout: a.timeout };
  }
  return out;
}

describe('sqliteAlerts: snapshot and journal', () => {
  it('a restart replays the journaled batches (API bodies and in-process alerts) to the same store', () => {
    const dir = tempDir();
    const first = open(dir);
    const iso = (t: number) => new Date(t).toISOString();
    // A firing alert without endsAt (times out on resolve_timeout), sent again later: the versions merge.
    post(first.store, [{ labels: { alertname: 'A', gpu: '1' }, annotations: { summary: 'a <b>' }, startsAt: iso(T0 - 60_000) }], T0);
    post(first.store, [{ labels: { alertname: 'A', gpu: '1' }, startsAt: iso(T0) }, { labels: { alertname: 'B' }, endsAt: iso(T0 + 10_000) }], T0 + 30_000);
    // An invalid alert in a batch is refused again on replay; the valid one is kept.
    post(first.store, [{ labels: {} }, { labels: { alertname: 'C' }, startsAt: iso(T0) }], T0 + 40_000);
    // Rules' alerts, with explicit ends; the second resolves the first.
    first.store.put([ruleAlert({ alertname: 'R' }, T0, T0 + 240_000, T0 + 50_000)], T0 + 50_000);
    first.store.put([ruleAlert({ alertname: 'R' }, T0, T0 + 55_000, T0 + 60_000)], T0 + 60_000);
    expect(first.store.size).toBe(4);
    first.store.flush();
    expect(journalFiles(dir)).toEqual({ 'alert-journal.0': ['v2', 'v2', 'v2', 'alerts', 'alerts'] });
    expect(restart(first, dir).store.size).toBe(4);
  });

  it('alerts dropped by gc are written out with a snapshot, and do not come back after a restart', () => {
    const dir = tempDir();
    const first = open(dir);
    first.store.put([ruleAlert({ alertname: 'Gone' }, T0, T0 + 1_000, T0), ruleAlert({ alertname: 'Kept' }, T0, T0 + 3600_000, T0)], T0);
    expect(first.store.gc(T0 + 2_000)).toHaveLength(1);
    first.store.flush();
    expect(journalFiles(dir)).toEqual({ 'alert-journal.1': [] });
    expect(first.db.prepare('SELECT count(*) AS n FROM alerts').get()).toEqual({ n: 1 });
    const second = restart(first, dir);
    expect([...second.store.values()].map((a) => a.labels.get('alertname'))).toEqual(['Kept']);
  });

  it('a journal grown past its bound is replaced by a snapshot, and later batches journal after it', () => {
    const dir = tempDir();
    const first = open(dir, { perAlert: 2, floor: 3 });
    // One alert sent again and again: 3 + 2×1 = 5 versions are allowed before a snapshot.
    for (let i = 0; i < 6; i++) first.store.put([ruleAlert({ alertname: 'Flappy' }, T0, T0 + 600_000 + i, T0 + i)], T0 + i);
    first.store.flush();
    expect(journalFiles(dir)).toEqual({ 'alert-journal.1': [] });
    expect(first.db.prepare('SELECT ends_at FROM alerts').all()).toEqual([{ ends_at: T0 + 600_005 }]);
    first.store.put([ruleAlert({ alertname: 'Flappy' }, T0, T0 + 700_000, T0 + 10)], T0 + 10);
    first.store.flush();
    expect(journalFiles(dir)).toEqual({ 'alert-journal.1': ['alerts'] });
    restart(first, dir, { perAlert: 2, floor: 3 });
  });

  it('an alerts table written before the journal existed loads as the snapshot', () => {
    const dir = tempDir();
    const db = openAlertingDb(dir);
    dbs.push(db);
    db.exec(`CREATE TABLE alerts (fp TEXT PRIMARY KEY, labels TEXT NOT NULL, annotations TEXT NOT NULL, starts_at INTEGER NOT NULL,
      ends_at INTEGER, generator_url TEXT NOT NULL, updated_at INTEGER NOT NULL, timeout INTEGER NOT NULL)`);
    db.prepare('INSERT INTO alerts VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run('x', JSON.stringify(['alertname', 'Old']), '[]', T0, null, '', T0, 1);
    db.close();
    const again = open(dir);
    expect(again.store.restore()).toBe(1);
    const [a] = [...again.store.values()];
    expect(a!.labels.toRecord()).toEqual({ alertname: 'Old' });
    expect(a!.endsAt).toBe(Number.POSITIVE_INFINITY);
    expect(a!.timeout).toBe(true);
  });

  it('a record torn by a crash is cut at restart, and batches appended after it load', () => {
    const dir = tempDir();
    const first = open(dir);
    post(first.store, [{ labels: { alertname: 'A' }, startsAt: new Date(T0).toISOString() }], T0);
    first.store.flush();
    const whole = statSync(join(dir, 'alert-journal.0')).size;
    appendFileSync(join(dir, 'alert-journal.0'), `${T0 + 1} v2 300000 40\n[{"labels":{"alert`);
    first.db.close();

    const second = open(dir);
    expect(second.store.restore()).toBe(1);
    expect(statSync(join(dir, 'alert-journal.0')).size).toBe(whole);
    post(second.store, [{ labels: { alertname: 'B', gpu: 'é' }, startsAt: new Date(T0).toISOString() }], T0 + 2);
    second.store.flush();
    expect(restart(second, dir).store.size).toBe(2);
  });

  it('a journal older than the snapshot (a crash between the two) is not replayed over it', () => {
    const dir = tempDir();
    const first = open(dir);
    const iso = (t: number) => new Date(t).toISOString();
    post(first.store, [{ labels: { alertname: 'Gone' }, startsAt: iso(T0), endsAt: iso(T0 + 1_000) }, { labels: { alertname: 'Kept' }, startsAt: iso(T0) }], T0);
    first.store.flush();
    const stale = readFileSync(join(dir, 'alert-journal.0'), 'utf8');
    expect(first.store.gc(T0 + 2_000)).toHaveLength(1);
    first.store.flush();
    // As if the process died after committing the snapshot and before starting its journal.
    rmSync(join(dir, 'alert-journal.1'));
    appendFileSync(join(dir, 'alert-journal.0'), stale);
    expect(restart(first, dir).store.size).toBe(1);
  });

  it('batches journaled in the database by earlier versions load, and the next snapshot empties that table', () => {
    const dir = tempDir();
    const db = openAlertingDb(dir);
    dbs.push(db);
    db.exec(`CREATE TABLE alert_journal (
      seq INTEGER PRIMARY KEY, received_at INTEGER NOT NULL, kind TEXT NOT NULL, resolve_timeout_ms INTEGER NOT NULL, body TEXT NOT NULL)`);
    const body = JSON.stringify([{ labels: { alertname: 'Old' }, startsAt: new Date(T0).toISOString() }]);
    db.prepare('INSERT INTO alert_journal (received_at, kind, resolve_timeout_ms, body) VALUES (?, ?, ?, ?)').run(T0, 'v2', RESOLVE_TIMEOUT, body);
    db.close();

    const again = open(dir);
    expect(again.store.restore()).toBe(1);
    expect([...again.store.values()][0]!.labels.toRecord()).toEqual({ alertname: 'Old' });
    again.store.gc(T0 + RESOLVE_TIMEOUT + 1);
    again.store.flush();
    expect(again.db.prepare('SELECT count(*) AS n FROM alert_journal').get()).toEqual({ n: 0 });
  });

  it('a batch the journal cannot write is refused whole, and the store keeps what it had', () => {
    const dir = tempDir();
    const first = open(dir);
    post(first.store, [{ labels: { alertname: 'A' }, startsAt: new Date(T0).toISOString() }], T0);
    first.store.flush(); // lets go of the file
    const before = contents(first.store);
    // The journal's path taken by a directory: the next append fails.
    rmSync(join(dir, 'alert-journal.0'));
    mkdirSync(join(dir, 'alert-journal.0'));
    const heard: string[] = [];
    first.store.subscribe((a) => heard.push(a.labels.get('alertname')!));
    expect(() => post(first.store, [{ labels: { alertname: 'B' }, startsAt: new Date(T0).toISOString() }], T0 + 1)).toThrow(/EISDIR/);
    expect(contents(first.store)).toEqual(before);
    expect(heard).toEqual([]);
  });

  it('a batch received while a snapshot is due is journaled at once, and the snapshot then holds it', () => {
    const dir = tempDir();
    const first = open(dir);
    first.store.put([ruleAlert({ alertname: 'Gone' }, T0, T0 + 1_000, T0)], T0);
    expect(first.store.gc(T0 + 2_000)).toHaveLength(1); // asks for a snapshot, written behind
    first.store.put([ruleAlert({ alertname: 'Late' }, T0, T0 + 3600_000, T0 + 2_000)], T0 + 2_000);
    // Until the snapshot commits, a crash would find the batch in the journal it follows.
    expect(journalFiles(dir)).toEqual({ 'alert-journal.0': ['alerts', 'alerts'] });
    first.store.flush();
    expect(journalFiles(dir)).toEqual({ 'alert-journal.1': [] });
    expect([...restart(first, dir).store.values()].map((a) => a.labels.get('alertname'))).toEqual(['Late']);
  });

  it('a snapshot that fails to write is reported, and the journal still holds every batch', async () => {
    const dir = tempDir();
    const db = openAlertingDb(dir);
    dbs.push(db);
    const clock = new VirtualClock(T0);
    const errors: string[] = [];
    const store = new AlertStore(sqliteAlerts(db, { clock, onSnapshotError: (err) => errors.push(String(err)) }));
    store.put([ruleAlert({ alertname: 'Gone' }, T0, T0 + 1_000, T0), ruleAlert({ alertname: 'Kept' }, T0, T0 + 3600_000, T0)], T0);
    db.exec('DROP TABLE alert_snapshot'); // the snapshot's transaction will fail
    expect(store.gc(T0 + 2_000)).toHaveLength(1);
    store.put([ruleAlert({ alertname: 'Late' }, T0, T0 + 3600_000, T0 + 2_000)], T0 + 2_000);
    await clock.advance(WRITE_BEHIND_MS);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/alert_snapshot/);
    expect(journalFiles(dir)).toEqual({ 'alert-journal.0': ['alerts', 'alerts'] });
    db.close();

    // The restart replays the journal over the last snapshot that was written (none): what gc
    // dropped comes back resolved, and is dropped again by the next gc.
    const again = open(dir);
    expect(again.store.restore()).toBe(3);
    expect(again.store.gc(T0 + 2_000).length).toBe(1);
    expect([...again.store.values()].map((a) => a.labels.get('alertname')).sort()).toEqual(['Kept', 'Late']);
  });
});
