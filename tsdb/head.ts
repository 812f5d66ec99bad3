import { Labels } from '../model/labels.js';
import type { Appendable, Appender, AppendErrorCode, Queryable, Querier } from '../model/storage.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { nopLogger } from '../util/log.js';
import { DecodedChunkCache, OpenChunkDecodes } from './chunkenc/decoded.js';
import { CHUNK_HEADER_BYTES, MAX_SAMPLES_PER_CHUNK, chunkSampleCount } from './chunkenc/chunk.js';
import { floatHi, floatLoOfLast } from './chunkenc/float_bits.js';
import { XorEncoder, XorIterator } from './chunkenc/xor.js';
import { TSDBError } from './errors.js';
import { AppendBuffers, HeadAppender } from './head_appender.js';
import { HeadQuerier } from './head_querier.js';
import { FLAG_LOGGED, FLAG_LOGGING, GEN_UNIT, SeriesTable, genOf, slotOf } from './head_series.js';
import { flatCopy, Interner } from './index/intern.js';
import { MemPostings } from './index/mem_postings.js';
import { ChunkArena } from './memory/chunk_arena.js';
import { NO_SLOT_CLASS, SlotArena } from './memory/slot_arena.js';

/**
 * ChunkSink receives every chunk the head completes, to persist it (chunks_head files). The bytes
 * buf[off, off + len) are only valid during the call.
 */
export interface ChunkSink {
  writeChunk(ref: number, mint: number, maxt: number, buf: Uint8Array, off: number, len: number): void;
}

/**
 * CommitLog writes a transaction to the write-ahead log before the head applies it. `series` are
 * series never logged before (refs and label pairs, interleaved name/value); then every sample i
 * with refs[i] !== 0. It MUST throw if the transaction could not be written; the head then applies
 * nothing.
 */
export interface CommitLog {
  logCommit(
    seriesRefs: readonly number[],
    seriesLabels: readonly (readonly string[])[],
    refs: Float64Array,
    ts: Float64Array,
    vs: Float64Array,
    n: number,
  ): void;
}

/** HeadMetrics receives the head's counts as they happen (telemetry); every method is optional work. */
export interface HeadMetrics {
  samplesAppended(n: number): void;
  samplesRejected(reason: AppendErrorCode, n: number): void;
}

/** HeadOptions configure an in-memory head. */
export interface HeadOptions {
  /** retentionMs: samples older than now - retentionMs are refused (out_of_bounds) and dropped by truncate(). */
  retentionMs: number;
  clock: Clock;
  logger?: Logger;
  chunkSink?: ChunkSink;
  commitLog?: CommitLog;
  metrics?: HeadMetrics;
  /** completedSlabBytes is the slab size for completed chunks (default 1 MiB). */
  completedSlabBytes?: number;
}

/** Appenders' buffers kept for reuse: a few scrape loops' worth, up to 1M samples each. */
const MAX_POOLED_BUFFERS = 8;
const MAX_POOLED_CAPACITY = 1 << 20;

/** TruncateResult says what truncate() dropped. */
export interface TruncateResult {
  chunksRemoved: number;
  samplesRemoved: number;
  seriesRemoved: number;
}

/** AppendOutcome of Head.appendCommitted: 0 appended, 1 same sample already there, or a refusal. */
export type AppendOutcome = 0 | 1 | AppendErrorCode;

/**
 * Head is the in-memory part of the store: every series with its completed chunks and one open
 * chunk, the label index, and the counters. It implements Appendable and Queryable by itself (no
 * persistence); the DB adds the WAL, chunk files and timers around it.
 *
 * Concurrency: JavaScript runs one thing at a time, so a commit is atomic with respect to queries
 * and retention. Queriers copy what they need at select() time (see HeadQuerier).
 */
export class Head implements Appendable, Queryable {
  readonly series = new SeriesTable();
  readonly postings = new MemPostings();
  readonly chunks: ChunkArena;
  readonly slots = new SlotArena();
  /** decodedChunks: completed chunks queries read recently, decoded (a read cache; see HeadQuerier). */
  readonly decodedChunks = new DecodedChunkCache();
  /** openDecodes: the latest decode of each open chunk queries read (a read cache; see HeadQuerier). */
  readonly openDecodes = new OpenChunkDecodes();
  /** byKey maps a label set's key (a flat copy) to its slot. */
  private readonly byKey = new Map<string, number>();
  private readonly interner = new Interner();
  /** labelsOf holds each live series' interned label pairs (interleaved name, value). */
  readonly labelsOf: (readonly string[] | undefined)[] = [];
  /** usedGen[slot] is 1 + the highest generation ever seen in the slot (0: never used). */
  private usedGen = new Uint32Array(1024);
  private readonly enc = new XorEncoder();

