/**
 * Quantiles and fractions of classic histograms (one group of cumulative `le` buckets), as
 * Prometheus's BucketQuantile and BucketFraction compute them. A group is two parallel arrays:
 * upper bounds and cumulative counts, n buckets in any order; both are sorted and coalesced in
 * place.
 */

/** smallDeltaTolerance: relative differences between buckets below this are float noise. */
const SMALL_DELTA_TOLERANCE = 1e-12;
const MIN_NORMAL = 2.2250738585072014e-308;

/** What the last bucketQuantile call had to repair (module scratch, read right after the call). */
export const monotonicity = { forced: false, fixedPrecision: false, minBucket: 0, maxBucket: 0, maxDiff: 0 };

/** almostEqual is Prometheus's util/almost.Equal. */
export function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (a !== a && b !== b) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

/** sortBuckets sorts both arrays by upper bound (insertion sort: groups are small and often near sorted). */
function sortBuckets(ub: number[], cnt: number[], n: number): void {
  for (let i = 1; i < n; i++) {
    const u = ub[i]!;
    const c = cnt[i]!;
    let j = i - 1;
    while (j >= 0 && ub[j]! > u) {
      ub[j + 1] = ub[j]!;
      cnt[j + 1] = cnt[j]!;
      j--;
    }
    ub[j + 1] = u;
    cnt[j + 1] = c;
  }
}

/** coalesceBuckets merges buckets with equal upper bounds (summing counts); returns the new length. */
function coalesceBuckets(ub: number[], cnt: number[], n: number): number {
  let lastU = ub[0]!;
  let lastC = cnt[0]!;
  let k = 0;
  for (let i = 1; i < n; i++) {
    if (ub[i] === lastU) {
      lastC += cnt[i]!;
    } else {
      ub[k] = lastU;
      cnt[k] = lastC;
      k++;
      lastU = ub[i]!;
      lastC = cnt[i]!;
    }
  }
  ub[k] = lastU;
  cnt[k] = lastC;
  return k + 1;
}

/**
 * ensureMonotonic first absorbs differences too small to be real (either direction), then raises
 * any count lower than the one before it; the reference `prev` only moves on an accepted count.
 */
function ensureMonotonic(ub: number[], cnt: number[], n: number): void {
  monotonicity.minBucket = Infinity;
  monotonicity.maxBucket = -Infinity;
  let prev = cnt[0]!;
  for (let i = 1; i < n; i++) {
    const curr = cnt[i]!;
    if (curr === prev) continue;
    if (almostEqual(prev, curr, SMALL_DELTA_TOLERANCE)) {
      cnt[i] = prev;
      monotonicity.fixedPrecision = true;
      continue;
    }
    if (curr < prev) {
      cnt[i] = prev;
      monotonicity.forced = true;
      const u = ub[i]!;
      if (u < monotonicity.minBucket) monotonicity.minBucket = u;
      if (u > monotonicity.maxBucket) monotonicity.maxBucket = u;
      if (prev - curr > monotonicity.maxDiff) monotonicity.maxDiff = prev - curr;
      continue;
    }
    prev = curr;
  }
}

/**
 * bucketQuantile returns the φ-quantile of a bucket group, interpolating linearly inside the
 * bucket the rank falls into, with 0 as the lower bound of the first bucket if its upper bound is
 * positive (else that upper bound is the answer). In the +Inf bucket the answer is the highest
 * finite bound. NaN φ gives NaN, φ < 0 -Inf, φ > 1 +Inf (before anything else); no +Inf bucket,
 * fewer than two buckets or no observations give NaN.
 */
export function bucketQuantile(q: number, ub: number[], cnt: number[], n: number): number {
  monotonicity.forced = false;
  monotonicity.fixedPrecision = false;
  monotonicity.minBucket = 0;
  monotonicity.maxBucket = 0;
  monotonicity.maxDiff = 0;
  if (q !== q) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (n === 0) return NaN;
  sortBuckets(ub, cnt, n);
  if (ub[n - 1] !== Infinity) return NaN;
  n = coalesceBuckets(ub, cnt, n);
  ensureMonotonic(ub, cnt, n);
  if (n < 2) return NaN;
  const observations = cnt[n - 1]!;
  if (observations === 0) return NaN;
  let rank = q * observations;
  // The first bucket (among all but +Inf) whose count reaches the rank: sort.Search.
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cnt[mid]! >= rank) hi = mid;
    else lo = mid + 1;
  }
  const b = lo;
  if (b === n - 1) return ub[n - 2]!;
  if (b === 0 && ub[0]! <= 0) return ub[0]!;
  let bucketStart = 0;
  const bucketEnd = ub[b]!;
  let count = cnt[b]!;
  if (b > 0) {
    bucketStart = ub[b - 1]!;
    count -= cnt[b - 1]!;
    rank -= cnt[b - 1]!;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

/**
 * bucketFraction estimates the fraction of observations in [lower, upper], interpolating linearly
 * inside buckets. The first bucket's lower bound is 0 if its upper bound is positive, else -Inf;
 * a bucket with an infinite bound contributes nothing from its inside. NaN bounds, no +Inf bucket
 * or no observations give NaN; lower >= upper gives 0.
 */
export function bucketFraction(lower: number, upper: number, ub: number[], cnt: number[], n: number): number {
  if (n === 0) return NaN;
  sortBuckets(ub, cnt, n);
  if (ub[n - 1] !== Infinity) return NaN;
  n = coalesceBuckets(ub, cnt, n);
  const count = cnt[n - 1]!;
  if (count === 0 || lower !== lower || upper !== upper) return NaN;
  if (lower >= upper) return 0;

  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  let lowerBound = ub[0]! <= 0 ? -Infinity : 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) lowerBound = ub[i - 1]!;
    const upperBound = ub[i]!;
    const c = cnt[i]!;
    if (!lowerSet && lowerBound >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && lowerBound >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && lowerBound < lower && upperBound > lower) {
      lowerRank = interpolate(rank, c, lowerBound, upperBound, lower);
      lowerSet = true;
    }
    if (!upperSet && lowerBound < upper && upperBound > upper) {
      upperRank = interpolate(rank, c, lowerBound, upperBound, upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    // Counts are cumulative: the rank below the next bucket is this bucket's count.
    rank = c;
  }
  if (!lowerSet || lowerRank > count) lowerRank = count;
  if (!upperSet || upperRank > count) upperRank = count;
  return (upperRank - lowerRank) / count;
}

/** interpolate: the cumulative count at v inside a bucket; a bucket reaching down to -Inf counts whole. */
function interpolate(rank: number, count: number, lowerBound: number, upperBound: number, v: number): number {
  if (lowerBound === -Infinity) return count;
  return rank + ((count - rank) * (v - lowerBound)) / (upperBound - lowerBound);
}
