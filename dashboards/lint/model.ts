/**
 * The parts of a classic dashboard JSON the lint reads. Hand-made and exported dashboards vary
 * (legacy string datasources, panels without gridPos, graph panels), so every field is optional
 * and checked before use.
 */
export interface LintPanel {
  readonly id?: unknown;
  readonly type?: unknown;
  readonly title?: unknown;
  readonly description?: unknown;
  readonly datasource?: unknown;
  readonly gridPos?: { readonly x?: unknown; readonly y?: unknown; readonly w?: unknown; readonly h?: unknown };
  readonly collapsed?: unknown;
  readonly panels?: readonly LintPanel[];
  readonly targets?: readonly LintTarget[];
  readonly fieldConfig?: { readonly defaults?: { readonly unit?: unknown; readonly mappings?: readonly unknown[] } };
  readonly options?: { readonly legend?: { readonly showLegend?: unknown; readonly displayMode?: unknown }; readonly reduceOptions?: { readonly calcs?: unknown } };
}

export interface LintTarget {
  readonly refId?: unknown;
  readonly expr?: unknown;
  readonly datasource?: unknown;
  readonly hide?: unknown;
}

export interface LintVariable {
  readonly name: string;
  readonly type: string;
  readonly label?: unknown;
  readonly query?: unknown;
  readonly definition?: unknown;
  readonly refresh?: unknown;
  readonly includeAll?: boolean;
  readonly allValue?: string;
  readonly current?: { readonly value?: unknown };
  readonly options?: readonly { readonly value?: unknown }[];
}

export interface LintDashboard {
  readonly title?: unknown;
  readonly uid?: unknown;
  readonly editable?: unknown;
  readonly panels?: readonly LintPanel[];
  readonly rows?: unknown;
  readonly templating?: { readonly list?: readonly LintVariable[] };
  readonly annotations?: { readonly list?: readonly { readonly name?: unknown; readonly expr?: unknown; readonly datasource?: unknown }[] };
}

/** panelTitle is a panel's title for messages: its title, or `#id` when it has none. */
export function panelTitle(p: LintPanel): string {
  return typeof p.title === 'string' && p.title !== '' ? p.title : `#${String(p.id ?? '?')}`;
}

/** allPanels lists every panel, those nested in (collapsed) rows after their row. */
export function allPanels(d: LintDashboard): LintPanel[] {
  const out: LintPanel[] = [];
  for (const p of d.panels ?? []) {
    out.push(p);
    for (const nested of p.panels ?? []) out.push(nested);
  }
  return out;
}

/** QUERY_PANEL_TYPES are the panel types that show query results (not rows, text, news, ...). */
const NO_QUERY_TYPES = new Set(['row', 'text', 'news', 'dashlist', 'alertlist', 'annolist', 'welcome', 'gettingstarted']);

export function isQueryPanel(p: LintPanel): boolean {
  return typeof p.type === 'string' && !NO_QUERY_TYPES.has(p.type);
}
