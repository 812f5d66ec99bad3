import { grown } from '../memory/typed.js';
import { EMPTY_POSTINGS } from './postings.js';

/**
 * PostingsList is a growable list of series ids; it is sorted lazily, on the first read after an
 * append of an id smaller than the last (a reused slot).
 */
class PostingsList {
  ids: Uint32Array;
  len: number;
  sorted = true;

  constructor(a: number, b: number) {
    this.ids = new Uint32Array(4);
    this.ids[0] = a;
    this.ids[1] = b;
    this.len = 2;
    this.sorted = a < b;
  }

  push(id: number): void {
    if (this.len === this.ids.length) this.ids = grown(this.ids, this.len * 2);
    if (id < this.ids[this.len - 1]!) this.sorted = false;
    this.ids[this.len++] = id;
  }

  view(): Uint32Array {
    if (!this.sorted) {
      this.ids.subarray(0, this.len).sort();
      this.sorted = true;
    }
    return this.ids.subarray(0, this.len);
  }
}

/**
 * An entry is one series id held as a plain number (most label values of a large fleet, such as a
 * pod name, belong to few series: a list object each would cost more than the series' samples), or
 * a PostingsList.
 */
type Entry = number | PostingsList;

/**
 * MemPostings is the inverted index of the head: label name -> label value -> ids of the series
 * with that pair. Names and values are the interned strings the series hold.
 */
export class MemPostings {
  private readonly byName = new Map<string, Map<string, Entry>>();

  /** add indexes series `id` under every pair of `flat` (interleaved name, value). */
  add(id: number, flat: readonly string[]): void {
    for (let i = 0; i < flat.length; i += 2) {
      const name = flat[i]!;
      const value = flat[i + 1]!;
      let values = this.byName.get(name);
      if (values === undefined) {
        values = new Map();
        this.byName.set(name, values);
      }
      const e = values.get(value);
      if (e === undefined) values.set(value, id);
      else if (typeof e === 'number') values.set(value, new PostingsList(e, id));
      else e.push(id);
    }
  }

  /**
   * removeAll drops the series whose ids `isDeleted` accepts; `labelSets` are their label sets.
   * Each touched list is filtered once, so dropping many series from one large list stays linear.
   */
  removeAll(labelSets: readonly (readonly string[])[], isDeleted: (id: number) => boolean): void {
    const touched = new Map<PostingsList, [Map<string, Entry>, string, string]>();
    for (const flat of labelSets) {
      for (let i = 0; i < flat.length; i += 2) {
        const name = flat[i]!;
        const value = flat[i + 1]!;
        const values = this.byName.get(name);
        const e = values?.get(value);
        if (values === undefined || e === undefined) continue;
        if (typeof e === 'number') {
          if (isDeleted(e)) {
            values.delete(value);
            if (values.size === 0) this.byName.delete(name);
          }
        } else touched.set(e, [values, name, value]);
      }
    }
    for (const [list, [values, name, value]] of touched) {
      let n = 0;
      const ids = list.ids;
      for (let i = 0; i < list.len; i++) if (!isDeleted(ids[i]!)) ids[n++] = ids[i]!;
      list.len = n;
      if (n === 0) values.delete(value);
      else if (n === 1) values.set(value, ids[0]!);
      else if (n * 4 < ids.length && ids.length > 16) list.ids = ids.slice(0, n * 2);
      if (values.size === 0) this.byName.delete(name);
    }
  }

  /** get returns the sorted ids of series with name=value (a view: do not modify or keep it across writes). */
  get(name: string, value: string): Uint32Array {
    const e = this.byName.get(name)?.get(value);
    if (e === undefined) return EMPTY_POSTINGS;
    if (typeof e === 'number') return Uint32Array.of(e);
    return e.view();
  }

  /** names returns every indexed label name, unsorted. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** values returns the values indexed under `name`, unsorted. */
  values(name: string): string[] {
    const values = this.byName.get(name);
    return values === undefined ? [] : [...values.keys()];
  }

  /** valueCount is the number of distinct values of `name`. */
  valueCount(name: string): number {
    return this.byName.get(name)?.size ?? 0;
  }

  /** seriesCount is the number of series indexed under name=value. */
  seriesCount(name: string, value: string): number {
    const e = this.byName.get(name)?.get(value);
    return e === undefined ? 0 : typeof e === 'number' ? 1 : e.len;
  }

  /** forEachPosting calls fn for every series id with name=value, in no particular order. */
  forEachPosting(name: string, value: string, fn: (id: number) => boolean | void): void {
    const e = this.byName.get(name)?.get(value);
    if (e === undefined) return;
    if (typeof e === 'number') {
      fn(e);
      return;
    }
    for (let i = 0; i < e.len; i++) if (fn(e.ids[i]!) === true) return;
  }
}
