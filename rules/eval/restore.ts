import { Matcher } from '../../model/matcher.js';
import type { Queryable } from '../../model/storage.js';
import { isStaleNaN } from '../../model/value.js';
import type { Logger } from '../../util/log.js';
import type { AlertingRuleState } from './alerting.js';

/** RestoreSettings are Prometheus's `--rules.alert.for-grace-period` and `--rules.alert.for-outage-tolerance`. */
export interface RestoreSettings {
  readonly queryable: Queryable | undefined;
  readonly forGracePeriodMs: number;
  readonly outageToleranceMs: number;
  readonly logger: Logger;
}

/**
 * restoreForState is Prometheus's Group.RestoreForState: after a restart, each pending or firing
 * alert whose ALERTS_FOR_STATE series (written within the outage tolerance before `now`) holds an
 * activeAt gets its `for` progress back, moved forward by the downtime, and never fires sooner than
 * the grace period from now. Rules whose `for` is shorter than the grace period are not restored.
 * Every rule is marked restored afterwards, so it writes ALERTS from then on.
 */
export function restoreForState(rules: readonly AlertingRuleState[], now: number, settings: RestoreSettings): void {
  const { queryable, forGracePeriodMs, outageToleranceMs, logger } = settings;
  const querier = queryable?.querier(now - outageToleranceMs, now);
  for (const rule of rules) {
    const hold = rule.rule.forMs;
    if (querier === undefined || hold < forGracePeriodMs) {
      rule.restored = true;
      continue;
    }
    const matchers: Matcher[] = [];
    rule.forStateSelector().forEach((n, v) => matchers.push(new Matcher('=', n, v)));
    let series;
    try {
      series = querier.select(matchers);
    } catch (err) {
      logger.error("failed to restore 'for' state", { alertname: rule.name, stage: 'select', err: String(err) });
      rule.restored = true;
      continue;
    }
    const byLabels = new Map<string, (typeof series)[number]>();
    for (const s of series) byLabels.set(s.labels.without('__name__').key, s);
    if (byLabels.size === 0) {
      rule.restored = true;
      continue;
    }
    rule.forEachAlert((a) => {
      const s = byLabels.get(a.labels.key);
      if (s === undefined) return;
      let t: number | undefined;
      let v = 0;
      const it = s.samples();
      while (it.next()) {
        t = it.t;
        v = it.v;
      }
      if (t === undefined || isStaleNaN(v)) return;
      // Prometheus works in whole seconds here: the sample's time and the stored activeAt.
      const downAt = Math.trunc(t / 1000) * 1000;
      let activeAt = Math.trunc(v) * 1000;
      const remaining = hold - (downAt - activeAt);
      if (remaining <= 0) {
        // It was firing when vigil stopped; the next evaluation fires it again if it still holds.
      } else if (remaining < forGracePeriodMs) {
        activeAt = now + forGracePeriodMs - hold;
      } else {
        activeAt += now - downAt;
      }
      a.activeAt = activeAt;
      logger.debug("'for' state restored", { alertname: rule.name, activeAt: new Date(activeAt).toISOString(), labels: a.labels.toString() });
    });
    rule.restored = true;
  }
}
