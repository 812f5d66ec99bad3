import { Labels } from '../../model/labels.js';
import type { SeriesRef } from '../../model/storage.js';
import { flattenString } from '../textparse/index.js';

/**
 * CacheEntry remembers what one exposed series became: its final labels (after target labels and
 * metric_relabel_configs) and its store ref, or that relabelling dropped it.
 */
export interface CacheEntry {
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

  get size(): number {
    return this.entries.size;
  }

  /** begin starts a scrape attempt. */
  begin(): number {
    this.curSeen = [];
    return ++this.iter;
  }

  get(seriesKey: string): CacheEntry | undefined {
    return this.entries.get(seriesKey);
  }

  /** add stores a new entry; key and labels are copied so the cache never pins a scrape body in memory. */
  add(seriesKey: string, labels: Labels | undefined, trackStaleness: boolean): CacheEntry {
    const kept = labels === undefined ? undefined : Labels.fromSorted(labels.toFlat().map(flattenString));
    const entry: CacheEntry = { labels: kept, ref: 0, lastIter: -1, lastT: 0, trackStaleness };
    this.entries.set(flattenString(seriesKey), entry);
    return entry;
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
    if (this.iter % PRUNE_EVERY === 0) {
      for (const [key, e] of this.entries) {
        if (this.iter - e.lastIter > PRUNE_AFTER) this.entries.delete(key);
      }
    }
  }

  /** abandon ends an attempt whose samples were rolled back. */
  abandon(): void {
    this.curSeen = [];
  }
}

const PRUNE_EVERY = 10;
const PRUNE_AFTER = 10;
