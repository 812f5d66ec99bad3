import type { Finding } from './finding.js';
import { checkGrid, checkIds } from './grid.js';
import { allPanels, isQueryPanel, type LintDashboard, panelTitle } from './model.js';
import { checkQuery } from './promql.js';
import { panelRules, templateDatasourceRule, templateQueryRules, uneditableRule } from './rules.js';
import { BUILTIN_VARIABLES, substitutions, variableReferences } from './variables.js';

/** strings collects every string in a JSON value, with the path where it was found. */
function strings(value: unknown, path: string, out: { path: string; text: string }[]): void {
  if (typeof value === 'string') out.push({ path, text: value });
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${path}[${i}]`, out));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) strings(v, path === '' ? k : `${path}.${k}`, out);
}

/** undefinedVariables: every `$name` anywhere in the dashboard (queries, titles, links) names a variable. */
function undefinedVariables(d: LintDashboard, defined: ReadonlySet<string>): Finding[] {
  const found: { path: string; text: string }[] = [];
  strings(d, '', found);
  const out: Finding[] = [];
  const reported = new Set<string>();
  for (const { path, text } of found) {
    for (const name of variableReferences(text)) {
      if (defined.has(name) || BUILTIN_VARIABLES.has(name) || reported.has(name)) continue;
      reported.add(name);
      out.push({ rule: 'template-undefined-variable-rule', message: `$${name} (in ${path}) is not a variable of the dashboard` });
    }
  }
  return out;
}

/**
 * lintDashboard checks a classic dashboard JSON, ours or hand-made: the dashboard-linter rules
 * (rules.ts), unique panel ids (rows' nested panels included), the grid, every `$variable`
 * defined, and every Prometheus query parsed and type-checked by vigil's PromQL parser after
 * variable substitution, with rates over `$__rate_interval` and no unrated counters. Findings come
 * dashboard-wide first, then panel by panel in the dashboard's order.
 */
export function lintDashboard(d: LintDashboard): Finding[] {
  const vars = d.templating?.list ?? [];
  const values = substitutions(vars);
  const panels = allPanels(d);
  const findings: Finding[] = [
    ...templateDatasourceRule(vars),
    ...templateQueryRules(vars, values),
    ...uneditableRule(d),
    ...undefinedVariables(d, new Set(vars.map((v) => v.name))),
    ...checkIds(panels),
    ...checkGrid(d),
  ];
  if (d.rows !== undefined) findings.push({ rule: 'schema-version-rule', message: 'uses the pre-5.0 "rows" layout; import it into Grafana once and export it again' });
  for (const a of d.annotations?.list ?? []) {
    if (typeof a.expr !== 'string' || a.expr === '') continue;
    for (const p of checkQuery(a.expr, values)) if (p.rule === 'target-promql-rule') findings.push({ rule: p.rule, message: `annotation ${JSON.stringify(a.name ?? '')}: ${p.message}` });
  }
  for (const p of panels) {
    findings.push(...panelRules(p));
    if (!isQueryPanel(p)) continue;
    for (const t of p.targets ?? []) {
      if (typeof t.expr !== 'string' || t.hide === true) continue;
      for (const problem of checkQuery(t.expr, values)) {
        findings.push({ rule: problem.rule, panel: panelTitle(p), ...(typeof p.id === 'number' ? { panelId: p.id } : {}), target: String(t.refId ?? '?'), message: problem.message });
      }
    }
  }
  return findings;
}
