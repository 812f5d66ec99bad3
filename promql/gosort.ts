/**
 * Go's sort.Sort (pattern-defeating quicksort, Go 1.19+) and container/heap, step for step.
 *
 * Prometheus orders topk/bottomk results and quantile inputs with these, using comparators that
 * are not strict weak orders when NaN is involved ("NaN is less than anything"). With such a
 * comparator, and for ties, the final order is whatever Go's algorithm happens to produce, so
 * matching Prometheus's output order means running the same algorithm, not an equivalent one.
 *
 * `less(a, b)` reports whether a sorts before b. Arrays are sorted in place.
 */
export type Less<T> = (a: T, b: T) => boolean;

/** goSort is Go's sort.Sort(data) for a slice with the given Less. Not stable. */
export function goSort<T>(data: T[], less: Less<T>): void {
  const n = data.length;
  if (n <= 1) return;
  pdqsort(data, 0, n, 32 - Math.clz32(n), less); // limit = bits.Len(n)
}

/** goSortReverse is Go's sort.Sort(sort.Reverse(data)): Less(i, j) becomes less(data[j], data[i]). */
export function goSortReverse<T>(data: T[], less: Less<T>): void {
  goSort(data, (a, b) => less(b, a));
}

/** heapPush is Go's heap.Push: append, then sift the new element up. */
export function heapPush<T>(h: T[], x: T, less: Less<T>): void {
  h.push(x);
  heapUp(h, h.length - 1, less);
}

/** heapFix is Go's heap.Fix: restore the heap after h[i] changed. */
export function heapFix<T>(h: T[], i: number, less: Less<T>): void {
  if (!heapDown(h, i, h.length, less)) heapUp(h, i, less);
}

function heapUp<T>(h: T[], j: number, less: Less<T>): void {
  for (;;) {
    const i = ((j - 1) / 2) | 0; // Go's integer division truncates toward zero: parent of 0 is 0
    if (i === j || !less(h[j]!, h[i]!)) break;
    swap(h, i, j);
    j = i;
  }
}

function heapDown<T>(h: T[], i0: number, n: number, less: Less<T>): boolean {
  let i = i0;
  for (;;) {
    const j1 = 2 * i + 1;
    if (j1 >= n) break;
    let j = j1;
    const j2 = j1 + 1;
    if (j2 < n && less(h[j2]!, h[j1]!)) j = j2;
    if (!less(h[j]!, h[i]!)) break;
    swap(h, i, j);
    i = j;
  }
  return i > i0;
}

function swap<T>(d: T[], i: number, j: number): void {
  const t = d[i]!;
  d[i] = d[j]!;
  d[j] = t;
}

function lessAt<T>(d: T[], i: number, j: number, less: Less<T>): boolean {
  return less(d[i]!, d[j]!);
}

function insertionSort<T>(d: T[], a: number, b: number, less: Less<T>): void {
  for (let i = a + 1; i < b; i++) {
    for (let j = i; j > a && lessAt(d, j, j - 1, less); j--) swap(d, j, j - 1);
  }
}

function siftDown<T>(d: T[], lo: number, hi: number, first: number, less: Less<T>): void {
  let root = lo;
  for (;;) {
    let child = 2 * root + 1;
    if (child >= hi) return;
    if (child + 1 < hi && lessAt(d, first + child, first + child + 1, less)) child++;
    if (!lessAt(d, first + root, first + child, less)) return;
    swap(d, first + root, first + child);
    root = child;
  }
}

function heapSort<T>(d: T[], a: number, b: number, less: Less<T>): void {
  const first = a;
  const hi = b - a;
  for (let i = ((hi - 1) / 2) | 0; i >= 0; i--) siftDown(d, i, hi, first, less);
  for (let i = hi - 1; i >= 0; i--) {
    swap(d, first, first + i);
    siftDown(d, 0, i, first, less);
  }
}

const UNKNOWN_HINT = 0;
const INCREASING_HINT = 1;
const DECREASING_HINT = 2;

function pdqsort<T>(d: T[], a: number, b: number, limit: number, less: Less<T>): void {
  const maxInsertion = 12;
  let wasBalanced = true;
  let wasPartitioned = true;
  for (;;) {
    const length = b - a;
    if (length <= maxInsertion) {
      insertionSort(d, a, b, less);
      return;
    }
    if (limit === 0) {
      heapSort(d, a, b, less);
      return;
    }
    if (!wasBalanced) {
      breakPatterns(d, a, b);
      limit--;
    }
    let pivot = choosePivot(d, a, b, less);
    let hint = pivotHint;
    if (hint === DECREASING_HINT) {
      reverseRange(d, a, b);
      pivot = b - 1 - (pivot - a);
      hint = INCREASING_HINT;
    }
    if (wasBalanced && wasPartitioned && hint === INCREASING_HINT) {
      if (partialInsertionSort(d, a, b, less)) return;
    }
    if (a > 0 && !lessAt(d, a - 1, pivot, less)) {
      a = partitionEqual(d, a, b, pivot, less);
      continue;
    }
    const mid = partition(d, a, b, pivot, less);
    wasPartitioned = alreadyPartitioned;
    const leftLen = mid - a;
    const rightLen = b - mid;
    const balanceThreshold = (length / 8) | 0;
    if (leftLen < rightLen) {
      wasBalanced = leftLen >= balanceThreshold;
      pdqsort(d, a, mid, limit, less);
      a = mid + 1;
    } else {
      wasBalanced = rightLen >= balanceThreshold;
      pdqsort(d, mid + 1, b, limit, less);
      b = mid;
    }
  }
}

