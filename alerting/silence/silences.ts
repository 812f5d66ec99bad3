import { randomUUID } from 'node:crypto';
import type { Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import type { Clock } from '../../util/clock.js';
import type { Muter } from '../mute/muter.js';
import { SilenceError } from './errors.js';
import {
  matchesAll,
  type PostableSilence,
  sameMatchers,
  type Silence,
  type SilenceState,
  silenceState,
  validateMatchers,
} from './silence.js';
import { type Database, SilenceStore } from './store.js';

/** DEFAULT_RETENTION is how long an expired silence is kept before gc drops it: Alertmanager's --data.retention, 120h. */
export const DEFAULT_RETENTION = 120 * 3600_000;

export interface SilencesOptions {
  /** db holds the `silences` table; the caller opens it (`<dataDir>/alerting.db`) and closes it. */
  readonly db: Database;
  /** clock gives `now` for updatedAt, expiry, the time checks of set() and gc(). */
  readonly clock: Clock;
  /** retention in ms after endsAt before an expired silence is dropped (default 120h). */
  readonly retention?: number;
}

/** SilenceQuery selects silences; every given part must hold. */
export interface SilenceQuery {
  readonly ids?: readonly string[];
  /** state: the silence's state at the query's `now`. */
  readonly state?: SilenceState | readonly SilenceState[];
  /**
   * matchers: Alertmanager's API `filter`: for each, the silence has a matcher with the same name,
   * operator and value. It does not select the silences that would match some labels (that is
   * silencedBy).
   */
  readonly matchers?: readonly Matcher[];
}

/**
 * Silences holds the silences with Alertmanager's semantics (S1-S2) and keeps them in SQLite, so
 * they survive a restart: every change is on disk before the call returns, and the constructor
 * loads what is stored (dropping silences past retention). Methods that change state throw
 * SilenceError; a database failure throws better-sqlite3's error and changes nothing in memory.
 *
 * mutes() is the hot path of the mute stage: it walks one array, newest-ending first, and stops at
 * the first silence that ended before `now`, so expired silences kept for retention cost nothing.
 */
export class Silences implements Muter {
  private readonly store: SilenceStore;
  private readonly clock: Clock;
  private readonly retention: number;
  private readonly byId = new Map<string, Silence>();
  /** byEnd: every silence, by endsAt descending; rebuilt on each change (changes are rare). */
  private byEnd: Silence[] = [];

  constructor(opts: SilencesOptions) {
    this.store = new SilenceStore(opts.db);
    this.clock = opts.clock;
    this.retention = opts.retention ?? DEFAULT_RETENTION;
    if (!(this.retention >= 0)) throw new RangeError(`silence retention must be >= 0 ms, got ${this.retention}`);
    for (const s of this.store.load()) this.byId.set(s.id, s);
    this.reindex();
    this.gc();
  }

  /** size is the number of silences held, expired ones included. */
  get size(): number {
    return this.byId.size;
  }

  get(id: string): Silence | undefined {
    return this.byId.get(id);
  }

  /**
   * set creates or updates a silence and returns its id, as Alertmanager's `Silences.Set` with the
   * checks its API adds:
   * - startsAt must be before endsAt, and endsAt must not be before now;
   * - an `id` that is not held is SilenceError('not_found');
   * - matchers are validated (validateMatchers);
   * - the silence of `id` is updated in place (same id, updatedAt = now) only when its matchers
   *   are unchanged (same order) and, if it is active, startsAt is the same second and endsAt is
   *   not in the past, or, if it is pending, the new startsAt is not in the past;
   * - otherwise a new silence with a new id is created (startsAt raised to now if earlier) and the
   *   old one, unless already expired, is expired in the same transaction. An expired silence is
   *   never edited: posting its id creates a new silence and leaves it as it was (what Alertmanager
   *   0.25 does, verified against it).
   */
  set(p: PostableSilence): string {
    const now = this.clock.now();
    if (!(p.startsAt < p.endsAt)) throw new SilenceError('invalid', 'Failed to create silence: start time must be before end time');
    if (p.endsAt < now) throw new SilenceError('invalid', "Failed to create silence: end time can't be in the past");
    const prev = p.id === undefined || p.id === '' ? undefined : this.byId.get(p.id);
    if (p.id !== undefined && p.id !== '' && prev === undefined) throw new SilenceError('not_found', 'silence not found');
    validateMatchers(p.matchers);
    const fields = { matchers: [...p.matchers], createdBy: p.createdBy, comment: p.comment, endsAt: p.endsAt };
    if (prev !== undefined && canUpdate(prev, p, now)) {
      this.commit([{ ...fields, id: prev.id, startsAt: p.startsAt, updatedAt: now }]);
      return prev.id;
    }
    const created: Silence = { ...fields, id: randomUUID(), startsAt: Math.max(p.startsAt, now), updatedAt: now };
    const put = [created];
    if (prev !== undefined && silenceState(prev, now) !== 'expired') put.push(expired(prev, now));
    this.commit(put);
    return created.id;
  }

  /**
   * expire ends a silence now: an active one gets endsAt = now, a pending one startsAt = endsAt =
   * now; an expired one is left as it is (no error, as Alertmanager). Unknown id: SilenceError('not_found').
   */
  expire(id: string): void {
    const s = this.byId.get(id);
    if (s === undefined) throw new SilenceError('not_found', 'silence not found');
    const now = this.clock.now();
    if (silenceState(s, now) === 'expired') return;
    this.commit([expired(s, now)]);
  }

  /** query returns the silences that satisfy `q` at `now` (default the clock's), in no particular order. */
  query(q: SilenceQuery = {}, now: number = this.clock.now()): Silence[] {
    const states = q.state === undefined ? undefined : typeof q.state === 'string' ? [q.state] : q.state;
    const base = q.ids === undefined ? this.byId.values() : q.ids.map((id) => this.byId.get(id)).filter((s) => s !== undefined);
    const out: Silence[] = [];
    for (const s of base) {
      if (states !== undefined && !states.includes(silenceState(s, now))) continue;
      if (q.matchers !== undefined && !q.matchers.every((f) => s.matchers.some((m) => m.type === f.type && m.name === f.name && m.value === f.value))) {
        continue;
      }
      out.push(s);
    }
    return out;
  }

  /** mutes says whether an active silence at `now` matches `labels` (Muter). */
  mutes(labels: Labels, now: number): boolean {
    const list = this.byEnd;
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      if (s.endsAt < now) return false;
      if (s.startsAt <= now && matchesAll(s.matchers, labels)) return true;
    }
    return false;
  }

  /** silencedBy lists the ids of the silences active at `now` that match `labels`, sorted (the alerts API's status.silencedBy). */
  silencedBy(labels: Labels, now: number): string[] {
    const ids: string[] = [];
    for (const s of this.byEnd) {
      if (s.endsAt < now) break;
      if (s.startsAt <= now && matchesAll(s.matchers, labels)) ids.push(s.id);
    }
    return ids.sort();
  }

  /** gc drops the silences that ended at least `retention` before `now` and returns how many. */
  gc(now: number = this.clock.now()): number {
    const old: string[] = [];
    for (const s of this.byId.values()) if (s.endsAt + this.retention <= now) old.push(s.id);
    if (old.length === 0) return 0;
    this.store.write([], old);
    for (const id of old) this.byId.delete(id);
    this.reindex();
    return old.length;
  }

  /** commit writes the silences to disk first, then to memory, so a failed write changes nothing. */
  private commit(put: readonly Silence[]): void {
    this.store.write(put);
    for (const s of put) this.byId.set(s.id, s);
    this.reindex();
  }

  private reindex(): void {
    this.byEnd = [...this.byId.values()].sort((a, b) => b.endsAt - a.endsAt);
  }
}

/** canUpdate says whether `next` may overwrite `prev` without rewriting history (Alertmanager's canUpdate). */
function canUpdate(prev: Silence, next: PostableSilence, now: number): boolean {
  if (!sameMatchers(prev.matchers, next.matchers)) return false;
  switch (silenceState(prev, now)) {
    case 'active':
      // Alertmanager compares Unix seconds, so a client that echoes startsAt without millis still updates.
      return Math.floor(next.startsAt / 1000) === Math.floor(prev.startsAt / 1000) && next.endsAt >= now;
    case 'pending':
      return next.startsAt >= now;
    case 'expired':
      return false;
  }
}

function expired(s: Silence, now: number): Silence {
  return silenceState(s, now) === 'pending' ? { ...s, startsAt: now, endsAt: now, updatedAt: now } : { ...s, endsAt: now, updatedAt: now };
}
