import type { AlertingDb } from './db.js';

/**
 * GroupCommit runs the writes queued during one turn of the event loop in a single transaction
 * (at setImmediate), in the order they were queued: one commit per turn instead of one per
 * notification. A write queued before a crash is lost only if the process dies within that
 * turn; readers never wait for it, because the notification log and outbox answer from memory.
 */
export class GroupCommit {
  private ops: (() => void)[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly run: (ops: (() => void)[]) => void;

  constructor(
    db: AlertingDb,
    private readonly onError: (err: unknown) => void = (err) => {
      throw err;
    },
  ) {
    this.run = db.transaction((ops: (() => void)[]) => {
      for (const op of ops) op();
    });
  }

  add(op: () => void): void {
    this.ops.push(op);
    this.scheduled ??= setImmediate(() => this.flush());
  }

  /** flush commits what is queued now (at shutdown, and before reading the tables directly). */
  flush(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
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
