import type { Labels } from '../model/labels.js';
import { NO_SLOT_CLASS } from './memory/slot_arena.js';
import { grown, U32Stack } from './memory/typed.js';

/**
 * Series refs. A ref names a slot of the series table and the generation of the series in it:
 * ref = gen * 2^SLOT_BITS + slot. Slots are reused after a series is dropped; a ref handed out for
 * an earlier occupant then no longer matches `refOf[slot]`, so a stale ref held by a scrape cache
 * falls back to a label lookup instead of writing into another series. Refs are also what the WAL,
 * checkpoints and chunk files store, so they are kept across restarts (see Head.genFloor).
 */
export const SLOT_BITS = 28;
export const SLOT_MASK = (1 << SLOT_BITS) - 1;
export const GEN_UNIT = 2 ** SLOT_BITS;

/** slotOf returns the slot of a ref (any safe integer: `&` takes it modulo 2^32 exactly). */
export function slotOf(ref: number): number {
  return ref & SLOT_MASK;
}

export function genOf(ref: number): number {
  return Math.floor(ref / GEN_UNIT);
}

/** Flag bits in SeriesTable.flags. */
/** FLAG_LOGGED: the series record is in the WAL (or the checkpoint); samples may refer to it. */
export const FLAG_LOGGED = 1;
/** FLAG_LOGGING: the series record is part of the commit being written. */
export const FLAG_LOGGING = 2;

/**
 * SeriesTable is the head's per-series state as a struct of arrays indexed by slot, so 100k
 * series cost a few dozen typed arrays rather than 100k objects. A slot is live when refOf[slot]
 * is not 0. Fields are public for the head's hot paths; only the head writes them.
 */
export class SeriesTable {
  capacity = 0;
  /** count is one past the highest slot ever used. */
  count = 0;
  /** refOf is the ref of the series in the slot, 0 when the slot is free. */
  refOf = new Float64Array(0);
  /** gen is the generation of the slot's current or last occupant. */
  gen = new Uint32Array(0);
  labels: (Labels | undefined)[] = [];
  flags = new Uint8Array(0);
  /** firstChunk, lastChunk: ids in the ChunkArena of the oldest and newest completed chunk, or -1. */
  firstChunk = new Int32Array(0);
  lastChunk = new Int32Array(0);
  /** Open chunk: slot class (NO_SLOT_CLASS when none) and index in the SlotArena. */
  openClass = new Uint8Array(0);
  openIdx = new Uint32Array(0);
  /** Open chunk encoder state (see XorEncoder). */
  openBits = new Uint32Array(0);
  openCount = new Uint16Array(0);
  openMint = new Float64Array(0);
  tDelta = new Float64Array(0);
  leading = new Uint8Array(0);
  trailing = new Uint8Array(0);
  /** lastT, lastHi, lastLo: the newest committed sample (-Infinity when none). */
  lastT = new Float64Array(0);
  lastHi = new Uint32Array(0);
  lastLo = new Uint32Array(0);
  /** txnMark: the id of the appender that last buffered a sample; pendT/pendV: that sample. */
  txnMark = new Uint32Array(0);
  pendT = new Float64Array(0);
  pendV = new Float64Array(0);

  private readonly freeSlots = new U32Stack();
  live = 0;

  constructor(initialCapacity = 1024) {
    this.grow(initialCapacity);
  }

  /** allocSlot returns a free slot (its fields reset); the caller sets refOf, gen and labels. */
  allocSlot(): number {
    let slot = this.freeSlots.pop();
    if (slot < 0) {
      // Slot 0 is never used, so ref 0 can mean "unknown" whatever the generation.
      if (this.count === 0) this.count = 1;
      slot = this.count++;
      if (slot >= this.capacity) this.grow(Math.max(this.capacity * 2, slot + 1));
    }
    this.resetSlot(slot);
    this.live++;
    return slot;
  }

  /**
   * claimSlot takes a specific free slot (replay restores refs as written). Replay only claims,
   * never allocates; rebuildFreeList() MUST follow before the next allocSlot.
   */
  claimSlot(slot: number): void {
    if (slot >= this.capacity) this.grow(Math.max(this.capacity * 2, slot + 1));
    if (slot >= this.count) this.count = slot + 1;
    this.resetSlot(slot);
    this.live++;
  }

  /** rebuildFreeList makes every unused slot below count allocatable again (after replay). */
  rebuildFreeList(): void {
    this.freeSlots.clear();
    for (let s = this.count - 1; s >= 1; s--) if (this.refOf[s] === 0) this.freeSlots.push(s);
  }

  freeSlot(slot: number): void {
    this.refOf[slot] = 0;
    this.labels[slot] = undefined;
    this.freeSlots.push(slot);
    this.live--;
  }

  private resetSlot(slot: number): void {
    this.flags[slot] = 0;
    this.firstChunk[slot] = -1;
    this.lastChunk[slot] = -1;
    this.openClass[slot] = NO_SLOT_CLASS;
    this.openIdx[slot] = 0;
    this.openBits[slot] = 0;
    this.openCount[slot] = 0;
    this.openMint[slot] = 0;
    this.tDelta[slot] = 0;
    this.leading[slot] = 0xff;
    this.trailing[slot] = 0;
    this.lastT[slot] = -Infinity;
    this.lastHi[slot] = 0;
    this.lastLo[slot] = 0;
    this.txnMark[slot] = 0;
  }

  private grow(capacity: number): void {
    this.capacity = capacity;
    this.refOf = grown(this.refOf, capacity);
    this.gen = grown(this.gen, capacity);
    this.flags = grown(this.flags, capacity);
    this.firstChunk = grown(this.firstChunk, capacity, -1);
    this.lastChunk = grown(this.lastChunk, capacity, -1);
    this.openClass = grown(this.openClass, capacity, NO_SLOT_CLASS);
    this.openIdx = grown(this.openIdx, capacity);
    this.openBits = grown(this.openBits, capacity);
    this.openCount = grown(this.openCount, capacity);
    this.openMint = grown(this.openMint, capacity);
    this.tDelta = grown(this.tDelta, capacity);
    this.leading = grown(this.leading, capacity, 0xff);
    this.trailing = grown(this.trailing, capacity);
    this.lastT = grown(this.lastT, capacity, -Infinity);
    this.lastHi = grown(this.lastHi, capacity);
    this.lastLo = grown(this.lastLo, capacity);
    this.txnMark = grown(this.txnMark, capacity);
    this.pendT = grown(this.pendT, capacity);
    this.pendV = grown(this.pendV, capacity);
  }
}
