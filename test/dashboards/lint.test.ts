import { describe, expect, it } from 'vitest';
import { substitute, substitutions, variableReferences } from '../../dashboards/lint/variables.js';
import { checkQuery } from '../../dashboards/lint/promql.js';
import { vigilCli } from '../support/cli.js';

const FIXTURE = 'test/fixtures/dashboards/published-style.json';

describe('vigil dashboards lint', () => {
  it('finds the defects of a published-style dashboard, one "panel \\"title\\": reason" line each', async () => {
    const r = await vigilCli(['dashboards', 'lint', FIXTURE]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => l.slice(`${FIXTURE}: `.length));
    // The overlap the reference found in the DCGM dashboard: two panels at x0,y24.
    expect(lines).toContain('panel "Tensor Core Utilization": overlaps panel "GPU Utilization" (x=0 y=24 w=12 h=8 against x=0 y=24 w=12 h=8) [panel-gridpos-rule]');
    // A counter summed without rate.
    expect(lines).toContain(
      'panel "Successful requests" (query A): counter vllm:request_success_total is used without rate(), irate() or increase(): its raw value only counts up since the process started [target-counter-agg-rule]',
    );
    // The aggregation over a range vector the reference found in Pyrra's detail dashboard.
    expect(lines).toContain('panel "Rate" (query A): invalid PromQL: 1:5: parse error: expected type instant vector in aggregation expression, got range vector [target-promql-rule]');
    expect(lines).toContain('panel "Token throughput" (query A): rate() over [5m] should use [$__rate_interval], which is never shorter than four scrape intervals [target-rate-interval-rule]');
    expect(lines).toContain('panel "Token throughput": gridPos x=16 w=12 runs to column 28, past the 24-column grid [panel-gridpos-rule]');
    expect(lines).toContain('panel "p95 E2E latency": has id 3, already used by panel "Successful requests" [panel-id-rule]');
    expect(lines).toContain('dashboard "GPU and vLLM (published style)": $instance (in panels[0].targets[0].expr) is not a variable of the dashboard [template-undefined-variable-rule]');
    expect(lines.filter((l) => l.startsWith('panel "Token throughput": ')).map((l) => l.replace(/.*\[(.*)\]$/, '$1'))).toEqual([
      'panel-gridpos-rule',
      'panel-datasource-rule',
      'panel-title-description-rule',
      'panel-units-rule',
      'panel-legend-rule',
    ]);
    // The nested panel's ${model_name:regex} and the legacy "$datasource" string are fine.
    expect(lines.some((l) => l.startsWith('panel "p95 E2E latency"') && !l.includes('panel-id-rule'))).toBe(false);
    expect(lines).toHaveLength(14);
    expect(r.stderr).toBe('1 dashboard, 14 findings\n');
  });

  it('prints the findings as JSON with --json', async () => {
    const r = await vigilCli(['dashboards', 'lint', '--json', FIXTURE]);
    expect(r.code).toBe(1);
    const body = JSON.parse(r.stdout) as { findings: number; files: { file: string; findings: { rule: string; panel?: string; panelId?: number; target?: string }[] }[] };
    expect(body.findings).toBe(14);
    expect(body.files[0]!.findings).toContainEqual({ rule: 'target-counter-agg-rule', panel: 'Successful requests', panelId: 3, target: 'A', message: expect.stringContaining('vllm:request_success_total') });
  });

  it('says what is wrong with a file that is not a classic dashboard, and exits 2 without files', async () => {
    const v2 = await vigilCli(['dashboards', 'lint', 'examples/dashboards/v2/vigil-queues.v2.json']);
    expect(v2.code).toBe(1);
    expect(v2.stdout).toContain('a dashboard.grafana.app/v2 resource: lint reads classic dashboard JSON');
    const none = await vigilCli(['dashboards', 'lint']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('expected at least one dashboard FILE or DIR');
  });
});

describe('variable substitution', () => {
  const vars = [
    { name: 'namespace', type: 'query', includeAll: true, allValue: '.*', current: { value: ['$__all'] } },
    { name: 'model', type: 'query', current: { value: 'llama' } },
    { name: 'price', type: 'constant', query: '2.5' },
  ];
  const values = substitutions(vars, { rateInterval: '2m', intervalMs: 30_000, rangeMs: 6 * 3_600_000, end: 0 });

  it('replaces $var, ${var}, ${var:format}, [[var]] and the time globals, and leaves $1 alone', () => {
    expect(substitute('x{a=~"$namespace", b="${model}", c=~"${model:regex}", d="[[model]]"}[$__rate_interval] * $price / $__range_s [$__range] [$__interval] "$1"', values)).toBe(
      'x{a=~".*", b="llama", c=~"llama", d="llama"}[2m] * 2.5 / 21600 [360m] [30s] "$1"',
    );
    expect(variableReferences('label_replace(x, "a", "$1", "b", "(.*)") + $model')).toEqual(['model']);
  });

  it('type-checks after substitution and accepts a rate over $__rate_interval', () => {
    expect(checkQuery('sum by (le) (rate(foo_bucket{model=~"$model"}[$__rate_interval]))', values)).toEqual([]);
    expect(checkQuery('histogram_quantile(0.9, rate(foo_bucket))', values)).toEqual([
      { rule: 'target-promql-rule', message: expect.stringContaining('expected type range vector') },
    ]);
    expect(checkQuery('increase(foo_total[$__range])', values)).toEqual([{ rule: 'target-rate-interval-rule', message: expect.stringContaining('increase() over [6h]') }]);
  });
});
