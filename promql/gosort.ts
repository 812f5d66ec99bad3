/**
 * Go's pattern-defeating quicksort (sort.Sort and slices.SortFunc, Go 1.19+) and container/heap,
 * reproduced step for step. Prometheus sorts with comparators that are not strict weak orders (NaN in sort(), empty
 * labels in sort_by_label's natural order), and then the result depends on the algorithm: to give
 * the same order as Prometheus for the same input order, vigil must run the same algorithm.
 */

/** Less reports whether a must sort before b. */
export type Less<T> = (a: T, b: T) => boolean;

/** The two generated copies differ only in their pattern-breaking xorshift generator. */
export type GoSortVariant = 'sort' | 'slices';

const MASK64 = (1n << 64n) - 1n;

function bitsLen(n: number): number {
  return n === 0 ? 0 : 32 - Math.clz32(n);
}

/**
 * goSort sorts `data` in place as Go's sort.Sort (variant 'sort', the default) or slices.SortFunc
 * ('slices') would. Not stable.
 */
export function goSort<T>(data: T[], less: Less<T>, variant: GoSortVariant = 'sort'): void {
  const n = data.length;
  if (n <= 1) return;
  pdqsort(data, 0, n, bitsLen(n), less, variant);
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

function swap<T>(data: T[], i: number, j: number): void {
  const t = data[i]!;
  data[i] = data[j]!;
  data[j] = t;
}

function insertionSort<T>(data: T[], a: number, b: number, less: Less<T>): void {
  for (let i = a + 1; i < b; i++) {
    for (let j = i; j > a && less(data[j]!, data[j - 1]!); j--) swap(data, j, j - 1);
  }
}

function siftDown<T>(data: T[], lo: number, hi: number, first: number, less: Less<T>): void {
  let root = lo;
  for (;;) {
    let child = 2 * root + 1;
    if (child >= hi) return;
    if (child + 1 < hi && less(data[first + child]!, data[first + child + 1]!)) child++;
    if (!less(data[first + root]!, data[first + child]!)) return;
    swap(data, first + root, first + child);
    root = child;
  }
}

function heapSort<T>(data: T[], a: number, b: number, less: Less<T>): void {
  const first = a;
  const hi = b - a;
  for (let i = Math.trunc((hi - 1) / 2); i >= 0; i--) siftDown(data, i, hi, first, less);
  for (let i = hi - 1; i >= 0; i--) {
    swap(data, first, first + i);
    siftDown(data, 0, i, first, less);
  }
}

const UNKNOWN = 0;
const INCREASING = 1;
const DECREASING = 2;

function pdqsort<T>(data: T[], a: number, b: number, limit: number, less: Less<T>, variant: GoSortVariant): void {
  const maxInsertion = 12;
  let wasBalanced = true;
  let wasPartitioned = true;
  for (;;) {
    const length = b - a;
    if (length <= maxInsertion) {
      insertionSort(data, a, b, less);
      return;
    }
    if (limit === 0) {
      heapSort(data, a, b, less);
      return;
    }
    if (!wasBalanced) {
      breakPatterns(data, a, b, variant);
      limit--;
    }
    let [pivot, hint] = choosePivot(data, a, b, less);
    if (hint === DECREASING) {
      reverseRange(data, a, b);
      pivot = b - 1 - (pivot - a);
      hint = INCREASING;
    }
    if (wasBalanced && wasPartitioned && hint === INCREASING) {
      if (partialInsertionSort(data, a, b, less)) return;
    }
    if (a > 0 && !less(data[a - 1]!, data[pivot]!)) {
      a = partitionEqual(data, a, b, pivot, less);
      continue;
    }
    const [mid, alreadyPartitioned] = partition(data, a, b, pivot, less);
    wasPartitioned = alreadyPartitioned;
    const leftLen = mid - a;
    const rightLen = b - mid;
    const balanceThreshold = Math.trunc(length / 8);
    if (leftLen < rightLen) {
      wasBalanced = leftLen >= balanceThreshold;
      pdqsort(data, a, mid, limit, less, variant);
      a = mid + 1;
    } else {
      wasBalanced = rightLen >= balanceThreshold;
      pdqsort(data, mid + 1, b, limit, less, variant);
      b = mid;
    }
  }
}

function partition<T>(data: T[], a: number, b: number, pivot: number, less: Less<T>): [number, boolean] {
  swap(data, a, pivot);
  let i = a + 1;
  let j = b - 1;
  while (i <= j && less(data[i]!, data[a]!)) i++;
  while (i <= j && !less(data[j]!, data[a]!)) j--;
  if (i > j) {
    swap(data, j, a);
    return [j, true];
  }
  swap(data, i, j);
  i++;
  j--;
  for (;;) {
    while (i <= j && less(data[i]!, data[a]!)) i++;
    while (i <= j && !less(data[j]!, data[a]!)) j--;
    if (i > j) break;
    swap(data, i, j);
    i++;
    j--;
  }
  swap(data, j, a);
  return [j, false];
}

function partitionEqual<T>(data: T[], a: number, b: number, pivot: number, less: Less<T>): number {
  swap(data, a, pivot);
  let i = a + 1;
  let j = b - 1;
  for (;;) {
    while (i <= j && !less(data[a]!, data[i]!)) i++;
    while (i <= j && less(data[a]!, data[j]!)) j--;
    if (i > j) break;
    swap(data, i, j);
    i++;
    j--;
  }
  return i;
}

function partialInsertionSort<T>(data: T[], a: number, b: number, less: Less<T>): boolean {
  const maxSteps = 5;
  const shortestShifting = 50;
  let i = a + 1;
  for (let step = 0; step < maxSteps; step++) {
    while (i < b && !less(data[i]!, data[i - 1]!)) i++;
    if (i === b) return true;
    if (b - a < shortestShifting) return false;
    swap(data, i, i - 1);
    if (i - a >= 2) {
      for (let j = i - 1; j >= 1; j--) {
        if (!less(data[j]!, data[j - 1]!)) break;
        swap(data, j, j - 1);
      }
    }
    if (b - i >= 2) {
      for (let j = i + 1; j < b; j++) {
        if (!less(data[j]!, data[j - 1]!)) break;
        swap(data, j, j - 1);
      }
    }
  }
  return false;
}

function breakPatterns<T>(data: T[], a: number, b: number, variant: GoSortVariant): void {
  const length = b - a;
  if (length < 8) return;
  let random = BigInt(length);
  const modulus = 2 ** bitsLen(length);
  for (let idx = a + Math.trunc(length / 4) * 2 - 1; idx <= a + Math.trunc(length / 4) * 2 + 1; idx++) {
    // xorshift: sort's generator shifts 13, 7, 17; slices' 13, 17, 5.
    random ^= (random << 13n) & MASK64;
    if (variant === 'sort') {
      random ^= random >> 7n;
      random ^= (random << 17n) & MASK64;
    } else {
      random ^= random >> 17n;
      random ^= (random << 5n) & MASK64;
    }
    let other = Number(random & BigInt(modulus - 1));
    if (other >= length) other -= length;
    swap(data, idx, a + other);
  }
}

function choosePivot<T>(data: T[], a: number, b: number, less: Less<T>): [number, number] {
  const shortestNinther = 50;
  const maxSwaps = 4 * 3;
  const l = b - a;
  const swaps = { n: 0 };
  let i = a + Math.trunc(l / 4) * 1;
  let j = a + Math.trunc(l / 4) * 2;
  let k = a + Math.trunc(l / 4) * 3;
  if (l >= 8) {
    if (l >= shortestNinther) {
      i = median(data, i - 1, i, i + 1, swaps, less);
      j = median(data, j - 1, j, j + 1, swaps, less);
      k = median(data, k - 1, k, k + 1, swaps, less);
    }
    j = median(data, i, j, k, swaps, less);
  }
  if (swaps.n === 0) return [j, INCREASING];
  if (swaps.n === maxSwaps) return [j, DECREASING];
  return [j, UNKNOWN];
}

function median<T>(data: T[], a: number, b: number, c: number, swaps: { n: number }, less: Less<T>): number {
  // order2 three times: (a, b), (b, c), (a, b), each swapping its pair when the second is less.
  if (less(data[b]!, data[a]!)) {
    swaps.n++;
    [a, b] = [b, a];
  }
  if (less(data[c]!, data[b]!)) {
    swaps.n++;
    [b, c] = [c, b];
  }
  if (less(data[b]!, data[a]!)) {
    swaps.n++;
    [a, b] = [b, a];
  }
  return b;
}

function reverseRange<T>(data: T[], a: number, b: number): void {
  let i = a;
  let j = b - 1;
  while (i < j) {
    swap(data, i, j);
    i++;
    j--;
  }
}
