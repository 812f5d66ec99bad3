import type { Labels } from '../../model/labels.js';
import type { InhibitRuleConfig } from '../config/types.js';
import { fingerprint } from '../fingerprint.js';
import type { Muter } from '../mute/muter.js';
import type { Alert } from '../types.js';
import { InhibitRule } from './rule.js';

/**
 * Inhibitor mutes alerts that a firing source alert inhibits under `inhibit_rules` (Alertmanager's
 * `inhibit.Inhibitor`, I1-I2). It learns source alerts from the alert store: the store MUST call
 * observe() for every alert it puts (new ones, updates, resolutions) and forget() for every alert
 * it drops. Resolved sources stay cached until forgotten but never inhibit: mutes() checks each
 * source's endsAt against the `now` it is given (I3: evaluated at notification time).
 */
export class Inhibitor implements Muter {
  private readonly rules: readonly InhibitRule[];
  constructor(rules: readonly InhibitRuleConfig[]) {
    this.rules = rules.map((r) => new InhibitRule(r));
  }

  /** observe records `alert` as a source for each rule whose source matchers it matches. `fp` defaults to its fingerprint. */
  observe(alert: Alert, fp: string = fingerprint(alert.labels)): void {
    for (const r of this.rules) r.observe(fp, alert);
  }

  /** forget drops the alert with fingerprint `fp` from every rule's sources. */
  forget(fp: string): void {
    for (const r of this.rules) r.forget(fp);
  }

  /** mutes says whether some rule inhibits `labels` at `now` (Muter). */
  mutes(labels: Labels, now: number): boolean {
    for (const r of this.rules) if (r.inhibits(labels, now)) return true;
    return false;
  }

  /**
   * inhibitedBy lists the fingerprints of the source alerts that inhibit `labels` at `now`, sorted
   * and without duplicates (the alerts API's status.inhibitedBy). Alertmanager records only the
   * first source it finds; every one is listed here.
   */
  inhibitedBy(labels: Labels, now: number): string[] {
    const fps: string[] = [];
    for (const r of this.rules) r.inhibits(labels, now, fps);
    return [...new Set(fps)].sort();
  }
}
