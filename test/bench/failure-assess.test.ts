import { describe, expect, it } from 'vitest';
import { assessFailureMode, failureModeRuleFiles, loadExampleScenario, loadFailureModeRules, phaseStart, rulePromise } from '../../bench/failure-assess.js';
import { FAILURE_MODES, type FailureMode } from '../../bench/failure-matrix.js';
import type { ReplayedAlert, ReplayResult } from '../../bench/scenario-replay.js';
import { parseScenario } from '../../collectors/simulate/index.js';
import type { RuleGroup } from '../../rules/model.js';

// The judge of test/e2e/failure-modes*.test.ts: assessFailureMode must catch every way a replay
// can break the matrix, or those tests could not fail. Here it judges made-up replays.

const M = 60_000;

const scenario = parseScenario(
  'made-up.yaml',
  `name: made-up
phases:
  - {name: baseline, at: 0s}
  - {name: breaks, at: 20m}
  - {name: fixed, at: 60m}
`,
);

const groups: RuleGroup[] = [
  {
    name: 'g',
    intervalMs: 60_000,
    limit: 0,
    queryOffsetMs: 0,
    labels: {},
    rules: [
      { kind: 'alerting', alert: 'Broken', expr: 'x > 1', forMs: 10 * M, keepFiringForMs: 0, labels: { severity: 'ticket', team: '{{ $labels.team }}' }, annotations: {} },
      { kind: 'alerting', alert: 'Burn', expr: 'y > 1', forMs: 0, keepFiringForMs: 0, labels: { severity: 'page', long_window: '1h' }, annotations: {} },
      { kind: 'alerting', alert: 'Burn', expr: 'y > 2', forMs: 30 * M, keepFiringForMs: 0, labels: { severity: 'ticket', long_window: '1d' }, annotations: {} },
    ],
  },
];

const mode: FailureMode = {
  scenario: 'made-up',
  durationMs: 120 * M,
  stepMs: 30_000,
  expected: [
    {
      alert: 'Broken',
      severity: 'ticket',
      labels: { namespace: 'a' },
      onset: 'breaks',
      signalLagMs: 5 * M,
      signalLag: 'at once',
      resolve: { after: 'fixed', withinMs: 5 * M, why: 'at once' },
    },
  ],
  allowed: [{ alert: 'Burn', labels: { namespace: 'a' }, why: 'a consequence' }],
  quiet: [{ labels: { namespace: 'b' }, why: 'b is healthy' }],
};

function alert(name: string, labels: Record<string, string>, pendingAt: number | undefined, firedAt: number, resolvedAt: number | undefined): ReplayedAlert {
  return { alertname: name, labels: { alertname: name, ...labels }, pendingAtMs: pendingAt, firedAtMs: firedAt, resolvedAtMs: resolvedAt };
}

function replay(alerts: ReplayedAlert[]): ReplayResult {
  return { durationMs: 120 * M, samples: 0, evaluations: 0, alerts, pendingOnly: 0, ruleErrors: [], cpuMs: 0 };
}

const broken = (pendingAt: number | undefined, firedAt: number, resolvedAt: number | undefined, labels: Record<string, string> = {}) =>
  alert('Broken', { namespace: 'a', severity: 'ticket', ...labels }, pendingAt, firedAt, resolvedAt);

const problems = (alerts: ReplayedAlert[]) => assessFailureMode(mode, scenario, groups, replay(alerts)).rows[0]!.problems;

