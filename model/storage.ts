import type { Labels } from './labels.js';
import type { Matcher } from './matcher.js';

/**
 * SeriesRef is a store's integer id for a series. 0 means "unknown": pass it when no earlier
 * append returned a ref for these labels.
 */
export type SeriesRef = number;

/**
 * Appender collects samples for one transaction. Nothing is visible to readers, and nothing is
 * written to the write-ahead log, until commit(); rollback() discards everything appended.
 *
 * Timestamps are integer milliseconds since the epoch; values are float64 and may be the staleness
 * marker (model/value.ts). An Appender is used by one caller and is finished by exactly one call
 * to commit() or rollback(); after that it MUST NOT be used again.
 */
export interface Appender {
  /**
   * append adds one sample and returns the series' ref, which the caller MAY pass back with the
   * same labels in later appends to skip the label lookup. `labels` MUST be valid (a metric name,
   * no empty values). It throws AppendError when the sample can never be stored (out of order,
   * too old, or a different value at an existing timestamp); the transaction stays usable.
   */
  append(labels: Labels, t: number, v: number, ref?: SeriesRef): SeriesRef;
  /** commit makes every appended sample durable in the log buffer and visible to readers. */
  commit(): void;
  /** rollback discards every appended sample. */
  rollback(): void;
}

/** AppendErrorCode names why a single sample was refused. */
export type AppendErrorCode = 'out_of_order' | 'out_of_bounds' | 'duplicate_sample_for_timestamp';

/** AppendError refuses one sample; the rest of the transaction is unaffected. */
export class AppendError extends Error {
  constructor(
    readonly code: AppendErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppendError';
  }
}

/** Appendable hands out appenders; the store and every limit decorator implement it. */
export interface Appendable {
  appender(): Appender;
}

/**
 * SampleIterator walks one series' samples in increasing timestamp order. It is positioned before
 * the first sample until next() or seek() returns true; `t` and `v` are then the current sample.
 */
export interface SampleIterator {
  /** next moves to the next sample; false when there are no more. */
  next(): boolean;
  /** seek moves to the first sample with timestamp >= t (never backwards); false when none. */
  seek(t: number): boolean;
  readonly t: number;
  readonly v: number;
}

/**
 * BatchSampleIterator is a SampleIterator that can also copy its samples out a run at a time, which
 * a store that holds them decoded (tsdb's head) does far faster than one next() per sample.
 * readInto writes the following samples to ts[from...] and vs[from...] until the arrays are full
 * or the samples end, moves past them, and returns the index after the last one written (`from`
 * when there are none left). The engine's series loading uses it when an iterator has it.
 */
export interface BatchSampleIterator extends SampleIterator {
  readInto(ts: Float64Array, vs: Float64Array, from: number): number;
}

/** Series is one label set and its samples within the querier's time range. */
export interface Series {
  readonly labels: Labels;
  /** samples returns a fresh iterator over samples with mint <= t <= maxt (the querier's bounds). */
  samples(): SampleIterator;
}

/**
 * Querier reads a consistent view of a store between mint and maxt, inclusive, in ms. Series are
 * returned sorted by labels. A series with no sample in the range MAY be omitted.
 */
export interface Querier {
  select(matchers: readonly Matcher[]): Series[];
  /** labelNames returns the sorted label names of the series that match all matchers (all series if none). */
  labelNames(matchers?: readonly Matcher[]): string[];
  /** labelValues returns the sorted values of `name` among series that match all matchers. */
  labelValues(name: string, matchers?: readonly Matcher[]): string[];
}

/** Queryable opens queriers; the embedded store implements it, and so can a remote API client. */
export interface Queryable {
  querier(mint: number, maxt: number): Querier;
}
