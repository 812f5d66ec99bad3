import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { BurnWindow, SLO } from '../../rules/model.js';
import { dur } from '../../rules/slo/promql.js';
import { burnRateFactor, periodMs } from '../../rules/slo/windows.js';
import { burnRateQuery, labelVariable, legendOf, newDashboard, q, statPanel, tablePanel, timeseriesPanel, uidOf } from '../common.js';
import { layout, type Placed, place } from '../layout.js';

/** sloDetailUid is the uid of an SLO's own dashboard: `slo-<service>-<name>`. */
export function sloDetailUid(slo: Pick<SLO, 'service' | 'name'>): string {
  return uidOf(`slo-${slo.service}-${slo.name}`);
}

/** identity is the selector of the SLO's series, with its grouping labels as variables. */
function selectorOf(slo: SLO): string {
  return `{${[`slo=${JSON.stringify(slo.name)}`, `service=${JSON.stringify(slo.service)}`, ...slo.grouping.map((l) => `${l}=~"$${l}"`)].join(', ')}}`;
}

/**
 * sloDetailDashboard is one SLO's dashboard: the SLI against the objective, the period's error
 * budget left, the burn rate of each alert's windows against its threshold, when the budget runs
 * out at the current pace, and the SLO's alerts. The SLO's grouping labels (a model, a queue)
 * are the variables, each filtered by the ones before it.
 */
