import { grown, U32Stack } from '../memory/typed.js';

/**
 * Interner keeps one copy of each distinct label name and value held by the store, counted so
 * that strings of deleted series go away.
 *
 * On a miss the string is copied into a fresh flat string: a label value parsed from a scrape body
 * is often a V8 SlicedString that would keep the whole body alive, or a ConsString of pieces.
 */
export class Interner {
  private readonly index = new Map<string, number>();
  private strings: (string | undefined)[] = [];
  private refs = new Uint32Array(256);
  private readonly freeIds = new U32Stack();

  get size(): number {
    return this.index.size;
  }

  /** intern returns the store's copy of `s` and counts one more holder. */
  intern(s: string): string {
    const id = this.index.get(s);
    if (id !== undefined) {
      this.refs[id]!++;
      return this.strings[id]!;
    }
    const copy = flatCopy(s);
    let nid = this.freeIds.pop();
    if (nid < 0) {
      nid = this.strings.length;
      this.strings.push(undefined);
      if (nid >= this.refs.length) this.refs = grown(this.refs, this.refs.length * 2);
    }
    this.strings[nid] = copy;
    this.refs[nid] = 1;
    this.index.set(copy, nid);
    return copy;
  }

  /** release drops one holder of `s`; the last release forgets it. */
  release(s: string): void {
    const id = this.index.get(s);
    if (id === undefined) return;
    if (--this.refs[id]! === 0) {
      this.index.delete(s);
      this.strings[id] = undefined;
      this.freeIds.push(id);
    }
  }
}

/** flatCopy returns a sequential (flat, unshared) copy of s. */
export function flatCopy(s: string): string {
  if (s.length === 0) return '';
  return Buffer.from(s, 'utf8').toString('utf8');
}
