import { expect } from 'vitest';
import { describeAlert, type ModeResult, runFailureMode } from '../../bench/failure-assess.js';
import { FAILURE_MODES, type FailureMode } from '../../bench/failure-matrix.js';
import type { RuleGroup } from '../../rules/model.js';

/** REPLAY_TIMEOUT_MS: a scenario replay takes 5 to 10 s of CPU; a shared two-core machine may triple that. */
export const REPLAY_TIMEOUT_MS = 120_000;

/** failureMode is the matrix's row group for a scenario. */
export function failureMode(scenario: string): FailureMode {
  const mode = FAILURE_MODES.find((m) => m.scenario === scenario);
  if (mode === undefined) throw new Error(`no failure mode for scenario ${scenario}`);
  return mode;
}

/**
 * expectFailureMode replays a scenario of the failure-mode matrix (bench/failure-matrix.ts) through
 * the source packs and the default pack and checks all of it: no rule fails to evaluate; each
 * expected alert fires with its severity on its component, its condition first holding within the
 * signal lag after the onset and the alert firing within its rule's promise after that, never
 * before the onset, and resolving after the recovery phase within the time allowed; every other
 * alert that fires is an allowed consequence; none fires on a healthy component. Returns the
 * assessment for further checks.
 */
export async function expectFailureMode(scenario: string, groups: readonly RuleGroup[]): Promise<ModeResult> {
  const result = await runFailureMode(failureMode(scenario), groups);
  expect(result.replay.ruleErrors, `${scenario}: rules that failed to evaluate`).toEqual([]);
  for (const row of result.rows) {
    const e = row.expectation;
    const name = `${scenario}: ${e.alert}{${Object.entries(e.labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(', ')}} (${e.severity})`;
    expect(row.alert, `${name} fires`).toBeDefined();
    expect(row.problems, name).toEqual([]);
    // The detection itself, independently of the assessment's arithmetic.
    expect(row.alert!.labels['severity'], name).toBe(e.severity);
    for (const [k, v] of Object.entries(e.labels)) expect(row.alert!.labels[k], `${name}: ${k}`).toBe(v);
    expect(row.detectionMs!, `${name}: detection time`).toBeLessThanOrEqual(e.signalLagMs + row.promise!.forMs + row.promise!.intervalMs);
    expect(row.detectionMs!, `${name}: detection time`).toBeGreaterThanOrEqual(row.promise!.forMs);
  }
  expect(result.unexpected.map(describeAlert), `${scenario}: alerts neither expected nor allowed`).toEqual([]);
  expect(
    result.loud.map((l) => `${describeAlert(l.alert)}: ${l.quiet.why}`),
    `${scenario}: alerts on a healthy component`,
  ).toEqual([]);
  return result;
}
