import type { Matcher } from '../model/matcher.js';
import type { Querier, Series } from '../model/storage.js';
import { CHUNK_HEADER_BYTES } from './chunkenc/chunk.js';
import type { Head } from './head.js';
import { type ChunkRefs, HeadSeries } from './head_iterator.js';
import { postingsForMatchers } from './index/select.js';
import { NO_SLOT_CLASS } from './memory/slot_arena.js';

/**
 * HeadQuerier reads the head between mint and maxt (ms, inclusive). Each select() takes its
 * snapshot when called: later commits and retention do not change the series it returned.
 * Series without a sample in the range are left out, and so are their label names and values.
 */
export class HeadQuerier implements Querier {
  constructor(
    private readonly head: Head,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  select(matchers: readonly Matcher[]): Series[] {
    const head = this.head;
    const out: HeadSeries[] = [];
    for (const slot of this.matching(matchers)) {
      const chunks = this.snapshot(slot);
      if (chunks.maxts.length > 0) out.push(new HeadSeries(head.labelsOfSlot(slot), chunks, this.mint, this.maxt));
    }
    out.sort((a, b) => a.labels.compare(b.labels));
    return out;
  }

  labelNames(matchers?: readonly Matcher[]): string[] {
    const head = this.head;
    const names = new Set<string>();
    if (matchers === undefined || matchers.length === 0) {
      for (const name of head.postings.names()) {
        for (const value of head.postings.values(name)) {
          if (this.anyInRange(name, value)) {
            names.add(name);
            break;
          }
        }
      }
    } else {
      for (const slot of this.matching(matchers)) {
        const flat = head.labelsOf[slot]!;
        for (let i = 0; i < flat.length; i += 2) names.add(flat[i]!);
      }
    }
    return [...names].sort();
  }

  labelValues(name: string, matchers?: readonly Matcher[]): string[] {
    const head = this.head;
    const values = new Set<string>();
    if (matchers === undefined || matchers.length === 0) {
      for (const value of head.postings.values(name)) if (this.anyInRange(name, value)) values.add(value);
    } else {
      for (const slot of this.matching(matchers)) {
        const flat = head.labelsOf[slot]!;
        for (let i = 0; i < flat.length; i += 2) {
          if (flat[i] === name) {
            values.add(flat[i + 1]!);
            break;
          }
        }
      }
    }
    return [...values].sort();
  }

  /** matching yields the live slots matching every matcher that have samples in range. */
  private *matching(matchers: readonly Matcher[]): Generator<number> {
    if (this.mint > this.maxt) return;
    const head = this.head;
    const ids = postingsForMatchers(head.postings, matchers, () => head.allIds());
    for (let i = 0; i < ids.length; i++) {
      const slot = ids[i]!;
      if (head.hasSamplesIn(slot, this.mint, this.maxt)) yield slot;
    }
  }

  private anyInRange(name: string, value: string): boolean {
    let found = false;
    this.head.postings.forEachPosting(name, value, (slot) => (found = this.head.hasSamplesIn(slot, this.mint, this.maxt)));
    return found;
  }

  /** snapshot lists the chunks of a slot that overlap the range, with the open chunk's samples as of now. */
  private snapshot(slot: number): ChunkRefs {
    const head = this.head;
    const s = head.series;
    const arena = head.chunks;
    const refs: ChunkRefs = { bufs: [], offs: [], lens: [], maxts: [], open: undefined, decoded: head.decodedChunks };
    for (let id = s.firstChunk[slot]!; id >= 0; id = arena.next[id]!) {
      const cmaxt = arena.maxt[id]!;
      if (cmaxt < this.mint) continue;
      if (arena.mint[id]! > this.maxt) break;
      refs.bufs.push(arena.buffer(id));
      refs.offs.push(arena.offOf[id]!);
      refs.lens.push(arena.lenOf[id]!);
      refs.maxts.push(cmaxt);
    }
    const cls = s.openClass[slot]!;
    if (cls !== NO_SLOT_CLASS && s.lastT[slot]! >= this.mint && s.openMint[slot]! <= this.maxt) {
      const idx = s.openIdx[slot]!;
      const bits = s.openBits[slot]!;
      const len = CHUNK_HEADER_BYTES + ((bits + 7) >>> 3);
      refs.open = head.openDecodes.get(slot, s.refOf[slot]!, s.openMint[slot]!, bits, head.slots.slab(cls, idx), head.slots.offset(cls, idx), len);
      refs.maxts.push(s.lastT[slot]!);
    }
    return refs;
  }
}
