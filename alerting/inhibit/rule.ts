import type { Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import type { InhibitRuleConfig } from '../config/types.js';
import { matchesAll } from '../silence/silence.js';
import { type Alert, isResolvedAt } from '../types.js';

/**
 * InhibitRule is one inhibit_rules entry with its cache of source alerts: every alert seen that
 * matches the source matchers, by fingerprint, grouped by the values of the `equal` labels so a
 * target looks only at the sources it could be equal to.
 */
export class InhibitRule {
  readonly sourceMatchers: readonly Matcher[];
  readonly targetMatchers: readonly Matcher[];
  readonly equal: readonly string[];
  /** byEqual: equal-label key -> fingerprint -> the newest version of that source alert. */
  private readonly byEqual = new Map<string, Map<string, Alert>>();
  /** keyOf: fingerprint -> its equal-label key, to forget a source by fingerprint alone. */
  private readonly keyOf = new Map<string, string>();

  constructor(config: InhibitRuleConfig) {
    this.sourceMatchers = config.sourceMatchers;
    this.targetMatchers = config.targetMatchers;
    this.equal = [...new Set(config.equal)];
  }

  /** sourceCount is how many source alerts the cache holds, resolved ones included. */
  get sourceCount(): number {
    return this.keyOf.size;
  }

  /** observe caches `alert` when it is a source of this rule (replacing an older version). */
  observe(fp: string, alert: Alert): void {
    if (!matchesAll(this.sourceMatchers, alert.labels)) {
      this.forget(fp);
      return;
    }
    const key = this.equalKey(alert.labels);
    const old = this.keyOf.get(fp);
    if (old !== undefined && old !== key) this.forget(fp);
    let bucket = this.byEqual.get(key);
    if (bucket === undefined) {
      bucket = new Map();
      this.byEqual.set(key, bucket);
    }
    bucket.set(fp, alert);
    this.keyOf.set(fp, key);
  }

  forget(fp: string): void {
    const key = this.keyOf.get(fp);
    if (key === undefined) return;
    this.keyOf.delete(fp);
    const bucket = this.byEqual.get(key);
    bucket?.delete(fp);
    if (bucket?.size === 0) this.byEqual.delete(key);
  }

  /**
   * inhibits says whether a source alert inhibits `target` at `now` (I1, I2). A source inhibits
   * when it is not resolved at `now`, the target matches the target matchers, and both have the
   * same value (absent = "") for every `equal` label. When the target also matches the source
   * matchers, sources that also match the target matchers do not count, so an alert matching both
   * sides cannot be inhibited by its peers or itself. With `collect`, every inhibiting source's
   * fingerprint is appended to it; without, the search stops at the first.
   */
  inhibits(target: Labels, now: number, collect?: string[]): boolean {
    if (!matchesAll(this.targetMatchers, target)) return false;
    const bucket = this.byEqual.get(this.equalKey(target));
    if (bucket === undefined) return false;
    const excludeTwoSided = matchesAll(this.sourceMatchers, target);
    let found = false;
    for (const [fp, source] of bucket) {
      if (isResolvedAt(source, now)) continue;
      if (excludeTwoSided && matchesAll(this.targetMatchers, source.labels)) continue;
      found = true;
      if (collect === undefined) return true;
      collect.push(fp);
    }
    return found;
  }

  /** equalKey is an injective key of the equal labels' values: each prefixed by its length. */
  private equalKey(labels: Labels): string {
    const equal = this.equal;
    if (equal.length === 0) return '';
    let key = '';
    for (let i = 0; i < equal.length; i++) {
      const v = labels.get(equal[i]!);
      key += v.length + ':' + v;
    }
    return key;
  }
}
