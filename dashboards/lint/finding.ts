/**
 * Finding is one defect the lint found in a dashboard. `rule` is the dashboard-linter rule name
 * where the check is one of its rules (grafana/dashboard-linter lint/rules.go), else a vigil rule
 * named the same way. `panel` is the panel's title; absent for a dashboard-wide finding.
 */
export interface Finding {
  readonly rule: string;
  readonly panel?: string;
  readonly panelId?: number;
  /** target is the query's refId, for a finding about one query. */
  readonly target?: string;
  readonly message: string;
}

/** formatFinding writes a finding as one line: `panel "p95 latency": reason [rule]`. */
export function formatFinding(f: Finding, dashboardTitle: string): string {
  const where = f.panel === undefined ? `dashboard ${JSON.stringify(dashboardTitle)}` : `panel ${JSON.stringify(f.panel)}`;
  const target = f.target === undefined ? '' : ` (query ${f.target})`;
  return `${where}${target}: ${f.message} [${f.rule}]`;
}
