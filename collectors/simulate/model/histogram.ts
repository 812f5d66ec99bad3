import type { Rng } from '../prng.js';

/**
 * Histogram is a cumulative Prometheus histogram fed with batches of observations from a
 * log-normal distribution. Bucket counts are whole numbers, never decrease, and the +Inf bucket
 * always equals `count`: the invariants a scrape of a real client library shows.
 */
export class Histogram {
  /** counts[i] is the number of observations in bucket i alone (not cumulative); the last is +Inf. */
  private readonly counts: number[];
  count = 0;
  sum = 0;

  /** bounds are the finite upper bounds, ascending. */
  constructor(readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  /**
   * observeLogNormal adds `n` observations with the given median and log-space spread `sigma`,
   * never above `cap` when given (a token count cannot exceed the model's context). Counts are
   * spread over the buckets by systematic sampling (one uniform offset per batch), which keeps each
   * bucket's expectation exact and the batch's total exactly `n`. With `integer`, the sum is a whole
   * number, as for token counts. Returns what was added to the sum.
   */
  observeLogNormal(rng: Rng, n: number, median: number, sigma: number, opts: { cap?: number; integer?: boolean } = {}): number {
    if (n <= 0) return 0;
    const cap = opts.cap ?? Infinity;
    const mu = Math.log(Math.max(median, 1e-12));
    const total = cap === Infinity ? 1 : normalCdf((Math.log(cap) - mu) / sigma);
    const offset = rng.next();
    let previous = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      const b = this.bounds[i]!;
      const fraction = b >= cap ? 1 : Math.min(1, normalCdf((Math.log(b) - mu) / sigma) / total);
      const cumulative = Math.min(n, Math.floor(n * fraction + offset));
      const here = Math.max(0, cumulative - previous);
      this.counts[i]! += here;
      previous += here;
    }
    this.counts[this.bounds.length]! += n - previous;
    this.count += n;
    // The mean of the log-normal, truncated at the cap when there is one.
    let mean = Math.exp(mu + (sigma * sigma) / 2);
    if (cap !== Infinity) mean *= normalCdf((Math.log(cap) - mu - sigma * sigma) / sigma) / total;
    let added = Math.min(n * cap, n * mean * rng.jitter(0.02));
    if (opts.integer) added = Math.round(added);
    this.sum += added;
    return added;
  }

  /** observeValue adds `n` observations that all equal `value`. */
  observeValue(n: number, value: number): void {
    if (n <= 0) return;
    let i = this.bounds.findIndex((b) => value <= b);
    if (i < 0) i = this.bounds.length;
    this.counts[i]! += n;
    this.count += n;
    this.sum += n * value;
  }

  /** cumulative returns the bucket counts as exposed: cumulative, one per bound, then +Inf. */
  cumulative(): number[] {
    const out: number[] = [];
    let running = 0;
    for (const c of this.counts) out.push((running += c));
    return out;
  }
}

/** normalCdf is the standard normal CDF (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** oneTwoFiveBuckets is vLLM's build_1_2_5_buckets(max): 1, 2, 5, 10, 20, 50, ... up to max. */
export function oneTwoFiveBuckets(max: number): number[] {
  const out: number[] = [];
  for (let exponent = 0; ; exponent++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** exponent;
      if (v > max) return out;
      out.push(v);
    }
  }
}