  readonly retentionMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  chunkSink: ChunkSink | undefined;
  commitLog: CommitLog | undefined;
  metrics: HeadMetrics | undefined;

  /** Samples held in memory (completed and open chunks). */
  numSamples = 0;
  /** Samples committed since the head was created (replay excluded). */
  samplesAppended = 0;
  readonly rejected: Record<AppendErrorCode, number> = { out_of_order: 0, out_of_bounds: 0, duplicate_sample_for_timestamp: 0 };

  private nextAppenderId = 1;
  private readonly openAppenders = new Set<number>();
  private readonly bufferPool: AppendBuffers[] = [];

  constructor(options: HeadOptions) {
    if (!(options.retentionMs > 0)) throw new TSDBError('invalid_option', `retentionMs must be > 0, got ${options.retentionMs}`);
    this.retentionMs = options.retentionMs;
    this.clock = options.clock;
    this.logger = options.logger ?? nopLogger;
    this.chunkSink = options.chunkSink;
    this.commitLog = options.commitLog;
    this.metrics = options.metrics;
    this.chunks = new ChunkArena(options.completedSlabBytes);
  }

  appender(): Appender {
    const id = this.nextAppenderId;
    this.nextAppenderId = id === 0xffffffff ? 1 : id + 1;
    this.openAppenders.add(id);
    return new HeadAppender(this, id, this.minValidTime());
  }

  querier(mint: number, maxt: number): Querier {
    return new HeadQuerier(this, mint, maxt);
  }

  /** minValidTime is the oldest timestamp (ms) the head accepts now. */
  minValidTime(): number {
    return this.clock.now() - this.retentionMs;
  }

  /** numSeries is the number of live series. */
  get numSeries(): number {
    return this.series.live;
  }

  /** @internal appenderDone forgets a finished appender (its series may be garbage collected again). */
  appenderDone(id: number): void {
    this.openAppenders.delete(id);
  }

  /** @internal takeAppendBuffers hands an appender pooled buffers. */
  takeAppendBuffers(): AppendBuffers {
    return this.bufferPool.pop() ?? new AppendBuffers();
  }

  /** @internal releaseAppendBuffers returns buffers; a few are kept, and none of a giant transaction. */
  releaseAppendBuffers(b: AppendBuffers): void {
    if (this.bufferPool.length < MAX_POOLED_BUFFERS && b.capacity <= MAX_POOLED_CAPACITY) this.bufferPool.push(b);
  }

  /** @internal reject counts one refused sample. */
  reject(reason: AppendErrorCode, n = 1): void {
    this.rejected[reason] += n;
    this.metrics?.samplesRejected(reason, n);
  }

  /** lookup returns the slot of a label set, or -1. */
  lookup(labels: Labels): number {
    return this.byKey.get(labels.key) ?? -1;
  }

  /** getOrCreate returns the slot of a label set, creating the series when it is new. */
  getOrCreate(labels: Labels): number {
    const key = labels.key;
    const slot = this.byKey.get(key);
    if (slot !== undefined) return slot;
    if (labels.size === 0) throw new TSDBError('empty_labels', 'a sample needs at least one label (a metric name)');
    return this.createSeries(labels.toFlat(), key, 0);
  }

  /**
   * @internal createSeries adds a series. With ref 0 it takes a free slot and the next generation
   * for it; with a ref (replay) it takes exactly that slot, which MUST be free.
   */
  createSeries(flatIn: readonly string[], key: string, ref: number): number {
    const s = this.series;
    let slot: number;
    if (ref === 0) {
      slot = s.allocSlot();
      this.ensureGenCapacity(slot);
      ref = (this.usedGen[slot] ?? 0) * GEN_UNIT + slot;
    } else {
      slot = slotOf(ref);
      s.claimSlot(slot);
    }
    this.noteRef(ref);
    const flat = new Array<string>(flatIn.length);
    for (let i = 0; i < flatIn.length; i++) flat[i] = this.interner.intern(flatIn[i]!);
    s.refOf[slot] = ref;
    s.gen[slot] = genOf(ref);
    this.labelsOf[slot] = flat;
    this.byKey.set(flatCopy(key), slot);
    this.postings.add(slot, flat);
    return slot;
  }

