import type { Labels } from '../model/labels.js';
import { AppendError, type Appender, type AppendErrorCode, type SeriesRef } from '../model/storage.js';
import { floatHi, floatLoOfLast, sameFloatBits } from './chunkenc/float_bits.js';
import { TSDBError } from './errors.js';
import type { Head } from './head.js';
import { SLOT_MASK } from './head_series.js';

/**
 * HeadAppender buffers one transaction in typed arrays (no object per sample) and hands it to the
 * head at commit. append() refuses what can never be stored, checking the series' committed state
 * and, through a per-series mark, the samples this transaction already holds for it.
 */
/**
 * AppendBuffers hold one transaction's samples as parallel arrays. The head pools them: a scrape
 * every few seconds would otherwise allocate and grow fresh arrays each time.
 */
export class AppendBuffers {
  slots: Uint32Array;
  refs: Float64Array;
  ts: Float64Array;
  vs: Float64Array;
  /** labels per sample: only read at commit when a series vanished meanwhile (see Head.commit). */
  labels: Labels[] = [];

  constructor(capacity = 256) {
    this.slots = new Uint32Array(capacity);
    this.refs = new Float64Array(capacity);
    this.ts = new Float64Array(capacity);
    this.vs = new Float64Array(capacity);
  }

  get capacity(): number {
    return this.ts.length;
  }

  grow(): void {
    const cap = this.ts.length * 2;
    const slots = new Uint32Array(cap);
    slots.set(this.slots);
    this.slots = slots;
    const refs = new Float64Array(cap);
    refs.set(this.refs);
    this.refs = refs;
    const ts = new Float64Array(cap);
    ts.set(this.ts);
    this.ts = ts;
    const vs = new Float64Array(cap);
    vs.set(this.vs);
    this.vs = vs;
  }
}

/**
 * HeadAppender buffers one transaction in typed arrays (no object per sample) and hands it to the
 * head at commit. append() refuses what can never be stored, checking the series' committed state
 * and, through a per-series mark, the samples this transaction already holds for it.
 */
export class HeadAppender implements Appender {
  private buf: AppendBuffers | undefined;
  private n = 0;
  private done = false;

  constructor(
    private readonly head: Head,
    private readonly id: number,
    /** minValidTime: samples older than this (ms) are out of bounds. */
    private readonly minValidTime: number,
  ) {}

  append(labels: Labels, t: number, v: number, ref?: SeriesRef): SeriesRef {
    if (this.done) throw new TSDBError('appender_finished', 'append after commit() or rollback()');
    const head = this.head;
    const s = head.series;
    let r = ref ?? 0;
    let slot: number;
    if (r > 0 && s.refOf[(slot = r & SLOT_MASK)] === r) {
      // Known series: no label lookup.
    } else {
      slot = head.getOrCreate(labels);
      r = s.refOf[slot]!;
    }
    if (t < this.minValidTime) this.refuse('out_of_bounds', labels, t);
    if (!Number.isSafeInteger(t)) throw new TSDBError('invalid_timestamp', `timestamp must be an integer number of ms, got ${t}`);
    if (s.txnMark[slot] === this.id) {
      const lt = s.pendT[slot]!;
      if (t <= lt) {
        if (t === lt && sameFloatBits(v, s.pendV[slot]!)) return r;
        this.refuse(t === lt ? 'duplicate_sample_for_timestamp' : 'out_of_order', labels, t);
      }
    } else {
      const lt = s.lastT[slot]!;
      if (t <= lt) {
        if (t === lt && floatHi(v) === s.lastHi[slot] && floatLoOfLast() === s.lastLo[slot]) return r;
        this.refuse(t === lt ? 'duplicate_sample_for_timestamp' : 'out_of_order', labels, t);
      }
      s.txnMark[slot] = this.id;
    }
    s.pendT[slot] = t;
    s.pendV[slot] = v;
    const b = this.buf ?? (this.buf = head.takeAppendBuffers());
    const i = this.n;
    if (i === b.capacity) b.grow();
    b.slots[i] = slot;
    b.refs[i] = r;
    b.ts[i] = t;
    b.vs[i] = v;
    b.labels[i] = labels;
    this.n = i + 1;
    return r;
  }

  commit(): void {
    if (this.done) throw new TSDBError('appender_finished', 'commit after commit() or rollback()');
    this.done = true;
    try {
      const b = this.buf;
      if (b !== undefined && this.n > 0) this.head.commit(b.slots, b.refs, b.ts, b.vs, b.labels, this.n);
    } finally {
      this.finish();
    }
  }

  rollback(): void {
    if (this.done) throw new TSDBError('appender_finished', 'rollback after commit() or rollback()');
    this.done = true;
    this.finish();
  }

  private finish(): void {
    this.head.appenderDone(this.id);
    const b = this.buf;
    if (b !== undefined) {
      b.labels.length = 0;
      this.buf = undefined;
      this.head.releaseAppendBuffers(b);
    }
    this.n = 0;
  }

  private refuse(code: AppendErrorCode, labels: Labels, t: number): never {
    this.head.reject(code);
    throw new AppendError(code, `${MESSAGES[code]}: ${labels.toString()} at ${t}`);
  }
}

const MESSAGES: Record<AppendErrorCode, string> = {
  out_of_order: 'out of order sample',
  out_of_bounds: 'out of bounds: sample older than the retention window',
  duplicate_sample_for_timestamp: 'duplicate sample for timestamp with a different value',
};
