import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { labelVariable, newDashboard, q, statPanel, tablePanel, timeseriesPanel } from '../common.js';
import { layout, place } from '../layout.js';

export const SLO_OVERVIEW_UID = 'vigil-slo-overview';

const SLO = '{service=~"$service", slo=~"$slo"}';
const LEGEND = '{{service}}/{{slo}} {{namespace}} {{model}} {{queue}}';

/**
 * Every SLO series but the objective carries the ratio's window as `slo_window`; dropping it
 * lets the figures of one SLO and grouping line up in one table row.
 */
function byGroup(series: string): string {
  return `max without (slo_window) (${series}${SLO})`;
}

/**
 * sloOverviewDashboard lists every SLO compiled from the rule files, one row per SLO and grouping
 * (a model, a queue): its objective, what is left of its error budget for the period, how fast it
 * burns now, and the burn alerts firing. Works for any SLO vigil (or Sloth) compiled, since it
 * reads only the recorded `slo:` series.
 */
export function sloOverviewDashboard(sloCount: number): dashboard.DashboardBuilder {
  const b = newDashboard(SLO_OVERVIEW_UID, 'SLOs', `Every SLO (${sloCount} in the rule files): error budget left, burn rate and burn alerts, per grouping.`, ['slo'])
    .withVariable(labelVariable('service', 'Service', 'slo:objective:ratio'))
    .withVariable(labelVariable('slo', 'SLO', 'slo:objective:ratio{service=~"$service"}'));
  return layout(b, [
    {
      panels: [
        place(statPanel({ title: 'SLOs', description: 'SLOs recording in the selection (one per service and name, whatever its grouping).', unit: 'none', queries: [q(`count(slo:objective:ratio${SLO})`, 'SLOs')] }), 6, 4),
        place(statPanel({ title: 'Budgets exhausted', description: 'SLO groupings whose error budget for the period is used up (remaining at or below 0).', unit: 'none', thresholds: [['red', 1]], queries: [q(`count(${byGroup('slo:period_error_budget_remaining:ratio')} <= 0) or vector(0)`, 'exhausted')] }), 6, 4),
        place(statPanel({ title: 'Burn alerts firing', description: 'SLO burn-rate alerts firing now, page and ticket.', unit: 'none', thresholds: [['orange', 1]], queries: [q(`count(ALERTS{alertstate="firing", service=~"$service", slo=~"$slo", tier=~"page|ticket"}) or vector(0)`, 'firing')] }), 6, 4),
        place(statPanel({ title: 'Lowest budget left', description: 'The smallest share of the period\'s error budget left, over every SLO grouping.', unit: 'percentunit', thresholds: [['red', -1e9], ['orange', 0], ['green', 0.25]], queries: [q(`min(${byGroup('slo:period_error_budget_remaining:ratio')})`, 'lowest')] }), 6, 4),
      ],
    },
    {
      title: 'Every SLO',
      panels: [
        place(
          tablePanel({
            title: 'SLO status',
            description: 'Per SLO and grouping: error budget left for the period, burn rate over the last 5 minutes and the last hour (1 spends exactly the budget over the period). Red budget: exhausted.',
            unit: 'percentunit',
            decimals: 2,
            thresholds: [['red', -1e9], ['orange', 0], ['green', 0.25]],
            queries: [
              q(byGroup('slo:period_error_budget_remaining:ratio'), 'budget left'),
              q(byGroup('slo:current_burn_rate:ratio'), 'burn rate 5m'),
              q(`max without (slo_window) (slo:sli_error:ratio_rate1h${SLO} / on (slo, service) group_left () slo:error_budget:ratio${SLO})`, 'burn rate 1h'),
            ],
          }),
          24,
          10,
        ),
      ],
    },
    {
      title: 'Over time',
      panels: [
        place(timeseriesPanel({ title: 'Error budget left', description: 'Share of each SLO grouping\'s error budget left for the period.', unit: 'percentunit', thresholds: [['red', 0]], thresholdLines: true, queries: [q(byGroup('slo:period_error_budget_remaining:ratio'), LEGEND)] }), 12, 9),
        place(timeseriesPanel({ title: 'Burn rate (5m)', description: 'How many times faster than sustainable each SLO grouping spends its budget, over the last 5 minutes; the page tier starts at 14.4 for a 30-day period.', unit: 'none', thresholds: [['red', 1]], thresholdLines: true, queries: [q(byGroup('slo:current_burn_rate:ratio'), LEGEND)] }), 12, 9),
        place(tablePanel({ title: 'Burn alerts', description: 'SLO burn-rate alerts firing or pending, with their tier and windows.', unit: 'none', queries: [q(`ALERTS{service=~"$service", slo=~"$slo", tier=~"page|ticket"}`, '{{alertname}}')] }), 24, 8),
      ],
    },
  ]);
}
