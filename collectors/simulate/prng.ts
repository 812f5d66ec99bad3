/**
 * Rng is the simulator's seeded pseudo-random source (mulberry32): the same seed gives the same
 * sequence on every run and machine, so a scenario replays identically and tests can assert exact
 * values. Each part of the platform draws from its own stream (see `streamSeed`), so adding a
 * component or a draw in one part never shifts the numbers another part sees.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** next returns a float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** normal returns a standard normal deviate (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** jitter returns a multiplicative noise factor around 1 with relative spread `sd`, never below 0. */
  jitter(sd: number): number {
    return Math.max(0, 1 + sd * this.normal());
  }

  /**
   * count draws the number of events in an interval where `mean` are expected (Poisson): exactly
   * (Knuth's method) for small means, by the normal approximation rounded stochastically for
   * large ones, where it is unbiased.
   */
  count(mean: number): number {
    if (mean <= 0) return 0;
    if (mean < 30) {
      const limit = Math.exp(-mean);
      let k = 0;
      let product = this.next();
      while (product > limit) {
        k++;
        product *= this.next();
      }
      return k;
    }
    return Math.max(0, this.round(mean + Math.sqrt(mean) * this.normal()));
  }

  /**
   * binomial draws how many of `n` trials succeed with probability `p`: exactly for few trials,
   * as a Poisson count when successes (or failures) are rare, and by the normal approximation
   * otherwise. None of these is biased by clamping at 0 or n.
   */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (n <= 40) {
      let k = 0;
      for (let i = 0; i < n; i++) if (this.next() < p) k++;
      return k;
    }
    if (n * p < 15) return Math.min(n, this.count(n * p));
    if (n * (1 - p) < 15) return n - Math.min(n, this.count(n * (1 - p)));
    const mean = n * p;
    return Math.min(n, Math.max(0, this.round(mean + Math.sqrt(mean * (1 - p)) * this.normal())));
  }

  /** round rounds `x` up with probability equal to its fraction, so sums of many stay unbiased. */
  round(x: number): number {
    const whole = Math.floor(x);
    return whole + (this.next() < x - whole ? 1 : 0);
  }

  /** hex returns `n` lowercase hexadecimal digits. */
  hex(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }
}

/** streamSeed derives the seed of a named stream from the scenario's seed (FNV-1a over the name). */
export function streamSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** stream is a new Rng for the named part of the platform. */
export function stream(seed: number, name: string): Rng {
  return new Rng(streamSeed(seed, name));
}

/** uuid is a deterministic RFC 4122 version 4 UUID drawn from `rng`, as Kubernetes assigns pod UIDs. */
export function uuid(rng: Rng): string {
  const h = rng.hex(32);
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