  /** @internal noteRef records that `ref` exists (or existed) so its slot never hands it out again. */
  noteRef(ref: number): void {
    const slot = slotOf(ref);
    this.ensureGenCapacity(slot);
    const g = genOf(ref) + 1;
    if (g > this.usedGen[slot]!) this.usedGen[slot] = g;
  }

  private ensureGenCapacity(slot: number): void {
    if (slot < this.usedGen.length) return;
    let n = this.usedGen.length;
    while (n <= slot) n *= 2;
    const next = new Uint32Array(n);
    next.set(this.usedGen);
    this.usedGen = next;
  }

  /** labelsOfSlot builds a Labels for a live slot (a new object sharing the interned pairs). */
  labelsOfSlot(slot: number): Labels {
    return Labels.fromSorted(this.labelsOf[slot]!);
  }

  /**
   * @internal commit applies a finished transaction: resolves stale refs, drops samples a
   * concurrent commit made impossible, logs the rest (new series first), then applies them.
   */
  commit(slots: Uint32Array, refs: Float64Array, ts: Float64Array, vs: Float64Array, labels: readonly Labels[], n: number): void {
    const s = this.series;
    const newRefs: number[] = [];
    const newLabels: (readonly string[])[] = [];
    const newSlots: number[] = [];
    for (let i = 0; i < n; i++) {
      let slot = slots[i]!;
      if (s.refOf[slot] !== refs[i]) {
        // The series was dropped by retention while the transaction was open: recreate it.
        slot = this.getOrCreate(labels[i]!);
        slots[i] = slot;
        refs[i] = s.refOf[slot]!;
      }
      const t = ts[i]!;
      const lt = s.lastT[slot]!;
      if (t <= lt) {
        const v = vs[i]!;
        // The same sample again is not an error (a retried scrape); anything else is refused.
        if (t !== lt || floatHi(v) !== s.lastHi[slot] || floatLoOfLast() !== s.lastLo[slot]) {
          this.reject(t === lt ? 'duplicate_sample_for_timestamp' : 'out_of_order');
        }
        refs[i] = 0;
        continue;
      }
      if ((s.flags[slot]! & (FLAG_LOGGED | FLAG_LOGGING)) === 0) {
        s.flags[slot]! |= FLAG_LOGGING;
        newSlots.push(slot);
        newRefs.push(s.refOf[slot]!);
        newLabels.push(this.labelsOf[slot]!);
      }
    }
    if (this.commitLog !== undefined) {
      try {
        this.commitLog.logCommit(newRefs, newLabels, refs, ts, vs, n);
      } catch (err) {
        for (const slot of newSlots) s.flags[slot]! &= ~FLAG_LOGGING;
        if (err instanceof TSDBError) throw err;
        throw new TSDBError('wal_write', `write-ahead log write failed; transaction not applied: ${(err as Error).message}`, { cause: err });
      }
    }
    for (const slot of newSlots) s.flags[slot] = (s.flags[slot]! & ~FLAG_LOGGING) | FLAG_LOGGED;
    let appended = 0;
    for (let i = 0; i < n; i++) {
      if (refs[i] === 0) continue;
      if (this.appendCommitted(slots[i]!, ts[i]!, vs[i]!) === 0) appended++;
    }
    if (appended > 0) {
      this.samplesAppended += appended;
      this.metrics?.samplesAppended(appended);
    }
  }

