import type { Labels } from '../../model/labels.js';

/** MetricType is a family's declared type; the text format's untyped is `unknown` here, as in OpenMetrics. */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'unknown';

/** EntryKind is what Parser.next() found. */
export type EntryKind = 'series' | 'type' | 'help' | 'unit' | 'comment';

/** Exemplar is an OpenMetrics exemplar attached to a sample. Timestamp in ms, when present. */
export interface Exemplar {
  readonly labels: Labels;
  readonly value: number;
  readonly timestamp?: number;
}

/**
 * Parser is a pull iterator over one exposition body (Prometheus text 0.0.4 or OpenMetrics 1.0).
 * It allocates nothing per sample beyond the strings it must return: accessors read the current
 * entry, and the values they return are valid until the next call to next().
 *
 * next() returns the kind of the next entry, or null at the end of the body. It throws ParseError
 * (with 1-based line and column) at the first thing Prometheus would reject; after that the parser
 * MUST NOT be used again. One fault may wait for labels(): a label name repeated in a series, which
 * Prometheus, too, finds when it builds a new series' labels. A caller that keys a cache by
 * seriesKey() calls labels() for every key it has not seen, and so misses none.
 */
export interface Parser {
  /**
   * next moves to the next entry. `seriesHint` is the series text (see seriesKey) the caller
   * expects on the next sample line, such as the one at the same place in the target's previous
   * body. When the line's series text is exactly the hint, the parser MAY skip lexing it (the
   * caller saw that exact text before, so it was valid then and is now), and seriesKey() returns
   * the hint itself. A scrape of an unchanged target then costs a string comparison per sample.
   */
  next(seriesHint?: string): EntryKind | null;

  /**
   * seriesKey is the raw text of the current sample's metric name and labels, exactly as written
   * (for a 'series' entry). Two samples with the same key in the same body have the same labels,
   * so a scrape cache can be keyed by it and skip labels(). The string MAY share memory with the
   * body: copy it (see flattenString) before keeping it past the scrape.
   */
  seriesKey(): string;
  /** value is the current sample's value; NaN and ±Inf included. */
  value(): number;
  /** timestamp is the current sample's explicit timestamp in ms, or undefined. */
  timestamp(): number | undefined;
  /** labels builds the current sample's label set, with the metric name as __name__; it throws ParseError for a repeated label name. */
  labels(): Labels;
  /** exemplar is the current sample's exemplar (OpenMetrics only), or undefined. */
  exemplar(): Exemplar | undefined;

  /** metricFamily is the family name of the current 'type', 'help' or 'unit' entry. */
  metricFamily(): string;
  /** help is the (unescaped) text of the current 'help' entry. */
  help(): string;
  /** type is the type of the current 'type' entry. */
  type(): MetricType;
  /** unit is the unit of the current 'unit' entry (OpenMetrics only). */
  unit(): string;
  /** comment is the text of the current 'comment' entry. */
  comment(): string;

  /**
   * warnings are the quirks tolerated so far that a strict parser (promtool, Go's expfmt) rejects,
   * such as a missing final newline, each with a 1-based line. The list only grows.
   */
  warnings(): readonly ParseWarning[];
}

/** ParseWarning is a tolerated quirk at a 1-based line. */
export interface ParseWarning {
  readonly line: number;
  readonly message: string;
}

/** ParseError rejects a body: 1-based line and column of the fault, and why. */
export class ParseError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${line}:${column}: ${reason}`);
    this.name = 'ParseError';
  }
}
