import type { Finding } from './finding.js';
import { isQueryPanel, type LintDashboard, type LintPanel, type LintVariable, panelTitle } from './model.js';
import { checkVariableQuery } from './promql.js';
import { isValidUnit } from './units.js';
import type { Substitutions } from './variables.js';

/**
 * The rules of grafana/dashboard-linter (lint/rules.go at 4d0844b) that apply to Prometheus
 * dashboards, plus two the foundation SDK's defaults call for (a shown legend, stat calcs). The
 * linter's job and instance rules are left out: Kubernetes dashboards filter on namespace and
 * model, and the ai: vocabulary aggregates job and instance away.
 */

const DATASOURCE_VARIABLES = new Set(['datasource', 'prometheus_datasource']);
const UNIT_PANEL_TYPES = new Set(['stat', 'timeseries', 'gauge', 'table', 'bargauge', 'graph', 'singlestat']);

/** template-datasource-rule: exactly one Prometheus data source variable, named and labelled as the linter expects. */
export function templateDatasourceRule(vars: readonly LintVariable[]): Finding[] {
  const ds = vars.filter((v) => v.type === 'datasource');
  const rule = 'template-datasource-rule';
  if (ds.length !== 1) return [{ rule, message: `has ${ds.length} data source variables, expected exactly 1 (named "datasource")` }];
  const v = ds[0]!;
  const out: Finding[] = [];
  if (!DATASOURCE_VARIABLES.has(v.name)) out.push({ rule, message: `data source variable is named ${JSON.stringify(v.name)}, expected "datasource" or "prometheus_datasource"` });
  if (v.label !== 'Data Source' && v.label !== 'Prometheus datasource') out.push({ rule, message: `data source variable is labelled ${JSON.stringify(v.label ?? '')}, expected "Data Source"` });
  return out;
}

/** template-label-promql-rule and template-on-time-change-reload-rule, for every query variable. */
export function templateQueryRules(vars: readonly LintVariable[], values: Substitutions): Finding[] {
  const out: Finding[] = [];
  for (const v of vars) {
    if (v.type !== 'query') continue;
    const q = typeof v.query === 'string' ? v.query : typeof v.query === 'object' && v.query !== null ? (v.query as { query?: unknown }).query : undefined;
    if (typeof q !== 'string' || q.trim() === '') out.push({ rule: 'template-label-promql-rule', message: `variable ${JSON.stringify(v.name)} has no query` });
    else {
      const problem = checkVariableQuery(q, values);
      if (problem !== undefined) out.push({ rule: 'template-label-promql-rule', message: `variable ${JSON.stringify(v.name)}: ${problem}` });
    }
    if (v.refresh !== 2) out.push({ rule: 'template-on-time-change-reload-rule', message: `variable ${JSON.stringify(v.name)} has refresh ${JSON.stringify(v.refresh ?? null)}, expected 2 (on time range change)` });
  }
  return out;
}

/** uneditable-dashboard: a generated dashboard is changed in its source, not in the UI. */
export function uneditableRule(d: LintDashboard): Finding[] {
  return d.editable === false ? [] : [{ rule: 'uneditable-dashboard', message: 'is editable; set "editable": false so changes go to its source' }];
}

/** usesDatasourceVariable accepts `${datasource}`, `$datasource` (legacy string form) and their uid objects. */
function usesDatasourceVariable(ref: unknown): boolean {
  const uid = typeof ref === 'string' ? ref : typeof ref === 'object' && ref !== null ? (ref as { uid?: unknown }).uid : undefined;
  if (typeof uid !== 'string') return false;
  return [...DATASOURCE_VARIABLES].some((name) => uid === `$${name}` || uid === `\${${name}}`);
}

/** The panel rules: data source, title and description, unit, targets, legend, stat calcs. */
export function panelRules(p: LintPanel): Finding[] {
  if (!isQueryPanel(p)) return [];
  const at = { panel: panelTitle(p), ...(typeof p.id === 'number' ? { panelId: p.id } : {}) };
  const out: Finding[] = [];
  if (!usesDatasourceVariable(p.datasource)) out.push({ ...at, rule: 'panel-datasource-rule', message: `uses data source ${JSON.stringify(p.datasource ?? null)}, expected the $datasource variable` });
  for (const t of p.targets ?? []) {
    if (t.datasource !== undefined && !usesDatasourceVariable(t.datasource)) out.push({ ...at, rule: 'panel-datasource-rule', target: String(t.refId ?? '?'), message: `query uses data source ${JSON.stringify(t.datasource)}, expected the $datasource variable` });
  }
  if (typeof p.title !== 'string' || p.title.trim() === '') out.push({ ...at, rule: 'panel-title-description-rule', message: 'has no title' });
  if (typeof p.description !== 'string' || p.description.trim() === '') out.push({ ...at, rule: 'panel-title-description-rule', message: 'has no description' });
  if (typeof p.type === 'string' && UNIT_PANEL_TYPES.has(p.type) && (p.fieldConfig?.defaults?.mappings ?? []).length === 0) {
    const unit = p.fieldConfig?.defaults?.unit;
    if (typeof unit !== 'string' || unit === '') out.push({ ...at, rule: 'panel-units-rule', message: 'has no unit' });
    else if (!isValidUnit(unit)) out.push({ ...at, rule: 'panel-units-rule', message: `has unit ${JSON.stringify(unit)}, which Grafana does not know` });
  }
  if ((p.targets ?? []).length === 0) out.push({ ...at, rule: 'panel-no-targets-rule', message: 'has no queries' });
  if (p.type === 'timeseries' && (p.options?.legend?.showLegend !== true || p.options.legend.displayMode === 'hidden')) {
    out.push({ ...at, rule: 'panel-legend-rule', message: 'hides its legend, so its series cannot be told apart' });
  }
  if ((p.type === 'stat' || p.type === 'gauge') && (!Array.isArray(p.options?.reduceOptions?.calcs) || (p.options.reduceOptions.calcs as unknown[]).length === 0)) {
    out.push({ ...at, rule: 'panel-stat-calcs-rule', message: 'has no reduce calculation (reduceOptions.calcs), so it shows nothing useful' });
  }
  return out;
}
