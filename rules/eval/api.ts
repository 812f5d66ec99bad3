import type { Labels } from '../../model/labels.js';
import { formatFloat } from '../template/gofloat.js';
import type { ActiveAlert } from './alert.js';
import { AlertingRuleState } from './alerting.js';
import type { Group } from './group.js';

/**
 * The JSON bodies of Prometheus's /api/v1/rules and /api/v1/alerts (the `data` member), built
 * from a RuleManager's groups. Times are RFC 3339 as Go writes time.Time; durations in seconds.
 */

/** APIAlert is one alert as /api/v1/alerts and an alerting rule's `alerts` list it. */
export interface APIAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
  activeAt: string;
  keepFiringSince?: string;
  value: string;
}

/** RulesFilter is /api/v1/rules's `type` parameter: `alert` or `record` (undefined: both). */
export type RulesFilter = 'alert' | 'record' | undefined;

/** rulesAPIResponse is the `data` of /api/v1/rules: every group with its rules and their health. */
export function rulesAPIResponse(groups: readonly Group[], filter: RulesFilter = undefined): { groups: unknown[] } {
  const out: unknown[] = [];
  for (const g of groups) {
    const rules: unknown[] = [];
    for (const r of g.rules) {
      const common = {
        health: r.status.health,
        ...(r.status.lastError === undefined ? {} : { lastError: r.status.lastError }),
        evaluationTime: r.status.evaluationSeconds,
        lastEvaluation: goTime(r.status.lastEvaluation),
      };
      if (r instanceof AlertingRuleState) {
        if (filter === 'record') continue;
        rules.push({
          state: r.state(),
          name: r.name,
          query: r.rule.expr,
          duration: r.rule.forMs / 1000,
          keepFiringFor: r.rule.keepFiringForMs / 1000,
          labels: r.labels,
          annotations: r.rule.annotations,
          alerts: r.activeAlerts().map(apiAlert),
          ...common,
          type: 'alerting',
        });
      } else {
        if (filter === 'alert') continue;
        rules.push({
          name: r.name,
          query: r.rule.expr,
          ...(Object.keys(r.labels).length === 0 ? {} : { labels: r.labels }),
          ...common,
          type: 'recording',
        });
      }
    }
    if (filter !== undefined && rules.length === 0) continue;
    out.push({
      name: g.name,
      file: g.file,
      rules,
      interval: g.intervalMs / 1000,
      limit: g.limit,
      evaluationTime: g.evaluationSeconds,
      lastEvaluation: goTime(g.lastEvaluation),
    });
  }
  return { groups: out };
}

/** alertsAPIResponse is the `data` of /api/v1/alerts: every pending and firing alert. */
export function alertsAPIResponse(groups: readonly Group[]): { alerts: APIAlert[] } {
  return { alerts: groups.flatMap((g) => g.alertingRules().flatMap((r) => r.activeAlerts().map(apiAlert))) };
}

function apiAlert(a: ActiveAlert): APIAlert {
  return {
    labels: record(a.labels),
    annotations: record(a.annotations),
    state: a.state,
    activeAt: goTime(a.activeAt),
    ...(a.keepFiringSince === undefined ? {} : { keepFiringSince: goTime(a.keepFiringSince) }),
    value: formatFloat(a.value, 'e', -1),
  };
}

function record(l: Labels): Record<string, string> {
  return l.toRecord();
}

/** goTime is Go's time.Time JSON (RFC 3339, trailing zeros of the fraction dropped); undefined is Go's zero time. */
export function goTime(ms: number | undefined): string {
  if (ms === undefined) return '0001-01-01T00:00:00Z';
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
}
