import { createHash } from 'node:crypto';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/**
 * The house helpers every dashboard section is built from. They exist to set, once, what the
 * foundation SDK (0.0.21) leaves unset or gets wrong (reference/dashboards.md, "Pitfalls"): the
 * panel-level datasource, a visible legend, a stat's reduce calcs, and the variables every
 * dashboard shares. Ids and gridPos are not set here: layout.ts computes them.
 */

/** DATASOURCE is the templated Prometheus data source every panel and target uses. */
export const DATASOURCE: dashboard.DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/** PanelBuilder is what layout.ts needs of a panel builder: an id and a position. */
export interface PanelBuilder {
  build(): dashboard.Panel;
  id(id: number): unknown;
  gridPos(pos: dashboard.GridPos): unknown;
}

/** Query is one PromQL target; `instant` for stats, gauges and tables that show the last value. */
export interface Query {
  readonly expr: string;
  readonly legend: string;
  readonly instant?: boolean;
}

/** q writes a Query: the expression and its legend format. */
export function q(expr: string, legend: string): Query {
  return { expr: oneLine(expr), legend };
}

/** oneLine collapses an expression's layout whitespace, so queries read well in Grafana's editor. */
export function oneLine(expr: string): string {
  return expr.trim().replace(/\s*\n\s*/g, ' ');
}

function target(query: Query, i: number, instant: boolean): prometheus.DataqueryBuilder {
  const t = new prometheus.DataqueryBuilder().expr(query.expr).legendFormat(query.legend).refId(String.fromCharCode(65 + i)).datasource(DATASOURCE);
  return instant || query.instant === true ? t.instant() : t.range();
}

/** PanelSpec is what every panel states: a title and a description (linted), a unit, its queries. */
export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly queries: readonly Query[];
  readonly min?: number;
  readonly max?: number;
  readonly decimals?: number;
  /** thresholds: [color, from] steps after the base green, such as [['orange', 0.8], ['red', 0.95]]. */
  readonly thresholds?: readonly (readonly [string, number])[];
}

function thresholdSteps(spec: PanelSpec): dashboard.ThresholdsConfigBuilder {
  const steps: dashboard.Threshold[] = [{ value: null, color: 'green' }, ...(spec.thresholds ?? []).map(([color, value]) => ({ color, value }))];
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);
}

/** timeseriesPanel is a time series with a table legend (last, max) under it, always shown. */
export function timeseriesPanel(spec: PanelSpec & { readonly stack?: boolean; readonly thresholdLines?: boolean }): timeseries.PanelBuilder {
  const p = new timeseries.PanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .thresholds(thresholdSteps(spec))
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.Table).placement(common.LegendPlacement.Bottom).calcs(['lastNotNull', 'max']))
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
    .lineWidth(1)
    .fillOpacity(spec.stack === true ? 30 : 10);
  // A threshold drawn as a dashed line is the objective or the alert's burn rate on the graph.
  if (spec.thresholdLines === true) p.thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  if (spec.stack === true) p.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (spec.min !== undefined) p.min(spec.min);
  if (spec.max !== undefined) p.max(spec.max);
  if (spec.decimals !== undefined) p.decimals(spec.decimals);
  spec.queries.forEach((query, i) => p.withTarget(target(query, i, false)));
  return p;
}

/** statPanel shows the last non-null value of each series (calcs are empty by default in the SDK). */
export function statPanel(spec: PanelSpec & { readonly graph?: boolean }): stat.PanelBuilder {
  const p = new stat.PanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .thresholds(thresholdSteps(spec))
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .graphMode(spec.graph === true ? common.BigValueGraphMode.Area : common.BigValueGraphMode.None)
    .colorMode(common.BigValueColorMode.Value)
    .textMode(common.BigValueTextMode.Auto);
  if (spec.min !== undefined) p.min(spec.min);
  if (spec.max !== undefined) p.max(spec.max);
  if (spec.decimals !== undefined) p.decimals(spec.decimals);
  // A sparkline needs a range query; a plain number only the last value.
  spec.queries.forEach((query, i) => p.withTarget(target(query, i, spec.graph !== true)));
  return p;
}

/** gaugePanel shows the last value against min..max and the thresholds. */
export function gaugePanel(spec: PanelSpec): gauge.PanelBuilder {
  const p = new gauge.PanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .min(spec.min ?? 0)
    .max(spec.max ?? 1)
    .thresholds(thresholdSteps(spec))
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  if (spec.decimals !== undefined) p.decimals(spec.decimals);
  spec.queries.forEach((query, i) => p.withTarget(target(query, i, true)));
  return p;
}

/**
 * tablePanel lists the label sets of instant queries with their values, one row per series
 * (the `labelsToFields`-free "table" format merges the queries on their labels).
 */
export function tablePanel(spec: PanelSpec): table.PanelBuilder {
  const p = new table.PanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .thresholds(thresholdSteps(spec))
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({ id: 'organize', options: { excludeByName: { Time: true } } });
  if (spec.decimals !== undefined) p.decimals(spec.decimals);
  spec.queries.forEach((query, i) => p.withTarget(target(query, i, true).format(prometheus.PromQueryFormat.Table)));
  return p;
}

