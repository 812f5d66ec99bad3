/** TimerHandle identifies a timer set on a Clock. */
export type TimerHandle = { readonly id: number };

/**
 * Clock is the only source of time in vigil. Scrape loops, the store's fsync and retention, rule
 * evaluators and dispatchers take one, so tests and backtests run on virtual time.
 * Times are integer milliseconds since the epoch.
 */
export interface Clock {
  now(): number;
  /** setTimeout calls fn once, `ms` from now. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** sleep resolves `ms` from now, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** systemClock is wall-clock time with Node's timers. */
export const systemClock: Clock = (() => {
  const timers = new Map<number, NodeJS.Timeout>();
  let nextId = 1;
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(
        id,
        setTimeout(() => {
          timers.delete(id);
          fn();
        }, Math.max(0, ms)),
      );
      return { id };
    },
    clearTimeout(handle) {
      const t = timers.get(handle.id);
      if (t !== undefined) clearTimeout(t);
      timers.delete(handle.id);
    },
    sleep: (ms, signal) => sleepOn(systemClock, ms, signal),
  };
})();

/** sleepOn is Clock.sleep for any clock: it resolves `ms` from now on `clock`, or rejects when `signal` aborts. */
export function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(signal!.reason);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface VirtualTimer {
  id: number;
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * VirtualClock is a Clock that moves only when told to. advance() fires due timers in time order
 * and lets the event loop turn once after each, so promise chains started by a timer settle
 * before the next timer fires. Work that waits on real I/O (a loopback HTTP request) needs the
 * test to await it explicitly.
 */
export class VirtualClock implements Clock {
  private current: number;
  private timers: VirtualTimer[] = [];
  private nextId = 1;
  private seq = 0;

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.push({ id, at: this.current + Math.max(0, ms), seq: this.seq++, fn });
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle.id);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** pending is the number of timers not yet fired. */
  get pending(): number {
    return this.timers.length;
  }

  /** nextAt is the time of the earliest pending timer, or undefined when there is none. */
  get nextAt(): number | undefined {
    let at: number | undefined;
    for (const t of this.timers) if (at === undefined || t.at < at) at = t.at;
    return at;
  }

  /**
   * runNext moves time to the earliest pending timer and fires it (and any due at the same
   * instant). Tests that wait on real I/O started by a timer step with it, so that a later timer
   * (such as a timeout) cannot fire while the I/O is still under way in real time.
   */
  async runNext(): Promise<boolean> {
    const at = this.nextAt;
    if (at === undefined) return false;
    await this.advanceTo(at);
    return true;
  }

  /** advance moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.current + ms);
  }

  async advanceTo(target: number): Promise<void> {
    await settle();
    for (;;) {
      let due: VirtualTimer | undefined;
      for (const t of this.timers) {
        if (t.at <= target && (due === undefined || t.at < due.at || (t.at === due.at && t.seq < due.seq))) due = t;
      }
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.fn();
      await settle();
    }
    this.current = Math.max(this.current, target);
    await settle();
  }
}

/** settle lets pending promise callbacks and I/O callbacks run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
