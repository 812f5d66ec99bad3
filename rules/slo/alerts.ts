import type { AlertingRule, AlertTier, BurnWindow, SLO } from '../model.js';
import { burnAnnotations, noDataAnnotations } from './annotations.js';
import { dur, num, onLabels, sumBy } from './promql.js';
import { chainedEvents } from './ratios.js';
import { errorRatio, of, SERVICE_LABEL, SLO_LABEL, TOTAL_RATE5M, WINDOW_LABEL } from './series.js';
import type { SLIExprs } from './sli.js';
import { burnRateFactor, errorBudget, periodMs } from './windows.js';

/**
 * Multi-window, multi-burn-rate alerts (SRE workbook ch. 5): one alerting rule per tier and window
 * pair, so each alert says which windows fired. The expression's value is the long window's burn
 * rate; the short window only makes the alert stop soon after the burn does.
 */

/** DEFAULT_ALERT_NAME is the burn-rate alert's name when an SLO names none. */
export const DEFAULT_ALERT_NAME = 'SLOErrorBudgetBurn';

/** burnAlert is the alerting rule for one window pair of a tier. */
export function burnAlert(slo: SLO, exprs: SLIExprs, tierName: 'page' | 'ticket', tier: AlertTier, w: BurnWindow): AlertingRule {
  const budget = errorBudget(slo.objectivePercent);
  const factor = burnRateFactor(w, periodMs(slo.window));
  const burn = (windowMs: number): string => `${of(errorRatio(windowMs), slo)} / ${num(budget)} > ${num(factor)}`;
  let cond = `${burn(w.longMs)}\nand ignoring (${WINDOW_LABEL})\n${burn(w.shortMs)}`;
  if (slo.lowTraffic !== undefined && exprs.kind === 'events') {
    const events = slo.optimize === 'exact' ? `${exprs.total(w.longMs)} * ${w.longMs / 1000}` : chainedEvents(of(TOTAL_RATE5M, slo), w.longMs);
    cond += `\nand ${onLabels(slo.grouping)}\n(${events} >= ${num(slo.lowTraffic.minEvents)})`;
  }
  const labels: Record<string, string> = {
    severity: tierName,
    ...slo.alerting.labels,
    ...tier.labels,
    [SLO_LABEL]: slo.name,
    [SERVICE_LABEL]: slo.service,
    tier: tierName,
    long_window: dur(w.longMs),
    short_window: dur(w.shortMs),
    burn_rate: num(factor),
  };
  return {
    kind: 'alerting',
    alert: slo.alerting.name,
    expr: `max without (${WINDOW_LABEL}) (\n${indentBlock(cond)}\n)`,
    forMs: tier.forMs,
    keepFiringForMs: 0,
    labels,
    annotations: withRunbook(slo, { ...burnAnnotations(slo, tierName, w, factor), ...slo.alerting.annotations, ...tier.annotations }),
  };
}

/**
 * noDataAlert fires when the SLO has no events at all (every grouping at zero, or the total series
 * absent) for noData.for. Zero traffic in one grouping alone is not an alert: an idle model is
 * normal, and the low-traffic guard already keeps its burn alerts quiet.
 */
export function noDataAlert(slo: SLO, exprs: SLIExprs): AlertingRule {
  const sel = exprs.kind === 'events' ? of(TOTAL_RATE5M, slo) : of(errorRatio(5 * 60_000), slo);
  const expr =
    exprs.kind === 'events'
      ? `${sumBy([SLO_LABEL, SERVICE_LABEL], sel)} == 0\nor\nabsent(${sel})`
      : `absent(${sel})`;
  return {
    kind: 'alerting',
    alert: `${slo.alerting.name}NoData`,
    expr,
    forMs: slo.noData.forMs,
    keepFiringForMs: 0,
    labels: { severity: 'ticket', ...slo.alerting.labels, [SLO_LABEL]: slo.name, [SERVICE_LABEL]: slo.service, tier: 'nodata' },
    annotations: withRunbook(slo, { ...noDataAnnotations(slo, slo.noData.forMs, exprs.kind === 'events'), ...slo.alerting.annotations }),
  };
}

function withRunbook(slo: SLO, annotations: Record<string, string>): Record<string, string> {
  const url = slo.alerting.runbookUrl;
  return url === undefined || 'runbook_url' in annotations ? annotations : { ...annotations, runbook_url: url };
}

function indentBlock(text: string): string {
  return text
    .split('\n')
    .map((l) => '  ' + l)
    .join('\n');
}
