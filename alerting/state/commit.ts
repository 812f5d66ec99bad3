import { systemClock, type Clock, type TimerHandle } from '../../util/clock.js';
import type { AlertingDb } from './db.js';

/**
 * GroupCommit runs the writes queued within `delayMs` (default 10 ms) of the first in a single
 * transaction, in the order they were queued. Answers from a busy webhook arrive one per turn of
 * the event loop, so committing per turn meant a transaction, and its WAL frames, per
 * notification; this way a burst of deliveries shares one. A write queued before a crash is lost
 * only if the process dies within that window, and a delivery whose record is lost is sent once
 * more after the restart (at-least-once, README). Readers never wait for it: the notification
 * log and outbox answer from memory.
 */
export class GroupCommit {
  private ops: (() => void)[] = [];
  private scheduled: TimerHandle | undefined;
  private readonly run: (ops: (() => void)[]) => void;

  constructor(
    db: AlertingDb,
    private readonly onError: (err: unknown) => void = (err) => {
      throw err;
    },
    private readonly delayMs = 10,
    private readonly clock: Clock = systemClock,
  ) {
    this.run = db.transaction((ops: (() => void)[]) => {
      for (const op of ops) op();
    });
  }

  add(op: () => void): void {
    this.ops.push(op);
    this.scheduled ??= this.clock.setTimeout(() => this.flush(), this.delayMs);
  }

  /** flush commits what is queued now (at shutdown, and before reading the tables directly). */
  flush(): void {
    if (this.scheduled !== undefined) this.clock.clearTimeout(this.scheduled);
    this.scheduled = undefined;
    if (this.ops.length === 0) return;
    const ops = this.ops;
    this.ops = [];
    try {
      this.run(ops);
    } catch (err) {
      this.onError(err);
    }
  }
}