export function sloDetailDashboard(slo: SLO): dashboard.DashboardBuilder {
  const sel = selectorOf(slo);
  const id = `{slo=${JSON.stringify(slo.name)}, service=${JSON.stringify(slo.service)}}`;
  const legend = slo.grouping.length > 0 ? legendOf(slo.grouping) : '{{slo}}';
  const period = periodMs(slo.window);
  const periodText = dur(period);
  const b = newDashboard(sloDetailUid(slo), `SLO ${slo.service} / ${slo.name}`, `${slo.description || `SLO ${slo.name} of ${slo.service}`} Objective ${slo.objectivePercent}% over ${periodText}.`, ['slo', slo.service]);
  slo.grouping.forEach((label, i) => {
    const before = slo.grouping.slice(0, i).map((l) => `${l}=~"$${l}"`);
    b.withVariable(labelVariable(label, label, `slo:sli_error:ratio_rate5m{${[`slo=${JSON.stringify(slo.name)}`, `service=${JSON.stringify(slo.service)}`, ...before].join(', ')}}`));
  });
  const group = (series: string) => `max without (slo_window) (${series}${sel})`;
  // Time to exhaustion at the last hour's pace: what is left of the budget (as a share of the
  // period's budget) times the period, over the burn rate; an SLO not burning has +Inf.
  const exhaustion = `clamp_min(${group('slo:period_error_budget_remaining:ratio')}, 0) * ${period / 1000} / max without (slo_window) (${burnRateQuery('1h', sel)})`;

  const tiers: { name: string; windows: readonly BurnWindow[] }[] = [];
  if (slo.alerting.page !== undefined) tiers.push({ name: 'page', windows: slo.alerting.page.windows });
  if (slo.alerting.ticket !== undefined) tiers.push({ name: 'ticket', windows: slo.alerting.ticket.windows });
  const burnPanels: Placed[] = tiers.flatMap((t) =>
    t.windows.map((w) => {
      const factor = burnRateFactor(w, period);
      const [long, short] = [dur(w.longMs), dur(w.shortMs)];
      return place(
        timeseriesPanel({
          title: `Burn rate ${long} / ${short} (${t.name} above ${factor}x)`,
          description: `Burn rate over the ${long} and ${short} windows; the ${t.name} alert fires while both are above ${factor} (${w.budgetPercent}% of the ${periodText} budget spent in ${long}).`,
          unit: 'none',
          thresholds: [['red', factor]],
          thresholdLines: true,
          queries: [q(burnRateQuery(long, sel), `${legend} ${long}`), q(burnRateQuery(short, sel), `${legend} ${short}`)],
        }),
        12,
        8,
      );
    }),
  );

  return layout(b, [
    {
      panels: [
        place(statPanel({ title: 'Objective', description: `Share of events that must be good over ${periodText}.`, unit: 'percentunit', decimals: 3, queries: [q(`slo:objective:ratio${id}`, 'objective')] }), 4, 4),
        place(statPanel({ title: 'SLI over the period', description: `Share of good events over the last ${periodText} (or the history there is), worst grouping.`, unit: 'percentunit', decimals: 3, queries: [q(`1 - max(slo:sli_error:ratio_rate${periodText}${sel})`, 'SLI')] }), 5, 4),
        place(statPanel({ title: 'Error budget left', description: `Share of the ${periodText} error budget left, lowest grouping.`, unit: 'percentunit', decimals: 1, thresholds: [['red', -1e9], ['orange', 0], ['green', 0.25]], queries: [q(`min(${group('slo:period_error_budget_remaining:ratio')})`, 'budget left')] }), 5, 4),
        place(statPanel({ title: 'Burn rate now', description: 'Fastest burn rate of any grouping over the last 5 minutes (1 spends exactly the budget over the period).', unit: 'none', decimals: 2, thresholds: [['orange', 1], ['red', 14.4]], queries: [q(`max(${group('slo:current_burn_rate:ratio')})`, 'burn rate')] }), 5, 4),
        place(statPanel({ title: 'Budget exhausted in', description: 'Shortest time until a grouping has spent its whole budget, at its burn rate of the last hour (none while nothing burns).', unit: 's', queries: [q(`min(${exhaustion})`, 'exhausted in')] }), 5, 4),
      ],
    },
    {
      title: 'SLI and error budget',
      panels: [
        place(
          timeseriesPanel({
            title: 'SLI against objective',
            description: 'Share of good events over 5 minutes and over 1 hour per grouping; the dashed line is the objective.',
            unit: 'percentunit',
            thresholds: [['red', -1e9], ['green', slo.objectivePercent / 100]],
            thresholdLines: true,
            queries: [q(`1 - ${group('slo:sli_error:ratio_rate5m')}`, `${legend} 5m`), q(`1 - ${group('slo:sli_error:ratio_rate1h')}`, `${legend} 1h`), q(`slo:objective:ratio${id}`, 'objective')],
          }),
          12,
          9,
        ),
        place(timeseriesPanel({ title: 'Error budget left over the period', description: `Share of the ${periodText} error budget left per grouping; below 0 the objective is missed.`, unit: 'percentunit', thresholds: [['red', 0]], thresholdLines: true, queries: [q(group('slo:period_error_budget_remaining:ratio'), legend)] }), 12, 9),
        place(timeseriesPanel({ title: 'Time to exhaustion', description: 'Time until each grouping has spent its whole budget at its burn rate of the last hour.', unit: 's', queries: [q(exhaustion, legend)] }), 12, 8),
        place(timeseriesPanel({ title: 'Error ratio', description: 'Share of bad events over 5 minutes per grouping, against the error budget (1 − objective).', unit: 'percentunit', thresholds: [['red', (100 - slo.objectivePercent) / 100]], thresholdLines: true, queries: [q(group('slo:sli_error:ratio_rate5m'), legend)] }), 12, 8),
      ],
    },
    ...(burnPanels.length > 0 ? [{ title: 'Burn rate per alert window', panels: burnPanels }] : []),
    {
      title: 'Alerts',
      panels: [
        place(tablePanel({ title: 'Alerts of this SLO', description: `${slo.alerting.name} alerts of this SLO, firing or pending, with their tier and windows.`, unit: 'none', queries: [q(`ALERTS${sel}`, '{{alertname}}')] }), 24, 8),
      ],
    },
  ]);
}
