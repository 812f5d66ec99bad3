import { Labels } from '../../model/labels.js';
import type { SeriesRef } from '../../model/storage.js';
import { flattenString } from '../textparse/index.js';

/**
 * CacheEntry remembers what one exposed series became: its final labels (after target labels and
 * metric_relabel_configs) and its store ref, or that relabelling dropped it.
 */
export interface CacheEntry {
  /** key is the series text as exposed (a copy, not a slice of a body). */
  readonly key: string;
  /** labels after mutation; undefined when the series is dropped. */
  readonly labels: Labels | undefined;
  ref: SeriesRef;
  /** lastIter is the scrape attempt that last exposed this series. */
  lastIter: number;
  /** lastT is the timestamp appended in lastIter. */
  lastT: number;
  /** trackStaleness is false for series exposed with explicit timestamps, as in Prometheus. */
  trackStaleness: boolean;
}

/**
 * ScrapeCache maps the raw series text of a target's body to its CacheEntry, so that a series seen
 * before costs one map lookup instead of label parsing, relabelling and a store lookup. It also
 * keeps the series appended in the previous successful scrape, to write staleness markers for
 * those that disappear.
 */
export class ScrapeCache {
  private readonly entries = new Map<string, CacheEntry>();
  /** iter counts scrape attempts; every attempt, failed or not, gets a new number. */
  iter = 0;
  private prevSeen: CacheEntry[] = [];
  private curSeen: CacheEntry[] = [];
  /** prevOrder is the previous stored body's samples in order; curOrder is the current attempt's. */
  private prevOrder: CacheEntry[] = [];
  private curOrder: CacheEntry[] = [];

  get size(): number {
    return this.entries.size;
  }

  /** begin starts a scrape attempt. */
  begin(): number {
    this.curSeen = [];
    this.curOrder = [];
    return ++this.iter;
  }

  /**
   * expected is the entry of the `index`th sample of the previous stored body. Targets expose the
   * same series in the same order scrape after scrape, so it is the likely entry of the `index`th
   * sample now: the parser compares texts instead of lexing them, and no map lookup is needed.
   */
  expected(index: number): CacheEntry | undefined {
    return this.prevOrder[index];
  }

  get(seriesKey: string): CacheEntry | undefined {
    return this.entries.get(seriesKey);
  }

  /** add stores a new entry; key and labels are copied so the cache never pins a scrape body in memory. */
  add(seriesKey: string, labels: Labels | undefined, trackStaleness: boolean): CacheEntry {
    const kept = labels === undefined ? undefined : Labels.fromSorted(labels.toFlat().map(flattenString));
    const key = flattenString(seriesKey);
    const entry: CacheEntry = { key, labels: kept, ref: 0, lastIter: -1, lastT: 0, trackStaleness };
    this.entries.set(key, entry);
    return entry;
  }

  /** placed records that the current body's next sample is `entry`; called once per sample. */
  placed(entry: CacheEntry): void {
    this.curOrder.push(entry);
  }

  /** seen records that `entry` was exposed (and, unless dropped, appended) in the current attempt. */
  seen(entry: CacheEntry, t: number): void {
    entry.lastIter = this.iter;
    entry.lastT = t;
    if (entry.trackStaleness && entry.labels !== undefined) this.curSeen.push(entry);
  }

  /**
   * vanished returns the entries appended by the previous successful scrape but not by the current
   * attempt: the series that need a staleness marker.
   */
  vanished(): CacheEntry[] {
    const iter = this.iter;
    return this.prevSeen.filter((e) => e.lastIter !== iter);
  }

  /**
   * commit ends an attempt that was stored: its series become the baseline for staleness, and
   * entries unseen for many scrapes are forgotten so churned series do not pile up.
   */
  commit(): void {
    this.prevSeen = this.curSeen;
    this.curSeen = [];
    this.prevOrder = this.curOrder;
    this.curOrder = [];
    if (this.iter % PRUNE_EVERY === 0) {
      for (const [key, e] of this.entries) {
        if (this.iter - e.lastIter > PRUNE_AFTER) this.entries.delete(key);
      }
    }
  }

  /** abandon ends an attempt whose samples were rolled back. */
  abandon(): void {
    this.curSeen = [];
    this.curOrder = [];
  }
}

const PRUNE_EVERY = 10;
const PRUNE_AFTER = 10;