  /**
   * @internal appendCommitted adds one sample to a series' open chunk, cutting a new chunk when it
   * is full. It re-checks order (a stolen in-transaction check, or replay of overlapping data).
   */
  appendCommitted(slot: number, t: number, v: number): AppendOutcome {
    const s = this.series;
    const lt = s.lastT[slot]!;
    const hi = floatHi(v);
    const lo = floatLoOfLast();
    if (t <= lt) {
      if (t === lt) return hi === s.lastHi[slot] && lo === s.lastLo[slot] ? 1 : 'duplicate_sample_for_timestamp';
      return 'out_of_order';
    }
    const enc = this.enc;
    const slots = this.slots;
    let cls = s.openClass[slot]!;
    if (cls === NO_SLOT_CLASS) {
      const idx = slots.alloc(0);
      cls = 0;
      s.openClass[slot] = 0;
      s.openIdx[slot] = idx;
      s.openMint[slot] = t;
      enc.reset(slots.slab(0, idx), slots.offset(0, idx));
    } else {
      const idx = s.openIdx[slot]!;
      enc.buf = slots.slab(cls, idx);
      enc.base = slots.offset(cls, idx);
      enc.bits = s.openBits[slot]!;
      enc.count = s.openCount[slot]!;
      enc.t = lt;
      enc.tDelta = s.tDelta[slot]!;
      enc.vHi = s.lastHi[slot]!;
      enc.vLo = s.lastLo[slot]!;
      enc.leading = s.leading[slot]!;
      enc.trailing = s.trailing[slot]!;
      const need = enc.bytesNeeded();
      if (need > slots.size(cls)) {
        const ncls = slots.classFor(need);
        const nidx = slots.alloc(ncls);
        const nbuf = slots.slab(ncls, nidx);
        const nbase = slots.offset(ncls, nidx);
        nbuf.set(enc.buf.subarray(enc.base, enc.base + enc.byteLength()), nbase);
        slots.free(cls, idx);
        s.openClass[slot] = ncls;
        s.openIdx[slot] = nidx;
        enc.buf = nbuf;
        enc.base = nbase;
      }
    }
    enc.append(t, v);
    s.openBits[slot] = enc.bits;
    s.openCount[slot] = enc.count;
    s.tDelta[slot] = enc.tDelta;
    s.leading[slot] = enc.leading;
    s.trailing[slot] = enc.trailing;
    s.lastT[slot] = t;
    s.lastHi[slot] = hi;
    s.lastLo[slot] = lo;
    this.numSamples++;
    if (enc.count >= MAX_SAMPLES_PER_CHUNK) this.completeOpenChunk(slot);
    return 0;
  }

  /** completeOpenChunk moves a series' open chunk into the completed-chunk arena and persists it. */
  private completeOpenChunk(slot: number): void {
    const s = this.series;
    const cls = s.openClass[slot]!;
    const idx = s.openIdx[slot]!;
    const buf = this.slots.slab(cls, idx);
    const off = this.slots.offset(cls, idx);
    const len = CHUNK_HEADER_BYTES + ((s.openBits[slot]! + 7) >>> 3);
    const mint = s.openMint[slot]!;
    const maxt = s.lastT[slot]!;
    const id = this.chunks.add(buf, off, len, mint, maxt);
    this.linkChunk(slot, id);
    this.chunkSink?.writeChunk(s.refOf[slot]!, mint, maxt, buf, off, len);
    this.slots.free(cls, idx);
    s.openClass[slot] = NO_SLOT_CLASS;
    s.openCount[slot] = 0;
    s.openBits[slot] = 0;
  }

  /** @internal linkChunk appends completed chunk `id` to a series' chunk list. */
  linkChunk(slot: number, id: number): void {
    const s = this.series;
    const last = s.lastChunk[slot]!;
    if (last < 0) s.firstChunk[slot] = id;
    else this.chunks.next[last] = id;
    s.lastChunk[slot] = id;
  }

  /**
   * @internal attachChunks gives a series (with no samples yet) its completed chunks, oldest first,
   * linked through ChunkArena.next, and takes its last sample from the newest. Replay uses it.
   */
  attachChunks(slot: number, first: number): void {
    const s = this.series;
    const chunks = this.chunks;
    let id = first;
    let last = -1;
    while (id >= 0) {
      const next = chunks.next[id]!;
      chunks.next[id] = -1;
      this.linkChunk(slot, id);
      this.numSamples += chunkSampleCount(chunks.buffer(id), chunks.offOf[id]!);
      last = id;
      id = next;
    }
    if (last < 0) return;
    const it = new XorIterator();
    it.reset(chunks.buffer(last), chunks.offOf[last]!, chunks.lenOf[last]!);
    let t = -Infinity;
    let v = 0;
    while (it.next()) {
      t = it.t;
      v = it.v;
    }
    s.lastT[slot] = t;
    s.lastHi[slot] = floatHi(v);
    s.lastLo[slot] = floatLoOfLast();
  }

  /** seriesMinTime is the oldest sample time of a slot, +Infinity when it has none. */
  seriesMinTime(slot: number): number {
    const s = this.series;
    const first = s.firstChunk[slot]!;
    if (first >= 0) return this.chunks.mint[first]!;
    return s.openClass[slot] !== NO_SLOT_CLASS ? s.openMint[slot]! : Infinity;
  }