describe('assessFailureMode', () => {
  it('accepts an alert that crosses within the lag, fires within its promise and resolves in time', () => {
    const r = assessFailureMode(mode, scenario, groups, replay([broken(22 * M, 32 * M, 62 * M)]));
    expect(r.rows[0]!.problems).toEqual([]);
    expect(r.rows[0]).toMatchObject({ onsetMs: 20 * M, crossingMs: 22 * M, detectionMs: 12 * M, recoveryMs: 60 * M, promise: { forMs: 10 * M, intervalMs: M } });
    expect([r.unexpected, r.loud, r.allowed]).toEqual([[], [], []]);
  });

  it('finds an alert that never fires, or fires with another severity', () => {
    expect(problems([])).toEqual(['did not fire']);
    expect(problems([broken(22 * M, 32 * M, 62 * M, { severity: 'page' })])).toEqual(['did not fire']);
  });

  it('finds a crossing later than the signal lag, and a firing outside the rule’s promise', () => {
    expect(problems([broken(26 * M, 36 * M, 62 * M)])).toEqual(['crossed 6m after the onset, more than the 5m allowed']);
    expect(problems([broken(22 * M, 34 * M, 62 * M)])).toEqual(['fired 12m after crossing, outside its promise of 10m–11m after crossing']);
  });

  it('finds a false alarm before the onset, and a condition that held before it', () => {
    expect(problems([broken(0, 10 * M, 15 * M), broken(22 * M, 32 * M, 62 * M)])).toEqual(['fired at 10m, before the onset']);
    expect(problems([broken(15 * M, 25 * M, 62 * M)])).toEqual(['its condition held from 15m, before the onset']);
  });

  it('finds an alert that resolves before the recovery, too late, or not at all', () => {
    expect(problems([broken(22 * M, 32 * M, 50 * M)])).toEqual(['resolved at 50m, before fixed']);
    expect(problems([broken(22 * M, 32 * M, 70 * M)])).toEqual(['resolved 10m after fixed, more than the 5m allowed']);
    expect(problems([broken(22 * M, 32 * M, undefined)])).toEqual(['still firing at the end, 1h after fixed']);
  });

  it('sorts every other alert into allowed consequences, unexpected ones and ones on a healthy component', () => {
    const burn = alert('Burn', { namespace: 'a', severity: 'page', long_window: '1h' }, undefined, 30 * M, undefined);
    const other = alert('Other', { namespace: 'a' }, undefined, 40 * M, undefined);
    const onB = alert('Burn', { namespace: 'b', severity: 'page', long_window: '1h' }, undefined, 40 * M, undefined);
    const r = assessFailureMode(mode, scenario, groups, replay([broken(22 * M, 32 * M, 62 * M), burn, other, onB]));
    expect(r.allowed.map((a) => a.alert)).toEqual([burn]);
    expect(r.unexpected).toEqual([other, onB]);
    expect(r.loud).toEqual([{ alert: onB, quiet: mode.quiet[0] }]);
  });
});

describe('rulePromise', () => {
  it('finds the rule by name and its fixed labels (an SLO tier), not its templated ones', () => {
    expect(rulePromise(groups, { alertname: 'Burn', long_window: '1d', severity: 'ticket', namespace: 'a' })).toEqual({ forMs: 30 * M, intervalMs: M });
    expect(rulePromise(groups, { alertname: 'Burn', long_window: '1h', severity: 'page' })).toEqual({ forMs: 0, intervalMs: M });
    expect(rulePromise(groups, { alertname: 'Broken', severity: 'ticket', team: 'x' })).toEqual({ forMs: 10 * M, intervalMs: M });
    expect(rulePromise(groups, { alertname: 'Burn', long_window: '3d' })).toBeUndefined();
  });
});

describe('the failure-mode matrix', () => {
  it('names phases its scenarios have, and alerts the packs define with the severity they set', async () => {
    const packs = loadFailureModeRules();
    expect(failureModeRuleFiles().some((f) => f.endsWith('ai-platform/slos.yaml'))).toBe(true);
    const alerting = packs.flatMap((g) => g.rules).filter((r) => r.kind === 'alerting');
    for (const m of FAILURE_MODES) {
      const s = await loadExampleScenario(m.scenario);
      for (const e of m.expected) {
        expect(() => phaseStart(s, e.onset), `${m.scenario}: ${e.alert}`).not.toThrow();
        if ('after' in e.resolve) expect(phaseStart(s, e.resolve.after), `${m.scenario}: ${e.alert}`).toBeGreaterThan(phaseStart(s, e.onset));
        // A rule of that name whose fixed labels (severity, an SLO tier's windows) agree with the row.
        const want: Record<string, string> = { ...e.labels, severity: e.severity };
        const rules = alerting.filter((r) => r.alert === e.alert && Object.entries(r.labels).every(([k, v]) => v.includes('{{') || want[k] === undefined || want[k] === v));
        expect(rules.length, `${m.scenario}: ${e.alert} (${e.severity})`).toBeGreaterThan(0);
      }
      expect(m.durationMs % m.stepMs, m.scenario).toBe(0);
    }
  });
});
