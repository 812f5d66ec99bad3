import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { GPU_HOUR_PRICE, GPU_HOURS_BUDGET, labelVariable, legendOf, matchers, newDashboard, priceVariables, q, tablePanel, timeseriesPanel, TOKEN_PRICE_PER_MILLION } from '../common.js';
import { layout, place } from '../layout.js';

export const COST_UID = 'vigil-cost';

const NS = matchers(['namespace']);
const MODEL = matchers(['namespace', 'model']);
const TOKENS = `(ai:prompt_tokens:rate5m${MODEL} + ai:generation_tokens:rate5m${MODEL})`;
const GPUS = `sum by (namespace) (ai:gpu_allocated${NS})`;

/**
 * GPU-hours in the time range: the mean of the namespace's GPU count over the range, sampled
 * every minute, times the range in hours. The sum is taken before averaging so a GPU held for half
 * the range counts half, not fully.
 */
const GPU_HOURS_IN_RANGE = `avg_over_time(${GPUS}[$__range:1m]) * $__range_s / 3600`;

/**
 * Month-end forecast as GPUMonthlyBudgetForecast computes it (rules/packs/ai-platform/
 * cost-runaway.yaml): the past day's average allocation, all month.
 */
const GPU_HOURS_FORECAST = `avg_over_time(${GPUS}[1d:5m]) * 24 * scalar(days_in_month())`;

/** perTeam sums a per-namespace expression by the team owning each namespace (ai:namespace_team_info). */
const perTeam = (expr: string) => `sum by (team) ((${expr}) * on (namespace) group_left (team) ai:namespace_team_info)`;

/** Token spend per hour at the current pace, per namespace. */
const TOKEN_SPEND_PER_HOUR = `sum by (namespace) ${TOKENS} * 3600 * $${TOKEN_PRICE_PER_MILLION} / 1e6`;

/**
 * costDashboard puts a price on the platform: GPUs held (GPU-hours) and tokens processed, per
 * namespace and model and per team (the namespace's owner), against the monthly GPU-hour budget.
 * The prices are dashboard constants.
 */
export function costDashboard(): dashboard.DashboardBuilder {
  const b = newDashboard(COST_UID, 'Cost', 'GPU-hours and token spend per namespace, model and team, against the monthly GPU-hour budget.', ['ai-platform', 'cost'])
    .withVariable(labelVariable('namespace', 'Namespace', 'ai:gpu_allocated'))
    .withVariable(labelVariable('model', 'Model', 'ai:requests:rate5m{namespace=~"$namespace"}'));
  for (const v of priceVariables()) b.withVariable(v);
  return layout(b, [
    {
      title: 'GPU-hours',
      panels: [
        place(tablePanel({ title: 'GPU-hours in range', description: 'GPU-hours each namespace held over the dashboard\'s time range.', unit: 'none', decimals: 1, queries: [q(GPU_HOURS_IN_RANGE, '{{namespace}}')] }), 8, 8),
        place(tablePanel({ title: 'Compute cost in range', description: `GPU-hours in the range at $${GPU_HOUR_PRICE} USD per GPU-hour.`, unit: 'currencyUSD', decimals: 2, queries: [q(`${GPU_HOURS_IN_RANGE} * $${GPU_HOUR_PRICE}`, '{{namespace}}')] }), 8, 8),
        place(
          tablePanel({
            title: 'Month-end forecast against budget',
            description: `GPU-hours the namespace would use this month at its average allocation of the past day, as a share of the budget of $${GPU_HOURS_BUDGET} GPU-hours (GPUMonthlyBudgetForecast alerts above 100%).`,
            unit: 'percentunit',
            thresholds: [['orange', 0.8], ['red', 1]],
            queries: [q(`${GPU_HOURS_FORECAST} / $${GPU_HOURS_BUDGET}`, '{{namespace}}')],
          }),
          8,
          8,
        ),
        place(timeseriesPanel({ title: 'GPUs held per namespace', description: 'GPUs held by the pods of each namespace: the rate GPU-hours accrue.', unit: 'none', stack: true, queries: [q(GPUS, '{{namespace}}')] }), 12, 8),
        place(timeseriesPanel({ title: 'Month-end GPU-hour forecast', description: `Forecast GPU-hours this month per namespace, and the budget of $${GPU_HOURS_BUDGET} GPU-hours.`, unit: 'none', queries: [q(GPU_HOURS_FORECAST, '{{namespace}}'), q(`vector($${GPU_HOURS_BUDGET})`, 'budget')] }), 12, 8),
      ],
    },
    {
      title: 'Per team',
      panels: [
        place(tablePanel({ title: 'GPU-hours per team in range', description: "GPU-hours the namespaces of each team held over the dashboard's time range (a namespace's team is its team label; namespaces without one count under an empty team).", unit: 'none', decimals: 1, queries: [q(perTeam(GPU_HOURS_IN_RANGE), '{{team}}')] }), 8, 8),
        place(
          tablePanel({
            title: 'Month-end forecast per team against budget',
            description: `GPU-hours each team would use this month at its namespaces' average allocation of the past day, as a share of their budgets ($${GPU_HOURS_BUDGET} GPU-hours per namespace).`,
            unit: 'percentunit',
            thresholds: [['orange', 0.8], ['red', 1]],
            queries: [q(`${perTeam(GPU_HOURS_FORECAST)} / (count by (team) (${GPU_HOURS_FORECAST} * on (namespace) group_left (team) ai:namespace_team_info) * $${GPU_HOURS_BUDGET})`, '{{team}}')],
          }),
          8,
          8,
        ),
        place(timeseriesPanel({ title: 'Spend per team per hour', description: `Compute (GPUs held at $${GPU_HOUR_PRICE} USD per GPU-hour) and tokens (at $${TOKEN_PRICE_PER_MILLION} USD per million) per team, as spend per hour at the current pace.`, unit: 'currencyUSD', stack: true, queries: [q(`${perTeam(GPUS)} * $${GPU_HOUR_PRICE}`, '{{team}} GPUs'), q(perTeam(TOKEN_SPEND_PER_HOUR), '{{team}} tokens')] }), 8, 8),
      ],
    },
    {
      title: 'Tokens',
      panels: [
        place(timeseriesPanel({ title: 'Token spend per hour', description: `Prompt and generated tokens per model, priced at $${TOKEN_PRICE_PER_MILLION} USD per million, as spend per hour at the current pace.`, unit: 'currencyUSD', stack: true, queries: [q(`sum by (namespace, model) ${TOKENS} * 3600 * $${TOKEN_PRICE_PER_MILLION} / 1e6`, legendOf(['namespace', 'model']))] }), 12, 8),
        place(
          tablePanel({
            title: 'Token spend in range',
            description: `Tokens processed per model over the time range (a per-minute sum of the token rates), priced at $${TOKEN_PRICE_PER_MILLION} USD per million.`,
            unit: 'currencyUSD',
            decimals: 2,
            queries: [q(`sum by (namespace, model) (sum_over_time(sum by (namespace, model) ${TOKENS}[$__range:1m])) * 60 * $${TOKEN_PRICE_PER_MILLION} / 1e6`, legendOf(['namespace', 'model']))],
          }),
          12,
          8,
        ),
      ],
    },
  ]);
}
