/**
 * closest is the choice within edit distance 2 of `value`, compared case-insensitively, for
 * "did you mean" hints on misspelt keys and enum values. An exact match needs no hint: undefined.
 */
export function closest(value: string, choices: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  const lower = value.toLowerCase();
  for (const c of choices) {
    if (c === value) return undefined;
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** editDistance is the Levenshtein distance between a and b, one row at a time. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
