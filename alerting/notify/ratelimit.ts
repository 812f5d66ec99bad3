/**
 * RateLimiter is a token bucket: `count` notifications per `intervalMs`, refilled continuously,
 * starting full (so a burst of `count` goes out at once). vigil's per-receiver `rate_limit`.
 */
export class RateLimiter {
  private tokens: number;
  private last: number | undefined;

  constructor(
    private readonly count: number,
    private readonly intervalMs: number,
  ) {
    this.tokens = count;
  }

  /** take consumes a token at `now` and returns 0, or returns how long (ms) until one is free. */
  take(now: number): number {
    if (this.last !== undefined) this.tokens = Math.min(this.count, this.tokens + ((now - this.last) * this.count) / this.intervalMs);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * this.intervalMs) / this.count);
  }
}
