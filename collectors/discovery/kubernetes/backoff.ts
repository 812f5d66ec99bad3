/** BackoffOptions shape the waits between failed attempts. Durations in ms. */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  /** jitter adds up to `jitter` times the wait, at random, so many vigils do not retry in step. */
  readonly jitter: number;
}

/** DEFAULT_BACKOFF is client-go's reflector backoff: 800 ms doubling to 30 s, plus up to 100% jitter. */
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 800, maxMs: 30_000, factor: 2, jitter: 1 };

/** Backoff yields growing waits for consecutive failures until reset() after a success. */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly opts: BackoffOptions,
    /** random returns a number in [0, 1); tests pass a constant. */
    private readonly random: () => number = Math.random,
  ) {}

  /** next is the wait before the next attempt, in ms; each call counts one more failure. */
  next(): number {
    const base = Math.min(this.opts.maxMs, this.opts.initialMs * this.opts.factor ** this.failures);
    this.failures++;
    return Math.round(base * (1 + this.opts.jitter * this.random()));
  }

  reset(): void {
    this.failures = 0;
  }
}
