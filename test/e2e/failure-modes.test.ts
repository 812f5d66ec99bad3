import { describe, expect, it } from 'vitest';
import { describeAlert, loadExampleScenario, loadFailureModeRules } from '../../bench/failure-assess.js';
import { STEADY } from '../../bench/failure-matrix.js';
import { replayScenario } from '../../bench/scenario-replay.js';
import { expectFailureMode, REPLAY_TIMEOUT_MS } from '../support/failure-modes.js';

// The failure-mode matrix (bench/failure-matrix.ts), part 1 of 3: the steady scenario and GPU
// starvation. Each scenario is simulated at its step (every exporter body rendered and parsed as a
// scrape), streamed into a store and evaluated through the source packs and the default pack
// (rules/packs/sources, rules/packs/ai-platform) on a virtual clock, as `vigil simulate` then
// `vigil backtest` would. The matrix is split over three files so that vitest runs them in
// parallel: failure-modes-rollout-gap.test.ts and failure-modes-queue-cost.test.ts hold the rest.
// `npm run bench -- failure-modes` prints the same matrix with its detection times.

const groups = loadFailureModeRules();

/**
 * STEADY_TEST_MS: the suite replays 6 hours of the steady scenario (12 to 15 s of CPU); the bench
 * replays the full week of STEADY, which fires nothing either but costs about 10 minutes of CPU
 * (1,000 times real time). Six hours take every SLO tier's windows past their first hour and the
 * 6h one through, and the cost baselines through their first hours.
 */
const STEADY_TEST_MS = 6 * 3_600_000;

describe('failure modes: steady and GPU starvation', () => {
  it('the steady scenario fires nothing', async () => {
    const scenario = await loadExampleScenario(STEADY.scenario);
    const replay = await replayScenario({ scenario, groups, stepMs: STEADY.stepMs, durationMs: STEADY_TEST_MS });
    expect(replay.ruleErrors).toEqual([]);
    expect(replay.durationMs).toBe(STEADY_TEST_MS);
    // Every group evaluated every minute: the run covered the whole span.
    expect(replay.evaluations).toBe(groups.length * (STEADY_TEST_MS / 60_000 + 1));
    expect(replay.alerts.map(describeAlert)).toEqual([]);
  }, REPLAY_TIMEOUT_MS);

  it('gpu-starvation: Pending GPU pods, a saturated pool and a nearly full quota, and the TTFT SLO of the model that could not scale', async () => {
    const r = await expectFailureMode('gpu-starvation', groups);
    // kube-state-metrics' node labels give the pool: GPUPoolSaturated names it.
    const pool = r.rows.find((row) => row.expectation.alert === 'GPUPoolSaturated')!;
    expect(pool.alert!.labels).toMatchObject({ pool: 'h100', severity: 'ticket', team: 'ml-infra' });
  }, REPLAY_TIMEOUT_MS);
});
