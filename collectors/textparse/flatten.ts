/**
 * flattenString returns a string equal to `s` that shares no memory with any larger string.
 *
 * V8 represents a substring of 13 or more UTF-16 code units as a SlicedString: a pointer into its
 * parent, which then stays alive as long as the slice does. A scrape cache or series index that
 * keeps a label value cut from a 1 MB body would keep the whole body. Concatenation builds a
 * ConsString of the two halves, and reading a character from it makes V8 flatten it into a new
 * sequential string; the halves (and through them the parent) are then unreferenced.
 * Shorter strings are already copies.
 */
export function flattenString(s: string): string {
  if (s.length < 13) return s;
  const copy = s.slice(0, 1) + s.slice(1);
  copy.charCodeAt(0);
  return copy;
}