/** datasourceVariable is the one Prometheus data source variable the linter expects. */
export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder('datasource').label('Data Source').type('prometheus').regex('').multi(false).includeAll(false);
}

/**
 * labelVariable is a multi-value label filter with "All" meaning `.*`, refreshed when the time
 * range changes (so a model that started serving an hour ago shows up).
 */
export function labelVariable(name: string, label: string, metric: string): dashboard.QueryVariableBuilder {
  const query = `label_values(${metric}, ${name})`;
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query({ qryType: 1, query, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ selected: true, text: ['All'], value: ['$__all'] });
}

/** constantVariable is a hidden number the queries use: a price or a budget, edited in the generator. */
export function constantVariable(name: string, value: string, description: string): dashboard.ConstantVariableBuilder {
  return new dashboard.ConstantVariableBuilder(name).value(value).description(description);
}

/** ALERTS_ANNOTATION_COLOR etc. are the annotation colors: red for alerts, blue for rollouts. */
const ROLLOUT_COLOR = 'blue';

/**
 * rolloutAnnotation marks when a model version starts serving: a version series that did not
 * exist 10 minutes before (Grafana turns consecutive steps into one region).
 */
export function rolloutAnnotation(): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder()
    .name('Model rollouts')
    .datasource(DATASOURCE)
    .enable(true)
    .iconColor(ROLLOUT_COLOR)
    .expr(oneLine('group by (namespace, model, version) (ai:model_version_info{namespace=~"$namespace", model=~"$model"}) unless group by (namespace, model, version) (ai:model_version_info offset 10m)'))
    .step('1m')
    .titleFormat('{{model}} {{version}} serving')
    .textFormat('namespace {{namespace}}')
    .tagKeys('namespace,model,version');
}

/** newDashboard starts a dashboard with the house settings: uneditable (generated), UTC, shared crosshair. */
export function newDashboard(uid: string, title: string, description: string, tags: readonly string[]): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['vigil', ...tags])
    .readonly()
    .timezone('utc')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' })
    .withVariable(datasourceVariable());
}

/** matchers writes `{a=~"$a", b=~"$b"}` for the given variables (the selector's own matchers first). */
export function matchers(variables: readonly string[], extra: readonly string[] = []): string {
  return `{${[...extra, ...variables.map((v) => `${v}=~"$${v}"`)].join(', ')}}`;
}

/** legendOf writes a legend format of labels: `{{namespace}}/{{model}}`. */
export function legendOf(labels: readonly string[], sep = '/'): string {
  return labels.map((l) => `{{${l}}}`).join(sep);
}

/** quantileQuery is a histogram quantile over an `ai:` bucket rate, per the given labels. */
export function quantileQuery(q: number, bucketRate: string, by: readonly string[], filter: string): string {
  return `histogram_quantile(${q}, sum by (${[...by, 'le'].join(', ')}) (${bucketRate}${filter}))`;
}

/**
 * burnRateQuery is an SLO's burn rate over one window: its error ratio over the window divided by
 * its error budget (1 - objective), joined on the SLO's identity, so 1 means "spends exactly the
 * budget by the end of the period". `slo:objective:ratio` carries no grouping labels, hence
 * group_left.
 */
export function burnRateQuery(window: string, filter: string): string {
  return `slo:sli_error:ratio_rate${window}${filter} / on (slo, service) group_left () slo:error_budget:ratio`;
}

/** Prices and budgets the cost panels multiply by; constants, so they are edited in one place. */
export const TOKEN_PRICE_PER_MILLION = 'token_price_per_million';
export const GPU_HOUR_PRICE = 'gpu_hour_price';
export const GPU_HOURS_BUDGET = 'gpu_hours_budget';

/**
 * priceVariables are the cost constants: USD per million tokens (prompt and generated alike),
 * USD per GPU-hour, and the monthly GPU-hour budget per namespace that the cost-runaway rule pack
 * also uses (8000).
 */
export function priceVariables(): dashboard.ConstantVariableBuilder[] {
  return [
    constantVariable(TOKEN_PRICE_PER_MILLION, '2', 'USD per million tokens, prompt and generated'),
    constantVariable(GPU_HOUR_PRICE, '2.5', 'USD per GPU-hour'),
    constantVariable(GPU_HOURS_BUDGET, '8000', 'GPU-hours per namespace per calendar month (rules/packs/ai-platform/cost-runaway.yaml)'),
  ];
}

/** UID_MAX is Grafana's limit on a dashboard uid. */
export const UID_MAX = 40;

/**
 * uidOf makes a Grafana uid from a name: lower case, `-` for anything but letters and digits,
 * and, past 40 characters, a prefix and a hash of the whole name so two long names stay apart.
 */
export function uidOf(name: string): string {
  const clean = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  if (clean.length <= UID_MAX) return clean;
  return `${clean.slice(0, UID_MAX - 9)}-${createHash('sha1').update(name).digest('hex').slice(0, 8)}`;
}
