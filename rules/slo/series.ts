import type { SLO } from '../model.js';
import { dur, selector } from './promql.js';

/**
 * The series an SLO records and the labels it puts on them. The names are Sloth's where Sloth has
 * one (`slo:sli_error:ratio_rate<window>`, `slo:objective:ratio`, ...), so Sloth's Grafana
 * dashboards and habits carry over; vigil adds the 5m event rates its long windows are built from
 * and an info series.
 */

/** Per-second rate of bad events over the last 5m, per grouping. */
export const ERRORS_RATE5M = 'slo:sli_errors:rate5m';
/** Per-second rate of all events over the last 5m, per grouping. */
export const TOTAL_RATE5M = 'slo:sli_total:rate5m';
export const OBJECTIVE = 'slo:objective:ratio';
export const ERROR_BUDGET = 'slo:error_budget:ratio';
export const TIME_PERIOD_DAYS = 'slo:time_period:days';
export const CURRENT_BURN_RATE = 'slo:current_burn_rate:ratio';
export const PERIOD_BURN_RATE = 'slo:period_burn_rate:ratio';
export const PERIOD_BUDGET_REMAINING = 'slo:period_error_budget_remaining:ratio';
export const SLO_INFO = 'vigil_slo_info';

/** errorRatio names the error ratio over a window: `slo:sli_error:ratio_rate1h`. */
export function errorRatio(windowMs: number): string {
  return `slo:sli_error:ratio_rate${dur(windowMs)}`;
}

/** Label names the compiler sets. `slo` and `service` identify an SLO; `slo_window` is on ratios. */
export const SLO_LABEL = 'slo';
export const SERVICE_LABEL = 'service';
export const WINDOW_LABEL = 'slo_window';

/** Labels the compiler puts on alerts (besides `severity`, which users may override). */
export const ALERT_LABELS = ['tier', 'long_window', 'short_window', 'burn_rate'] as const;

/** Labels of the info series (besides the identity and the SLO's labels). */
export const INFO_LABELS = ['objective', 'window', 'time_zone'] as const;

/**
 * RESERVED_LABELS may not be an SLO's own label nor a grouping label: the compiler sets them, and
 * a clash would silently merge series or alerts.
 */
export const RESERVED_LABELS: readonly string[] = [SLO_LABEL, SERVICE_LABEL, WINDOW_LABEL, ...ALERT_LABELS, ...INFO_LABELS];

/**
 * identity is the selector of one SLO's series: exactly `slo` and `service`. Joins and filters
 * match on these (plus the grouping labels) and nothing else, so SLO labels that change or vary
 * never break a match (Sloth issue #602).
 */
export function identity(slo: Pick<SLO, 'name' | 'service'>): [string, string][] {
  return [
    [SLO_LABEL, slo.name],
    [SERVICE_LABEL, slo.service],
  ];
}

/** of selects one SLO's series of a name: `slo:sli_total:rate5m{slo="x", service="y"}`. */
export function of(name: string, slo: Pick<SLO, 'name' | 'service'>): string {
  return selector(name, identity(slo));
}

/** seriesLabels are the labels every series of an SLO carries: the SLO's labels and its identity. */
export function seriesLabels(slo: SLO): Record<string, string> {
  return { ...slo.labels, [SLO_LABEL]: slo.name, [SERVICE_LABEL]: slo.service };
}
