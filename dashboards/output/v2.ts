import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as dashboardv2 from '@grafana/grafana-foundation-sdk/dashboardv2';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import type * as resource from '@grafana/grafana-foundation-sdk/resource';
import type { GeneratedDashboard } from '../catalog.js';

/**
 * The v2 dashboard resource (`dashboard.grafana.app/v2`, Grafana 12+ with the v2 API) of a
 * generated dashboard, built with the SDK's dashboardv2 builders from the classic JSON, so that
 * both formats hold the same panels, queries and layout. Classic rows become a RowsLayout whose
 * rows each hold a grid with y counted from the row; panels become elements `panel-<id>`.
 * Data sources are referenced by name as `${datasource}` (v2 has no uid references).
 */

const DATASOURCE_REF = { name: '${datasource}' };

/** literal wraps a value the SDK has no builder method for as a builder (cog.Builder is just build()). */
function literal<T>(value: T): cog.Builder<T> {
  return { build: () => value };
}

function dataQuery(spec: Record<string, unknown>): cog.Builder<dashboardv2.DataQueryKind> {
  return literal({ kind: 'DataQuery' as const, group: 'prometheus', version: 'v0', datasource: DATASOURCE_REF, spec });
}

interface ClassicTarget {
  expr?: string;
  legendFormat?: string;
  refId?: string;
  instant?: boolean;
  format?: string;
}

function element(panel: dashboard.Panel): dashboardv2.PanelBuilder {
  const group = new dashboardv2.QueryGroupBuilder();
  for (const t of (panel.targets ?? []) as ClassicTarget[]) {
    const query = new prometheus.QueryV2Builder().version('v0').datasource(DATASOURCE_REF).expr(t.expr ?? '').legendFormat(t.legendFormat ?? '');
    if (t.instant === true) query.instant(true);
    else query.range(true);
    if (t.format !== undefined) query.format(t.format as prometheus.PromQueryFormat);
    group.target(new dashboardv2.TargetBuilder().refId(t.refId ?? 'A').query(query));
  }
  for (const tr of panel.transformations ?? []) group.transformation(literal({ kind: 'Transformation' as const, group: tr.id, spec: { id: tr.id, options: tr.options } }));
  // The classic and v2 FieldConfigSource are the same JSON; their generated types differ in
  // which fields are optional, hence the cast.
  return new dashboardv2.PanelBuilder()
    .id(panel.id ?? 0)
    .title(panel.title ?? '')
    .description(panel.description ?? '')
    .data(group)
    .visualization(literal<dashboardv2.VizConfigKind>({ kind: 'VizConfig', group: panel.type, version: '', spec: { options: panel.options ?? {}, fieldConfig: (panel.fieldConfig ?? { defaults: {}, overrides: [] }) as unknown as dashboardv2.FieldConfigSource } }));
}

function variable(v: dashboard.VariableModel): cog.Builder<dashboardv2.VariableKind> {
  switch (v.type) {
    case 'datasource':
      return new dashboardv2.DatasourceVariableBuilder(v.name).label(v.label ?? v.name).pluginId(String(v.query ?? 'prometheus')).regex(v.regex ?? '').multi(false).includeAll(false);
    case 'constant':
      return new dashboardv2.ConstantVariableBuilder(v.name).query(String(v.query ?? '')).description(v.description ?? '').hide(dashboardv2.VariableHide.HideVariable);
    case 'query': {
      const q = new dashboardv2.QueryVariableBuilder(v.name)
        .label(v.label ?? v.name)
        .query(dataQuery(typeof v.query === 'object' ? v.query : { query: v.query ?? '' }))
        .definition(v.definition ?? '')
        .refresh(dashboardv2.VariableRefresh.OnTimeRangeChanged)
        .sort(dashboardv2.VariableSort.AlphabeticalAsc)
        .multi(v.multi ?? false)
        .includeAll(v.includeAll ?? false);
      if (v.allValue !== undefined) q.allValue(v.allValue);
      if (v.current !== undefined) q.current({ text: v.current.text, value: v.current.value ?? '' });
      return q;
    }
    default:
      throw new Error(`variable ${v.name}: type ${v.type} has no v2 form here`);
  }
}

function annotation(a: dashboard.AnnotationQuery): dashboardv2.AnnotationQueryBuilder {
  const { name, enable, hide, iconColor, datasource: _ds, ...spec } = a as dashboard.AnnotationQuery & Record<string, unknown>;
  return new dashboardv2.AnnotationQueryBuilder()
    .name(name)
    .enable(enable)
    .hide(hide ?? false)
    .iconColor(iconColor)
    .query(dataQuery(spec));
}

/** Row is a classic row (or the panels above the first one) with its panels. */
interface Row {
  readonly title: string;
  readonly y: number;
  readonly panels: dashboard.Panel[];
}

function rowsOf(classic: dashboard.Dashboard): Row[] {
  const rows: Row[] = [];
  for (const p of classic.panels ?? []) {
    if (p.type === 'row') {
      rows.push({ title: (p as dashboard.RowPanel).title ?? '', y: (p.gridPos?.y ?? 0) + 1, panels: [...((p as dashboard.RowPanel).panels ?? [])] });
      continue;
    }
    if (rows.length === 0) rows.push({ title: '', y: 0, panels: [] });
    rows[rows.length - 1]!.panels.push(p as dashboard.Panel);
  }
  return rows;
}

/** v2Manifest is the dashboard as a `dashboard.grafana.app/v2` Dashboard resource named by its uid. */
export function v2Manifest(d: GeneratedDashboard): resource.Manifest {
  const classic = d.json;
  const b = new dashboardv2.DashboardBuilder(classic.title ?? d.uid)
    .description(classic.description ?? '')
    .tags(classic.tags ?? [])
    .editable(classic.editable ?? false)
    .cursorSync(dashboardv2.DashboardCursorSync.Crosshair)
    .timeSettings(
      new dashboardv2.TimeSettingsBuilder()
        .timezone(classic.timezone ?? 'utc')
        .from(classic.time?.from ?? 'now-6h')
        .to(classic.time?.to ?? 'now')
        .autoRefresh(classic.refresh ?? ''),
    );
  for (const v of classic.templating?.list ?? []) b.variable(variable(v));
  b.annotations((classic.annotations?.list ?? []).map(annotation));
  const layout = new dashboardv2.RowsBuilder();
  for (const row of rowsOf(classic)) {
    const grid = new dashboardv2.GridBuilder();
    for (const p of row.panels) {
      const name = `panel-${p.id ?? 0}`;
      b.element(name, element(p));
      const pos = p.gridPos ?? { x: 0, y: 0, w: 24, h: 8 };
      grid.item(new dashboardv2.GridItemBuilder().name(name).x(pos.x).y(pos.y - row.y).width(pos.w).height(pos.h));
    }
    const r = new dashboardv2.RowBuilder().title(row.title).collapse(false).layout(grid);
    if (row.title === '') r.hideHeader(true);
    layout.row(r);
  }
  b.layout(layout);
  return dashboardv2.manifest(d.uid, b).build();
}
