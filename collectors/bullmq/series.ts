import { type Labels, LabelsBuilder, METRIC_NAME } from '../../model/labels.js';
import { AppendError, type Appender, type SeriesRef } from '../../model/storage.js';
import { StaleNaN } from '../../model/value.js';

/**
 * SeriesEntry is one series a collector writes: its labels, built once, and the store's ref.
 */
interface SeriesEntry {
  readonly labels: Labels;
  ref: SeriesRef;
}

/**
 * CollectionSeries is what a scrape cache is to a scrape loop, for a collector that produces its
 * samples itself: it builds each series' labels once (the target labels plus the series' own),
 * keeps store refs, and remembers which series the last stored collection wrote so that the ones
 * missing from the next (a queue that went away, or every series when the collection failed) get
 * a staleness marker, as Prometheus writes for a series that leaves a target's body.
 *
 * A collection is begin(), set() for each sample, then either commit() after the appender
 * committed or abandon() after it rolled back.
 */
export class CollectionSeries {
  private readonly entries = new Map<string, SeriesEntry>();
  private previous = new Set<SeriesEntry>();
  private current = new Set<SeriesEntry>();
  /** rejected counts samples the store refused in this collection, by AppendError code. */
  rejected: Record<string, number> = {};

  constructor(private readonly targetLabels: Labels) {}

  /** begin starts a collection. */
  begin(): void {
    this.current = new Set();
    this.rejected = {};
  }

  /**
   * set appends `name{...own labels, ...target labels}` = v at t. The target labels win over a
   * series label of the same name; the config forbids the clash for the collector's own labels.
   */
  set(app: Appender, name: string, own: Readonly<Record<string, string>>, t: number, v: number): void {
    const entry = this.entry(name, own);
    this.current.add(entry);
    this.append(app, entry, t, v);
  }

  /** markVanished appends a staleness marker at t for every series of the last stored collection not set in this one. */
  markVanished(app: Appender, t: number): void {
    for (const entry of this.previous) {
      if (!this.current.has(entry)) this.append(app, entry, t, StaleNaN);
    }
  }

  /** count is the number of series set in this collection. */
  get count(): number {
    return this.current.size;
  }

  /** commit makes this collection's series the baseline for staleness and forgets the others. */
  commit(): void {
    for (const [key, entry] of this.entries) if (!this.current.has(entry)) this.entries.delete(key);
    this.previous = this.current;
    this.current = new Set();
  }

  /** abandon forgets a collection whose samples were rolled back; the baseline stays. */
  abandon(): void {
    this.current = new Set();
  }

  private entry(name: string, own: Readonly<Record<string, string>>): SeriesEntry {
    let key = name;
    for (const k in own) key += '\u0000' + k + '\u0000' + own[k];
    let entry = this.entries.get(key);
    if (entry === undefined) {
      const b = new LabelsBuilder(this.targetLabels);
      for (const k in own) if (!this.targetLabels.has(k)) b.set(k, own[k]!);
      b.set(METRIC_NAME, name);
      entry = { labels: b.labels(), ref: 0 };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private append(app: Appender, entry: SeriesEntry, t: number, v: number): void {
    try {
      entry.ref = app.append(entry.labels, t, v, entry.ref === 0 ? undefined : entry.ref);
    } catch (err) {
      // A sample the store refuses (out of order, duplicate) does not fail the collection.
      if (!(err instanceof AppendError)) throw err;
      this.rejected[err.code] = (this.rejected[err.code] ?? 0) + 1;
    }
  }
}
