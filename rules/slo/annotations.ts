import type { BurnWindow, SLO } from '../model.js';
import { dur, num } from './promql.js';
import { PERIOD_BUDGET_REMAINING, SERVICE_LABEL, SLO_LABEL, TOTAL_RATE5M } from './series.js';
import { periodMs } from './windows.js';

/**
 * Alert annotations, as Prometheus templates. They say in words how fast the budget burns and
 * when it runs out at this rate. Go templates have no arithmetic, so the time left is computed by
 * the standard `query` template function: the remaining budget share × the period / the burn rate
 * (`$value`, the long window's burn rate), read from the recorded
 * `slo:period_error_budget_remaining:ratio` of the alert's own SLO and grouping.
 */

const DAY = 24 * 3600_000;

/** periodText names the SLO period in prose: `30d`, `28d`, or `calendar month (Europe/Berlin)`. */
export function periodText(slo: SLO): string {
  const w = slo.window;
  if (w.kind === 'calendar') return `calendar ${w.unit} (${w.timeZone})`;
  return w.ms % DAY === 0 ? `${w.ms / DAY}d` : dur(w.ms);
}

/** who names the alert's subject: `{{ $labels.service }} {{ $labels.slo }}` plus its grouping. */
function who(slo: SLO): string {
  const base = `{{ $labels.${SERVICE_LABEL} }} {{ $labels.${SLO_LABEL} }}`;
  if (slo.grouping.length === 0) return base;
  return `${base} (${slo.grouping.map((g) => `${g}={{ $labels.${g} }}`).join(', ')})`;
}

/** goSelector is a printf format selecting this alert's own series, and its arguments. */
function goSelector(name: string, slo: SLO): { format: string; args: string } {
  const labels = [SLO_LABEL, SERVICE_LABEL, ...slo.grouping];
  return {
    format: `${name}{${labels.map((l) => `${l}=%q`).join(', ')}}`,
    args: labels.map((l) => `$labels.${l}`).join(' '),
  };
}

/**
 * timeLeft renders the time until the budget is spent at the alert's burn rate, or `an unknown
 * time` when the remaining-budget series is missing. A spent budget gives 0s.
 */
function timeLeft(slo: SLO): string {
  const seconds = periodMs(slo.window) / 1000;
  const sel = goSelector(PERIOD_BUDGET_REMAINING, slo);
  return (
    `{{ with printf "clamp_min(${sel.format.replaceAll('"', '\\"')}, 0) * ${seconds} / %v" ${sel.args} $value | query }}` +
    `{{ . | first | value | humanizeDuration }}{{ else }}an unknown time{{ end }}`
  );
}

/** burnAnnotations are the default summary and description of a burn-rate alert. */
export function burnAnnotations(slo: SLO, tier: 'page' | 'ticket', w: BurnWindow, factor: number): Record<string, string> {
  const period = periodText(slo);
  return {
    summary: `${who(slo)}: burning the ${period} error budget {{ $value | humanize }}x as fast as sustainable`,
    description:
      `${who(slo)} is burning its error budget {{ $value | humanize }}x as fast as the ${num(slo.objectivePercent)}% objective over ${period} allows: ` +
      `over the last ${dur(w.longMs)} (and still over the last ${dur(w.shortMs)}) errors ran above ${num(factor)}x, the rate that spends ` +
      `${num(w.budgetPercent)}% of the budget in ${dur(w.longMs)} (${tier} threshold). ` +
      `At this rate the rest of the budget is gone in ${timeLeft(slo)}.`,
  };
}

/** noDataAnnotations are the default summary and description of the NoData alert. */
export function noDataAnnotations(slo: SLO, forMs: number, eventsKind: boolean): Record<string, string> {
  const what = eventsKind ? `no events (${TOTAL_RATE5M} is absent or zero)` : 'no error ratio (the SLI query returns nothing)';
  return {
    summary: `{{ $labels.${SERVICE_LABEL} }} {{ $labels.${SLO_LABEL} }}: no SLI data for ${dur(forMs)}`,
    description:
      `{{ $labels.${SERVICE_LABEL} }} {{ $labels.${SLO_LABEL} }} has had ${what} for ${dur(forMs)}: ` +
      `the SLO cannot be measured and its burn-rate alerts cannot fire.`,
  };
}
