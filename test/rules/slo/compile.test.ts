import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { typeOf } from '../../../promql/ast.js';
import { parseExpr } from '../../../promql/parse.js';
import type { AlertingRule, RecordingRule, SLO } from '../../../rules/model.js';
import { formatRuleFile } from '../../../rules/output/promfile.js';
import { compileSLO, compileSLOs, sloGroupName } from '../../../rules/slo/compile.js';
import { SLOCompileError } from '../../../rules/slo/errors.js';
import { defaultWindows } from '../../../rules/slo/windows.js';
import { checkRules } from '../output/promtool.js';

const M = 60_000;
const DAY = 24 * 60 * M;
const dir = mkdtempSync(join(tmpdir(), 'vigil-slo-compile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** slo builds an SLO with vigil/v1's defaults, overridden by `over`. */
function slo(over: Partial<SLO> = {}): SLO {
  const w = defaultWindows(30 * DAY);
  return {
    service: 'api',
    name: 'availability',
    description: '',
    objectivePercent: 99.9,
    window: { kind: 'rolling', ms: 30 * DAY },
    sli: { kind: 'events', error: 'http_requests_total{code=~"5.."}', total: 'http_requests_total' },
    grouping: [],
    labels: { team: 'web' },
    alerting: {
      name: 'SLOErrorBudgetBurn',
      labels: {},
      annotations: {},
      runbookUrl: undefined,
      page: { windows: w.page, forMs: 0, labels: {}, annotations: {} },
      ticket: { windows: w.ticket, forMs: 0, labels: {}, annotations: {} },
    },
    noData: { policy: 'alert', forMs: 10 * M },
    lowTraffic: undefined,
    optimize: 'chained',
    ...over,
  };
}

const names = (s: SLO): string[] => compileSLO(s).rules.map((r) => (r.kind === 'recording' ? r.record : `${r.alert}:${r.labels['long_window'] ?? r.labels['tier']}`));
const recording = (s: SLO, name: string): RecordingRule => compileSLO(s).rules.find((r): r is RecordingRule => r.kind === 'recording' && r.record === name)!;
const alerts = (s: SLO): AlertingRule[] => compileSLO(s).rules.filter((r): r is AlertingRule => r.kind === 'alerting');
const SEL = '{slo="availability", service="api"}';

describe('SLO compiler', () => {
  it('compiles one SLO into one group of rules in a fixed order, evaluated every minute', () => {
    const g = compileSLO(slo());
    expect(g.name).toBe('slo:api:availability');
    expect(g.name).toBe(sloGroupName(slo()));
    expect(g.intervalMs).toBe(M);
    expect(names(slo())).toEqual([
      'slo:sli_errors:rate5m',
      'slo:sli_total:rate5m',
      'slo:sli_error:ratio_rate5m',
      'slo:sli_error:ratio_rate30m',
      'slo:sli_error:ratio_rate1h',
      'slo:sli_error:ratio_rate2h',
      'slo:sli_error:ratio_rate6h',
      'slo:sli_error:ratio_rate1d',
      'slo:sli_error:ratio_rate3d',
      'slo:sli_error:ratio_rate30d',
      'slo:objective:ratio',
      'slo:error_budget:ratio',
      'slo:time_period:days',
      'slo:current_burn_rate:ratio',
      'slo:period_burn_rate:ratio',
      'slo:period_error_budget_remaining:ratio',
      'vigil_slo_info',
      'SLOErrorBudgetBurn:1h',
      'SLOErrorBudgetBurn:6h',
      'SLOErrorBudgetBurn:1d',
      'SLOErrorBudgetBurn:3d',
      'SLOErrorBudgetBurnNoData:nodata',
    ]);
  });

  it('writes only valid PromQL returning instant vectors', () => {
    for (const s of [slo(), slo({ optimize: 'exact' }), slo({ grouping: ['model'], lowTraffic: { minEvents: 100 } }), slo({ sli: { kind: 'raw', errorRatio: 'avg_over_time(x[{{.window}}])' } })]) {
      for (const r of compileSLO(s).rules) expect(typeOf(parseExpr(r.expr)), r.expr).toBe('vector');
    }
  });

  it('records the 5m rates per grouping, and counts a missing error series as zero errors', () => {
    const s = slo({ grouping: ['model'] });
    expect(recording(s, 'slo:sli_errors:rate5m').expr).toBe(
      'sum by (model) (rate(http_requests_total{code=~"5.."}[5m])) or 0 * sum by (model) (rate(http_requests_total[5m]))',
    );
    expect(recording(s, 'slo:sli_total:rate5m').expr).toBe('sum by (model) (rate(http_requests_total[5m]))');
    expect(recording(s, 'slo:sli_total:rate5m').labels).toEqual({ team: 'web', slo: 'availability', service: 'api' });
  });

  it('chains long windows as a ratio of sums of the 5m rates, never an average of ratios', () => {
    const k = (x: string) => `sum_over_time(${x}[5h56m:1m]) + 2 * ${x} + (2 * ${x} offset 5h55m or 0 * ${x})`;
    expect(recording(slo(), 'slo:sli_error:ratio_rate6h').expr).toBe(`(${k(`slo:sli_errors:rate5m${SEL}`)})\n/\n(${k(`slo:sli_total:rate5m${SEL}`)})`);
    expect(recording(slo(), 'slo:sli_error:ratio_rate30d').expr).toBe(
      `sum_over_time(slo:sli_errors:rate5m${SEL}[30d:5m])\n/\nsum_over_time(slo:sli_total:rate5m${SEL}[30d:5m])`,
    );
    expect(recording(slo(), 'slo:sli_error:ratio_rate6h').labels).toEqual({ team: 'web', slo: 'availability', service: 'api', slo_window: '6h' });
  });

  it('computes every window from the raw series with optimize: exact', () => {
    expect(recording(slo({ optimize: 'exact' }), 'slo:sli_error:ratio_rate6h').expr).toBe(
      '(\n  sum(rate(http_requests_total{code=~"5.."}[6h])) or 0 * sum(rate(http_requests_total[6h]))\n)\n/\n(\n  sum(rate(http_requests_total[6h]))\n)',
    );
  });

  it('selects the threshold bucket of a latency histogram, whole seconds in both spellings', () => {
    const lat = (t: number) => slo({ sli: { kind: 'latency', histogram: 'rpc_seconds{job="a"}', thresholdSeconds: t } });
    expect(recording(lat(0.25), 'slo:sli_errors:rate5m').expr).toBe(
      'clamp_min(sum(rate(rpc_seconds_count{job="a"}[5m])) - (sum(rate(rpc_seconds_bucket{job="a", le="0.25"}[5m])) or 0 * sum(rate(rpc_seconds_count{job="a"}[5m]))), 0)',
    );
    expect(recording(lat(1), 'slo:sli_errors:rate5m').expr).toContain('rpc_seconds_bucket{job="a", le=~"1|1\\\\.0"}');
  });

  it('averages the raw SLI over time when chained, and fills its {{.window}} when exact', () => {
    const raw = slo({ sli: { kind: 'raw', errorRatio: 'avg_over_time(stale[{{.window}}])' } });
    expect(names(raw).slice(0, 3)).toEqual(['slo:sli_error:ratio_rate5m', 'slo:sli_error:ratio_rate30m', 'slo:sli_error:ratio_rate1h']);
    expect(recording(raw, 'slo:sli_error:ratio_rate5m').expr).toBe('avg_over_time(stale[5m])');
    const r5 = `slo:sli_error:ratio_rate5m${SEL}`;
    expect(recording(raw, 'slo:sli_error:ratio_rate1h').expr).toBe(`(sum_over_time(${r5}[56m:1m]) + 2 * ${r5} + (2 * ${r5} offset 55m or 0 * ${r5})) / 60`);
    expect(recording(raw, 'slo:sli_error:ratio_rate30d').expr).toBe(`avg_over_time(slo:sli_error:ratio_rate5m${SEL}[30d:5m])`);
    expect(recording({ ...raw, optimize: 'exact' }, 'slo:sli_error:ratio_rate1h').expr).toBe('avg_over_time(stale[1h])');
    expect(alerts(raw).at(-1)?.expr).toBe(`absent(slo:sli_error:ratio_rate5m${SEL})`);
  });

  it('records the budget series without joins, and an info series with objective and window', () => {
    expect(recording(slo(), 'slo:objective:ratio').expr).toBe('vector(0.999)');
    expect(recording(slo(), 'slo:error_budget:ratio').expr).toBe('vector(0.001)');
    expect(recording(slo(), 'slo:time_period:days').expr).toBe('vector(30)');
    expect(recording(slo(), 'slo:current_burn_rate:ratio').expr).toBe(`slo:sli_error:ratio_rate5m${SEL} / 0.001`);
    expect(recording(slo(), 'slo:period_burn_rate:ratio').expr).toBe(`slo:sli_error:ratio_rate30d${SEL} / 0.001`);
    expect(recording(slo(), 'slo:period_error_budget_remaining:ratio').expr).toBe(`1 - slo:period_burn_rate:ratio${SEL}`);
    expect(recording(slo(), 'vigil_slo_info').labels).toEqual({ team: 'web', slo: 'availability', service: 'api', objective: '99.9', window: '30d' });
    const cal = slo({ window: { kind: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' } });
    expect(recording(cal, 'vigil_slo_info').labels).toMatchObject({ window: 'month', time_zone: 'Europe/Berlin' });
    expect(recording(slo({ window: { kind: 'rolling', ms: 28 * DAY } }), 'slo:sli_error:ratio_rate4w').labels['slo_window']).toBe('4w');
  });

  it('writes one alert per tier and window pair whose value is the long-window burn rate', () => {
    const [page1h] = alerts(slo({ grouping: ['model'], lowTraffic: { minEvents: 100 } }));
    const t5 = `slo:sli_total:rate5m${SEL}`;
    expect(page1h?.expr).toBe(
      'max without (slo_window) (\n' +
        `  slo:sli_error:ratio_rate1h${SEL} / 0.001 > 14.4\n` +
        '  and ignoring (slo_window)\n' +
        `  slo:sli_error:ratio_rate5m${SEL} / 0.001 > 14.4\n` +
        '  and on (model)\n' +
        `  ((sum_over_time(${t5}[56m:1m]) + 2 * ${t5} + (2 * ${t5} offset 55m or 0 * ${t5})) * 60 >= 100)\n` +
        ')',
    );
    expect(page1h?.labels).toEqual({ severity: 'page', slo: 'availability', service: 'api', tier: 'page', long_window: '1h', short_window: '5m', burn_rate: '14.4' });
    expect(Object.keys(page1h?.annotations ?? {}).sort()).toEqual(['description', 'summary']);
    expect(page1h?.annotations['summary']).toBe('{{ $labels.service }} {{ $labels.slo }} (model={{ $labels.model }}): burning the 30d error budget {{ $value | humanize }}x as fast as sustainable');
    expect(page1h?.annotations['description']).toContain(
      'At this rate the rest of the budget is gone in {{ with printf "clamp_min(slo:period_error_budget_remaining:ratio{slo=%q, service=%q, model=%q}, 0) * 2592000 / %v" $labels.slo $labels.service $labels.model $value | query }}',
    );
    const ticket = alerts(slo()).find((a) => a.labels['long_window'] === '3d');
    expect(ticket?.labels).toMatchObject({ severity: 'ticket', tier: 'ticket', burn_rate: '1', short_window: '6h' });
  });

  it('guards exact windows with the raw event count', () => {
    const [page1h] = alerts(slo({ optimize: 'exact', lowTraffic: { minEvents: 50 } }));
    expect(page1h?.expr).toContain('and on ()\n  (sum(rate(http_requests_total[1h])) * 3600 >= 50)');
  });

  it('lets labels, annotations and a runbook override the defaults, except the labels it sets', () => {
    const s = slo();
    const custom = slo({
      alerting: {
        ...s.alerting,
        name: 'APIBurn',
        labels: { team: 'web', severity: 'high' },
        annotations: { summary: 'budget burn' },
        runbookUrl: 'https://runbooks/api',
        page: { ...s.alerting.page!, forMs: 2 * M, labels: { severity: 'critical' }, annotations: {} },
      },
    });
    const [page, , ticket] = alerts(custom);
    expect(page).toMatchObject({ alert: 'APIBurn', forMs: 2 * M, labels: { severity: 'critical', team: 'web', tier: 'page' } });
    expect(page?.annotations).toMatchObject({ summary: 'budget burn', runbook_url: 'https://runbooks/api' });
    expect(ticket?.labels['severity']).toBe('high');
    expect(alerts(custom).at(-1)).toMatchObject({ alert: 'APIBurnNoData', forMs: 10 * M, labels: { severity: 'high', tier: 'nodata', slo: 'availability' } });
  });

  it('alerts on no data only when every grouping is at zero or the series is gone, and not at all with policy ignore', () => {
    expect(alerts(slo()).at(-1)?.expr).toBe(`sum by (slo, service) (slo:sli_total:rate5m${SEL}) == 0\nor\nabsent(slo:sli_total:rate5m${SEL})`);
    expect(names(slo({ noData: { policy: 'ignore', forMs: 0 } }))).not.toContain('SLOErrorBudgetBurnNoData:nodata');
  });

  it('records only the 5m window and the period when both tiers are off', () => {
    const s = slo();
    const off = slo({ alerting: { ...s.alerting, page: undefined, ticket: undefined } });
    expect(names(off).filter((n) => n.startsWith('slo:sli_error:'))).toEqual(['slo:sli_error:ratio_rate5m', 'slo:sli_error:ratio_rate30d']);
  });

  it('gives identical bytes when compiling twice', () => {
    const slos = [slo(), slo({ name: 'latency', sli: { kind: 'latency', histogram: 'h{a="b"}', thresholdSeconds: 0.5 }, grouping: ['model'] })];
    expect(formatRuleFile(compileSLOs(slos), 'x.yaml')).toBe(formatRuleFile(compileSLOs(slos.map((x) => structuredClone(x))), 'x.yaml'));
  });

  it('refuses the same SLO twice, naming both places', () => {
    const a = slo({ source: { file: 'a.yaml', line: 1, column: 1, path: '' } });
    const b = slo({ source: { file: 'b.yaml', line: 3, column: 5, path: 'slos[1]' } });
    expect(() => compileSLOs([a, b])).toThrow(
      new SLOCompileError('duplicate-slo', 'SLO "availability" of service "api" is defined twice at a.yaml:1:1 and b.yaml:3:5; both would record the same series'),
    );
    try {
      compileSLOs([a, b]);
    } catch (err) {
      expect((err as SLOCompileError).code).toBe('duplicate-slo');
    }
  });

  it('refuses windows and objectives it cannot compile', () => {
    const s = slo();
    const bad = slo({ alerting: { ...s.alerting, page: { windows: [{ longMs: 60 * M, shortMs: 90_000, budgetPercent: 2 }], forMs: 0, labels: {}, annotations: {} } } });
    expect(() => compileSLO(bad)).toThrow(/whole number of minutes/);
    expect(() => compileSLO(slo({ objectivePercent: 100 }))).toThrow(/not between 0 and 100/);
  });

  it('passes promtool check rules (SLOs of every SLI kind in one file)', () => {
    const file = join(dir, 'all.rules.yml');
    const slos = [
      slo(),
      slo({ name: 'exact', optimize: 'exact', grouping: ['model'], lowTraffic: { minEvents: 10 } }),
      slo({ name: 'good', sli: { kind: 'events', good: 'x{code!~"5.."}', total: 'x' } }),
      slo({ name: 'latency', sli: { kind: 'latency', histogram: 'h{a="b"}', thresholdSeconds: 1 } }),
      slo({ name: 'query', sli: { kind: 'query', errorQuery: 'sum(rate(e[{{.window}}]))', totalQuery: 'sum(rate(t[{{.window}}]))' } }),
      slo({ name: 'raw', sli: { kind: 'raw', errorRatio: 'avg_over_time(s[{{.window}}])' }, window: { kind: 'calendar', unit: 'week', timeZone: 'UTC' } }),
    ];
    writeFileSync(file, formatRuleFile(compileSLOs(slos), 'all.yaml'));
    expect(checkRules([file]).output).toContain(`SUCCESS: ${compileSLOs(slos).reduce((n, g) => n + g.rules.length, 0)} rules found`);
  });
});
