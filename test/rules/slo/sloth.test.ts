import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SLO } from '../../../rules/model.js';
import { loadText } from './helpers.js';

const FIXTURES = '/work/shared/fixtures/sloth';
const read = (name: string): string => readFileSync(`${FIXTURES}/${name}`, 'utf8');
const M = 60_000;
const withoutSource = (s: SLO): Omit<SLO, 'source'> => {
  const { source: _source, ...rest } = s;
  return rest;
};

describe('Sloth SLO files', () => {
  it('reads the prometheus/v1 golden input as it is', () => {
    const r = loadText(read('sloth__test_integration_prometheus_testdata_in-base.yaml'), 'in-base.yaml');
    expect(r.errors).toEqual([]);
    const [slo1, slo02] = r.slos;
    expect(slo1).toMatchObject({
      service: 'svc01',
      name: 'slo1',
      description: 'This is SLO 01.',
      objectivePercent: 99.9,
      window: { kind: 'rolling', ms: 30 * 24 * 60 * M },
      sli: {
        kind: 'query',
        errorQuery: 'sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[{{.window}}]))',
        totalQuery: 'sum(rate(http_request_duration_seconds_count{job="myservice"}[{{.window}}]))',
      },
      grouping: [],
      labels: { global01k1: 'global01v1', global02k1: 'global02v1' },
      noData: { policy: 'ignore', forMs: 0 },
      optimize: 'chained',
      source: { file: 'in-base.yaml', line: 6, column: 5, path: 'slos[0]' },
    });
    expect(slo1?.alerting).toEqual({
      name: 'myServiceAlert',
      labels: { alert01k1: 'alert01v1' },
      annotations: { alert02k1: 'alert02k2' },
      runbookUrl: undefined,
      page: {
        windows: [
          { longMs: 60 * M, shortMs: 5 * M, budgetPercent: 2 },
          { longMs: 360 * M, shortMs: 30 * M, budgetPercent: 5 },
        ],
        forMs: 0,
        labels: { alert03k1: 'alert03v1' },
        annotations: {},
      },
      ticket: {
        windows: [
          { longMs: 1440 * M, shortMs: 120 * M, budgetPercent: 10 },
          { longMs: 4320 * M, shortMs: 360 * M, budgetPercent: 10 },
        ],
        forMs: 0,
        labels: { alert04k1: 'alert04v1' },
        annotations: {},
      },
    });
    expect(slo02).toMatchObject({
      name: 'slo02',
      objectivePercent: 95,
      sli: { kind: 'raw' },
      labels: { global01k1: 'global01v1', global03k1: 'global03v1' },
      alerting: { name: 'SLOErrorBudgetBurn', page: undefined, ticket: undefined },
    });
    expect(slo02?.sli.kind === 'raw' && slo02.sli.errorRatio).toContain('[{{.window}}]))\n/\n');
  });

  it('reads the PrometheusServiceLevel resource into the same SLOs', () => {
    const spec = loadText(read('sloth__test_integration_prometheus_testdata_in-base.yaml'));
    const k8s = loadText(read('sloth__test_integration_prometheus_testdata_in-base-k8s.yaml'));
    expect(k8s.errors).toEqual([]);
    expect(k8s.slos.map(withoutSource)).toEqual(spec.slos.map(withoutSource));
  });

  const broken: [string, string, string | string[]][] = [
    [
      'an SLI plugin',
      'version: prometheus/v1\nservice: s\nslos:\n  - name: a\n    objective: 99\n    sli:\n      plugin:\n        id: x\n',
      'slo.yaml:8:9: slos[0].sli.plugin: Sloth SLI plugins are not supported by vigil; write the SLI as events or raw queries',
    ],
    [
      'a query without {{.window}}',
      'version: prometheus/v1\nservice: s\nslos:\n  - name: a\n    objective: 99\n    sli:\n      events:\n        error_query: sum(rate(x{c="5"}[5m]))\n        total_query: sum(rate(x[{{.window}}]))\n',
      'slo.yaml:8:22: slos[0].sli.events.error_query: the query must contain the {{.window}} template variable where the range goes, such as rate(x[{{.window}}])',
    ],
    [
      'the same error and total queries',
      'version: prometheus/v1\nservice: s\nslos:\n  - name: a\n    objective: 99\n    sli:\n      events:\n        error_query: sum(rate(x[{{.window}}]))\n        total_query: sum(rate(x[{{.window}}]))\n',
      "slo.yaml:8:22: slos[0].sli.events.error_query: both error and total queries can't be the same",
    ],
    [
      'another spec version',
      'version: prometheus/v2\nservice: s\nslos:\n  - name: a\n    objective: 99\n    sli:\n      raw:\n        error_ratio_query: avg_over_time(x[{{.window}}])\n',
      'slo.yaml:1:10: version: got "prometheus/v2", expected "prometheus/v1"',
    ],
    [
      'a query with a PromQL error after {{.window}}',
      'version: prometheus/v1\nservice: s\nslos:\n  - name: a\n    objective: 99\n    sli:\n      events:\n        error_query: sum(rate(x{c="5"}[{{.window}}])))\n        total_query: sum(rate(x[{{.window}}]))\n',
      'slo.yaml:8:54: slos[0].sli.events.error_query: could not parse expression: 1:24: parse error: unexpected ")"',
    ],
    [
      'an SLO defined twice',
      'version: prometheus/v1\nservice: s\nslos:\n  - name: a\n    objective: 99\n    sli:\n      raw:\n        error_ratio_query: avg_over_time(x[{{.window}}])\n  - name: a\n    objective: 99\n    sli:\n      raw:\n        error_ratio_query: avg_over_time(x[{{.window}}])\n',
      'slo.yaml:9:11: slos[1].name: SLO "a" is defined twice in this service',
    ],
    [
      'a camelCase key in the prometheus/v1 spec',
      'version: prometheus/v1\nservice: s\nslos:\n  - name: a\n    objective: 99\n    sli:\n      raw:\n        errorRatioQuery: avg_over_time(x[{{.window}}])\n',
      ['slo.yaml:8:9: slos[0].sli.raw.errorRatioQuery: unknown field "errorRatioQuery" (did you mean "error_ratio_query"?)', 'slo.yaml:8:9: slos[0].sli.raw.error_ratio_query: is required'],
    ],
  ];
  it.each(broken)('reports %s at its position', (_what, text, message) => {
    expect(loadText(text).errors).toEqual(Array.isArray(message) ? message : [message]);
  });
});
