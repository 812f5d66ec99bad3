import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRuleFiles, RuleLoadError } from '../../../rules/load/loader.js';
import { formatIssue } from '../../../util/yamlreader.js';
import { loadOne, loadText } from './helpers.js';

const M = 60_000;
const DAY = 24 * 60 * M;
const dir = mkdtempSync(join(tmpdir(), 'vigil-openslo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const INLINE = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: chat-availability
  labels:
    team: [ml, platform]
spec:
  service: chat
  description: Chat requests that succeed.
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  indicator:
    metadata:
      name: chat-errors
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: http_requests_total{job="chat", code=~"5.."}
        total:
          metricSource:
            type: Prometheus
            spec:
              query: http_requests_total{job="chat"}
  objectives:
    - displayName: good
      target: 0.995
`;

describe('OpenSLO', () => {
  it('reads an openslo/v1 SLO with an inline indicator; no alert policy means no burn alerts', () => {
    const slo = loadOne(INLINE);
    expect(slo).toMatchObject({
      service: 'chat',
      name: 'chat-availability',
      objectivePercent: 99.5,
      window: { kind: 'rolling', ms: 28 * DAY },
      sli: { kind: 'events', error: 'http_requests_total{job="chat", code=~"5.."}', total: 'http_requests_total{job="chat"}' },
      labels: { team: 'ml,platform' },
      alerting: { name: 'SLOErrorBudgetBurn', page: undefined, ticket: undefined },
      noData: { policy: 'ignore' },
    });
  });

  it('resolves indicatorRef, alertPolicies and conditionRef against the documents of the same file', () => {
    const file = join(dir, 'refs.yaml');
    writeFileSync(
      file,
      `apiVersion: openslo/v1
kind: SLI
metadata:
  name: ttft-good
spec:
  ratioMetric:
    counter: true
    good:
      metricSource:
        type: Prometheus
        spec:
          query: vllm:time_to_first_token_seconds_bucket{le="0.5"}
    total:
      metricSource:
        type: Prometheus
        spec:
          query: vllm:time_to_first_token_seconds_count
---
apiVersion: openslo/v1
kind: AlertCondition
metadata:
  name: fast-burn
spec:
  severity: page
  condition:
    kind: burnrate
    op: gte
    threshold: 14.4
    lookbackWindow: 1h
    alertAfter: 2m
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata:
  name: oncall
spec:
  alertWhenNoData: true
  conditions:
    - conditionRef: fast-burn
    - kind: AlertCondition
      metadata:
        name: slow-burn
      spec:
        severity: ticket
        condition:
          kind: burnrate
          threshold: 1
          lookbackWindow: 3d
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: ttft
spec:
  service: vllm
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 1M
      isRolling: false
      calendar:
        startTime: 2026-01-01 00:00:00
        timeZone: Europe/Berlin
  indicatorRef: ttft-good
  objectives:
    - targetPercent: 99
  alertPolicies:
    - oncall
`,
    );
    const { ruleSet, warnings } = loadRuleFiles([file]);
    expect(warnings).toEqual([]);
    expect(ruleSet.slos).toHaveLength(1);
    const slo = ruleSet.slos[0]!;
    expect(slo.sli).toEqual({ kind: 'events', good: 'vllm:time_to_first_token_seconds_bucket{le="0.5"}', total: 'vllm:time_to_first_token_seconds_count' });
    expect(slo.window).toEqual({ kind: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' });
    expect(slo.objectivePercent).toBe(99);
    // A burn rate over a lookback window becomes a window pair: the short window is 1/12 of it.
    expect(slo.alerting.page).toEqual({ windows: [{ longMs: 60 * M, shortMs: 5 * M, budgetPercent: 2 }], forMs: 2 * M, labels: {}, annotations: {} });
    expect(slo.alerting.ticket).toEqual({ windows: [{ longMs: 3 * DAY, shortMs: 360 * M, budgetPercent: 10 }], forMs: 0, labels: {}, annotations: {} });
    expect(slo.noData.policy).toBe('alert');
  });

  it('reports a reference to a document the file does not hold', () => {
    const file = join(dir, 'missing.yaml');
    writeFileSync(file, INLINE.replace(/  indicator:\n[^]*?  objectives:/, '  indicatorRef: nowhere\n  objectives:'));
    let err: unknown;
    try {
      loadRuleFiles([file]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RuleLoadError);
    expect((err as RuleLoadError).issues.map(formatIssue)).toEqual([
      `${file}:14:17: spec.indicatorRef: no OpenSLO SLI named "nowhere" in this file (vigil resolves references within one file)`,
    ]);
  });

  it("reads Sloth's openslo/v1alpha golden input, one SLO per objective named as Sloth names it", () => {
    const text = readFileSync('/work/shared/fixtures/sloth/sloth__test_integration_prometheus_testdata_in-openslo.yaml', 'utf8');
    const slo = loadOne(text);
    expect(slo).toMatchObject({
      service: 'svc01',
      name: 'slo1-0',
      description: 'this is SLO1.',
      objectivePercent: 99.9,
      window: { kind: 'rolling', ms: 30 * DAY },
      sli: {
        kind: 'query',
        errorQuery:
          'clamp_min((sum(rate(http_request_duration_seconds_count{job="myservice"}[{{.window}}]))) - (sum(rate(http_request_duration_seconds_count{job="myservice",code!~"(5..|429)"}[{{.window}}]))), 0)',
        totalQuery: 'sum(rate(http_request_duration_seconds_count{job="myservice"}[{{.window}}]))',
      },
      alerting: { page: undefined, ticket: undefined },
    });
  });

  const broken: [string, string, string][] = [
    ['Timeslices budgeting', INLINE.replace('Occurrences', 'Timeslices'), 'slo.yaml:10:20: spec.budgetingMethod: budgetingMethod "Timeslices" is not supported: vigil\'s SLOs count good and bad events (Occurrences)'],
    ['a non-Prometheus source', INLINE.replace('type: Prometheus', 'type: Datadog'), 'slo.yaml:22:19: spec.indicator.spec.ratioMetric.bad.metricSource.type: got "Datadog", expected Prometheus (vigil reads Prometheus metric sources only)'],
    ['a target in percent', INLINE.replace('target: 0.995', 'target: 99.5'), 'slo.yaml:32:15: spec.objectives[0].target: got 99.5, expected a target between 0 and 1, such as 0.999'],
    ['an unknown kind', 'apiVersion: openslo/v1\nkind: Budget\nmetadata:\n  name: x\nspec: {}\n', 'slo.yaml:2:7: kind: got "Budget", expected an OpenSLO v1 kind (SLO, SLI, AlertPolicy, AlertCondition, Service, DataSource, AlertNotificationTarget)'],
  ];
  it.each(broken)('reports %s at its position', (_what, text, message) => {
    expect(loadText(text).errors).toEqual([message]);
  });
});
