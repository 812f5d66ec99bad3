import { describe, expect, it } from 'vitest';
import { loadOne, loadText } from './helpers.js';

const doc = (spec: string, meta = 'metadata:\n  name: api\n'): string => `apiVersion: vigil/v1\nkind: SLO\n${meta}spec:\n${spec}`;
const EVENTS = '  service: api\n  objective: 99.9\n  sli:\n    events:\n      error: x{code="5"}\n      total: x\n';
const M = 60_000;

describe('vigil/v1 SLO', () => {
  it('reads every field', () => {
    const slo = loadOne(`apiVersion: vigil/v1
kind: SLO
metadata:
  name: vllm-ttft
  labels: {team: ml}
spec:
  service: vllm
  description: First token within 500ms.
  objective: 99
  window: 28d
  sli:
    latency:
      histogram: vllm:time_to_first_token_seconds{job="vllm"}
      threshold: 500ms
  grouping: [model_name]
  alerting:
    name: TTFTBurn
    labels: {team: ml}
    annotations: {dashboard: https://grafana/d/x}
    runbook: https://runbooks/ttft
    page:
      windows:
        - {long: 1h, short: 5m, burnRate: 14.4}
      for: 2m
      labels: {severity: critical}
    ticket: false
  noData: {policy: ignore, for: 5m}
  lowTraffic: {minEvents: 500}
  optimize: exact
`);
    expect(slo).toEqual({
      service: 'vllm',
      name: 'vllm-ttft',
      description: 'First token within 500ms.',
      objectivePercent: 99,
      window: { kind: 'rolling', ms: 28 * 24 * 60 * M },
      sli: { kind: 'latency', histogram: 'vllm:time_to_first_token_seconds{job="vllm"}', thresholdSeconds: 0.5 },
      grouping: ['model_name'],
      labels: { team: 'ml' },
      alerting: {
        name: 'TTFTBurn',
        labels: { team: 'ml' },
        annotations: { dashboard: 'https://grafana/d/x' },
        runbookUrl: 'https://runbooks/ttft',
        // 14.4 over 1h of a 28d period spends 14.4/672 of the budget.
        page: { windows: [{ longMs: 60 * M, shortMs: 5 * M, budgetPercent: 2.14285714286 }], forMs: 2 * M, labels: { severity: 'critical' }, annotations: {} },
        ticket: undefined,
      },
      noData: { policy: 'ignore', forMs: 5 * M },
      lowTraffic: { minEvents: 500 },
      optimize: 'exact',
      source: { file: 'slo.yaml', line: 1, column: 1, path: '' },
    });
  });

  it("defaults: 30d, Sloth's Google windows, no `for`, a NoData alert after 10m, chained", () => {
    const slo = loadOne(doc(EVENTS));
    expect(slo.window).toEqual({ kind: 'rolling', ms: 30 * 24 * 60 * M });
    expect(slo.sli).toEqual({ kind: 'events', error: 'x{code="5"}', total: 'x' });
    expect(slo.alerting.name).toBe('SLOErrorBudgetBurn');
    expect(slo.alerting.page?.windows.map((w) => [w.longMs / M, w.shortMs / M, w.budgetPercent])).toEqual([
      [60, 5, 2],
      [360, 30, 5],
    ]);
    expect(slo.alerting.ticket?.windows.map((w) => [w.longMs / M, w.shortMs / M, w.budgetPercent])).toEqual([
      [1440, 120, 10],
      [4320, 360, 10],
    ]);
    expect([slo.alerting.page?.forMs, slo.alerting.ticket?.forMs]).toEqual([0, 0]);
    expect(slo.noData).toEqual({ policy: 'alert', forMs: 10 * M });
    expect(slo.lowTraffic).toBeUndefined();
    expect(slo.optimize).toBe('chained');
    expect(slo.grouping).toEqual([]);
  });

  it('scales the default windows to a 7d window', () => {
    const slo = loadOne(doc(EVENTS.replace('  sli:', '  window: 7d\n  sli:')));
    expect(slo.alerting.page?.windows.map((w) => w.longMs / M)).toEqual([14, 84]);
  });

  it('reads a good selector, a raw ratio and a calendar window', () => {
    expect(loadOne(doc('  service: api\n  objective: 99\n  sli:\n    events:\n      good: x{code!~"5.."}\n      total: x\n')).sli).toEqual({
      kind: 'events',
      good: 'x{code!~"5.."}',
      total: 'x',
    });
    const raw = loadOne(doc('  service: q\n  objective: 99.5\n  window:\n    calendar: month\n    timeZone: Europe/Berlin\n  sli:\n    raw:\n      errorRatio: avg_over_time(stale[{{.window}}])\n'));
    expect(raw.sli).toEqual({ kind: 'raw', errorRatio: 'avg_over_time(stale[{{.window}}])' });
    expect(raw.window).toEqual({ kind: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' });
  });

  it('reads several SLOs from one file, each with its own position', () => {
    const r = loadText(`${doc(EVENTS)}---\n${doc(EVENTS, 'metadata:\n  name: web\n')}`);
    expect(r.errors).toEqual([]);
    expect(r.slos.map((s) => [s.name, s.source?.line])).toEqual([
      ['api', 1],
      ['web', 13],
    ]);
  });

  // Broken files: each message names file:line:column, the field path, the value and what was expected.
  const broken: [string, string, string][] = [
    ['an unknown key', doc(`${EVENTS}  objectiv: 1\n`), 'slo.yaml:12:3: spec.objectiv: unknown field "objectiv" (did you mean "objective"?)'],
    ['a missing service', doc('  objective: 99.9\n  sli:\n    events:\n      error: x{code="5"}\n      total: x\n'), 'slo.yaml:6:3: spec.service: is required'],
    ['an objective of 100', doc(EVENTS.replace('99.9', '100')), 'slo.yaml:7:14: spec.objective: got 100, expected an objective in percent, greater than 0 and less than 100, such as 99.9'],
    ['a selector that does not parse', doc(EVENTS.replace('x{code="5"}', 'x{code="5"')), 'slo.yaml:10:24: spec.sli.events.error: could not parse expression: 1:11: parse error: unexpected end of input inside braces'],
    [
      'an expression where a selector goes',
      doc(EVENTS.replace('x{code="5"}', 'rate(x[5m])')),
      'slo.yaml:10:14: spec.sli.events.error: got "rate(x[5m])", expected a series selector such as http_requests_total{code=~"5.."} (vigil applies rate() itself; use sli.raw for other expressions)',
    ],
    ['both error and good', doc(EVENTS.replace('      total: x', '      good: y\n      total: x')), 'slo.yaml:10:7: spec.sli.events: expected exactly one of error and good'],
    ['two SLI kinds', doc(`${EVENTS}    raw:\n      errorRatio: x\n`), 'slo.yaml:9:5: spec.sli: expected one of events, latency or raw, got events and raw'],
    ['the same error and total selectors', doc(EVENTS.replace('x{code="5"}', 'x')), 'slo.yaml:10:14: spec.sli.events.error: the error and total selectors are the same: every event would be an error'],
    [
      'a _bucket histogram name',
      doc('  service: api\n  objective: 99\n  sli:\n    latency:\n      histogram: h_bucket{job="a"}\n      threshold: 1s\n'),
      `slo.yaml:10:18: spec.sli.latency.histogram: got "h_bucket", expected the histogram's base name without _bucket (vigil selects h_bucket and _count itself)`,
    ],
    ['a window in words', doc(EVENTS.replace('  sli:', '  window: 30 days\n  sli:')), 'slo.yaml:8:11: spec.window: got "30 days", expected a duration such as 5m, 1h or 30d'],
    [
      'an unknown time zone',
      doc(EVENTS.replace('  sli:', '  window:\n    calendar: month\n    timeZone: Mars/Olympus\n  sli:')),
      'slo.yaml:10:15: spec.window.timeZone: got "Mars/Olympus", expected an IANA time zone such as UTC or Europe/Berlin',
    ],
    ['a reserved SLO label', doc(EVENTS, 'metadata:\n  name: api\n  labels:\n    slo: x\n'), 'slo.yaml:6:10: metadata.labels.slo: label "slo" is set by the SLO compiler and cannot be set here'],
    ['a reserved grouping label', doc(`${EVENTS}  grouping: [model, service]\n`), 'slo.yaml:12:21: spec.grouping[1]: label "service" is set by the SLO compiler and cannot be a grouping label'],
    [
      'a window in seconds',
      doc(`${EVENTS}  alerting:\n    page:\n      windows:\n        - {long: 1h, short: 90s, burnRate: 14.4}\n`),
      'slo.yaml:15:29: spec.alerting.page.windows[0].short: got "90s", expected a whole number of minutes, at least 5m (the base rate window)',
    ],
    [
      'a short window as long as the long one',
      doc(`${EVENTS}  alerting:\n    ticket:\n      windows:\n        - {long: 1h, short: 1h, budgetPercent: 2}\n`),
      'slo.yaml:15:29: spec.alerting.ticket.windows[0].short: the short window (1h) must be shorter than the long window (1h)',
    ],
    [
      'a template that does not parse',
      doc(`${EVENTS}  alerting:\n    annotations:\n      summary: "{{ $labels.slo | humanise }}"\n`),
      'slo.yaml:14:34: spec.alerting.annotations.summary: annotation "summary": template: __alert_SLOErrorBudgetBurn:1: function "humanise" not defined',
    ],
    [
      'a low-traffic guard on a raw SLI',
      doc('  service: api\n  objective: 99.9\n  sli:\n    raw:\n      errorRatio: avg_over_time(x[{{.window}}])\n  lowTraffic:\n    minEvents: 10\n'),
      'slo.yaml:12:5: spec.lowTraffic: a low-traffic guard needs event counts; the raw SLI has none (use events or latency)',
    ],
    [
      'a raw query that does not parse',
      doc('  service: api\n  objective: 99.9\n  sli:\n    raw:\n      errorRatio: "sum(rate(x[{{.window}}])) /"\n'),
      'slo.yaml:10:47: spec.sli.raw.errorRatio: could not parse expression: 1:19: parse error: unexpected end of input',
    ],
    ['page: yes', doc(`${EVENTS}  alerting:\n    page: yes\n`), 'slo.yaml:13:11: spec.alerting.page: got "yes", expected false, or a mapping with windows, for, labels and annotations'],
    ['an unknown no-data policy', doc(`${EVENTS}  noData:\n    policy: page\n`), 'slo.yaml:13:13: spec.noData.policy: got "page", expected one of "alert", "ignore"'],
    ['an unknown optimize', doc(`${EVENTS}  optimize: fast\n`), 'slo.yaml:12:13: spec.optimize: got "fast", expected one of "chained", "exact"'],
    [
      'a name with a space',
      doc(EVENTS, 'metadata:\n  name: "my slo"\n'),
      `slo.yaml:4:9: metadata.name: got "my slo", expected a name of letters, digits, '_', '.' and '-' starting with a letter or digit`,
    ],
    [
      'an alert name with a dash',
      doc(`${EVENTS}  alerting:\n    name: my-alert\n`),
      'slo.yaml:13:11: spec.alerting.name: got "my-alert", expected an alert name such as SLOErrorBudgetBurn ([a-zA-Z_:][a-zA-Z0-9_:]*)',
    ],
    ['a runbook that is not a URL', doc(`${EVENTS}  alerting:\n    runbook: runbooks/api\n`), 'slo.yaml:13:14: spec.alerting.runbook: got "runbooks/api", expected an http(s) URL'],
    [
      'optimize: exact on a raw query without {{.window}}',
      doc('  service: api\n  objective: 99.9\n  sli:\n    raw:\n      errorRatio: stale_ratio\n  optimize: exact\n'),
      'slo.yaml:11:13: spec.optimize: optimize: exact fills each window into the raw query, which has no {{.window}}',
    ],
  ];
  it.each(broken)('reports %s at its position', (_what, text, message) => {
    const r = loadText(text);
    expect(r.errors).toEqual([message]);
  });

  it('warns about an objective written as a fraction', () => {
    const r = loadText(doc(EVENTS.replace('99.9', '0.999')));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual(['slo.yaml:7:14: spec.objective: objective 0.999 looks like a fraction; objectives are percentages (did you mean 99.9?)']);
  });

  it('warns when the SLO window is shorter than its longest alert window', () => {
    const r = loadText(doc(`${EVENTS.replace('  sli:', '  window: 1d\n  sli:')}  alerting:\n    page:\n      windows:\n        - {long: 2d, short: 2h, budgetPercent: 50}\n`));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual(['slo.yaml:8:11: spec.window: the SLO window 1d is shorter than its longest alert window 2d: that alert looks back past the period the budget is for']);
  });
});