// Second results of partition and choosePivot (Go returns pairs); set just before returning.
let alreadyPartitioned = false;
let pivotHint = UNKNOWN_HINT;
let pivotSwaps = 0;

function partition<T>(d: T[], a: number, b: number, pivot: number, less: Less<T>): number {
  swap(d, a, pivot);
  let i = a + 1;
  let j = b - 1;
  while (i <= j && lessAt(d, i, a, less)) i++;
  while (i <= j && !lessAt(d, j, a, less)) j--;
  if (i > j) {
    swap(d, j, a);
    alreadyPartitioned = true;
    return j;
  }
  swap(d, i, j);
  i++;
  j--;
  for (;;) {
    while (i <= j && lessAt(d, i, a, less)) i++;
    while (i <= j && !lessAt(d, j, a, less)) j--;
    if (i > j) break;
    swap(d, i, j);
    i++;
    j--;
  }
  swap(d, j, a);
  alreadyPartitioned = false;
  return j;
}

function partitionEqual<T>(d: T[], a: number, b: number, pivot: number, less: Less<T>): number {
  swap(d, a, pivot);
  let i = a + 1;
  let j = b - 1;
  for (;;) {
    while (i <= j && !lessAt(d, a, i, less)) i++;
    while (i <= j && lessAt(d, a, j, less)) j--;
    if (i > j) break;
    swap(d, i, j);
    i++;
    j--;
  }
  return i;
}

function partialInsertionSort<T>(d: T[], a: number, b: number, less: Less<T>): boolean {
  const maxSteps = 5;
  const shortestShifting = 50;
  let i = a + 1;
  for (let step = 0; step < maxSteps; step++) {
    while (i < b && !lessAt(d, i, i - 1, less)) i++;
    if (i === b) return true;
    if (b - a < shortestShifting) return false;
    swap(d, i, i - 1);
    if (i - a >= 2) {
      for (let j = i - 1; j >= 1; j--) {
        if (!lessAt(d, j, j - 1, less)) break;
        swap(d, j, j - 1);
      }
    }
    if (b - i >= 2) {
      for (let j = i + 1; j < b; j++) {
        if (!lessAt(d, j, j - 1, less)) break;
        swap(d, j, j - 1);
      }
    }
  }
  return false;
}

const MASK64 = (1n << 64n) - 1n;

function breakPatterns<T>(d: T[], a: number, b: number): void {
  const length = b - a;
  if (length < 8) return;
  let random = BigInt(length); // Go's xorshift (13, 7, 17) on a uint64 seeded with the length
  const modulus = 2 ** (32 - Math.clz32(length)); // nextPowerOfTwo(length) = 1 << bits.Len(length)
  const mid = a + ((length / 4) | 0) * 2;
  for (let idx = mid - 1; idx <= mid + 1; idx++) {
    random ^= (random << 13n) & MASK64;
    random ^= random >> 7n;
    random ^= (random << 17n) & MASK64;
    let other = Number(random & BigInt(modulus - 1));
    if (other >= length) other -= length;
    swap(d, idx, a + other);
  }
}

function choosePivot<T>(d: T[], a: number, b: number, less: Less<T>): number {
  const shortestNinther = 50;
  const maxSwaps = 4 * 3;
  const l = b - a;
  pivotSwaps = 0;
  let i = a + ((l / 4) | 0) * 1;
  let j = a + ((l / 4) | 0) * 2;
  let k = a + ((l / 4) | 0) * 3;
  if (l >= 8) {
    if (l >= shortestNinther) {
      i = median(d, i - 1, i, i + 1, less);
      j = median(d, j - 1, j, j + 1, less);
      k = median(d, k - 1, k, k + 1, less);
    }
    j = median(d, i, j, k, less);
  }
  pivotHint = pivotSwaps === 0 ? INCREASING_HINT : pivotSwaps === maxSwaps ? DECREASING_HINT : UNKNOWN_HINT;
  return j;
}

/** median returns the index holding the median of d[a], d[b], d[c], counting swaps as Go does. */
function median<T>(d: T[], a: number, b: number, c: number, less: Less<T>): number {
  let t: number;
  if (lessAt(d, b, a, less)) {
    pivotSwaps++;
    t = a;
    a = b;
    b = t;
  }
  if (lessAt(d, c, b, less)) {
    pivotSwaps++;
    t = b;
    b = c;
    c = t;
  }
  if (lessAt(d, b, a, less)) {
    pivotSwaps++;
    t = a;
    a = b;
    b = t;
  }
  return b;
}

function reverseRange<T>(d: T[], a: number, b: number): void {
  let i = a;
  let j = b - 1;
  while (i < j) {
    swap(d, i, j);
    i++;
    j--;
  }
}