  /** hasSamplesIn says whether a live slot has a sample in [mint, maxt] by its chunk bounds. */
  hasSamplesIn(slot: number, mint: number, maxt: number): boolean {
    const last = this.series.lastT[slot]!;
    if (last < mint) return false;
    return this.seriesMinTime(slot) <= maxt;
  }

  /** allIds returns every live slot, sorted. */
  allIds(): Uint32Array {
    const s = this.series;
    const out = new Uint32Array(s.live);
    let n = 0;
    for (let slot = 1; slot < s.count; slot++) if (s.refOf[slot] !== 0) out[n++] = slot;
    return out.subarray(0, n);
  }

  /**
   * truncate drops completed chunks whose maxt < cutoff, open chunks whose newest sample is older
   * than cutoff, and then series left with no samples (unless an open appender holds them).
   */
  truncate(cutoff: number): TruncateResult {
    const s = this.series;
    const chunks = this.chunks;
    let chunksRemoved = 0;
    let samplesRemoved = 0;
    const doomed: number[] = [];
    for (let slot = 1; slot < s.count; slot++) {
      if (s.refOf[slot] === 0) continue;
      let id = s.firstChunk[slot]!;
      while (id >= 0 && chunks.maxt[id]! < cutoff) {
        const next = chunks.next[id]!;
        samplesRemoved += chunkSampleCount(chunks.buffer(id), chunks.offOf[id]!);
        chunks.free(id);
        chunksRemoved++;
        id = next;
      }
      s.firstChunk[slot] = id;
      if (id < 0) s.lastChunk[slot] = -1;
      const cls = s.openClass[slot]!;
      if (cls !== NO_SLOT_CLASS && s.lastT[slot]! < cutoff) {
        samplesRemoved += s.openCount[slot]!;
        this.slots.free(cls, s.openIdx[slot]!);
        s.openClass[slot] = NO_SLOT_CLASS;
        s.openCount[slot] = 0;
        s.openBits[slot] = 0;
        chunksRemoved++;
      }
      if (id < 0 && s.openClass[slot] === NO_SLOT_CLASS && !this.openAppenders.has(s.txnMark[slot]!)) doomed.push(slot);
    }
    this.numSamples -= samplesRemoved;
    if (doomed.length > 0) this.removeSeries(doomed);
    return { chunksRemoved, samplesRemoved, seriesRemoved: doomed.length };
  }

  /** removeSeries forgets series that hold no samples: index, key, strings, slot. */
  private removeSeries(slots: readonly number[]): void {
    const s = this.series;
    const mark = new Uint8Array(s.count);
    const labelSets: (readonly string[])[] = [];
    for (const slot of slots) {
      mark[slot] = 1;
      labelSets.push(this.labelsOf[slot]!);
    }
    this.postings.removeAll(labelSets, (id) => mark[id] === 1);
    for (const slot of slots) {
      const flat = this.labelsOf[slot]!;
      this.byKey.delete(Labels.fromSorted(flat).key);
      for (const str of flat) this.interner.release(str);
      this.labelsOf[slot] = undefined;
      s.freeSlot(slot);
    }
  }

  /** @internal forget drops one series outright, samples and all (replay: superseded by a newer ref). */
  forget(slot: number): void {
    const s = this.series;
    let id = s.firstChunk[slot]!;
    while (id >= 0) {
      const next = this.chunks.next[id]!;
      this.numSamples -= chunkSampleCount(this.chunks.buffer(id), this.chunks.offOf[id]!);
      this.chunks.free(id);
      id = next;
    }
    s.firstChunk[slot] = -1;
    s.lastChunk[slot] = -1;
    const cls = s.openClass[slot]!;
    if (cls !== NO_SLOT_CLASS) {
      this.numSamples -= s.openCount[slot]!;
      this.slots.free(cls, s.openIdx[slot]!);
      s.openClass[slot] = NO_SLOT_CLASS;
    }
    this.removeSeries([slot]);
  }

  /** @internal finishReplay makes unused slots allocatable and marks every series as logged. */
  finishReplay(): void {
    const s = this.series;
    s.rebuildFreeList();
    for (let slot = 1; slot < s.count; slot++) if (s.refOf[slot] !== 0) s.flags[slot]! |= FLAG_LOGGED;
  }

  /** @internal interned strings count (stats). */
  get internedStrings(): number {
    return this.interner.size;
  }
}
