import { describe, expect, it } from 'vitest';
import { describeAlert, loadExampleScenario, loadFailureModeRules } from '../../bench/failure-assess.js';
import { STEADY } from '../../bench/failure-matrix.js';
import { replayScenario } from '../../bench/scenario-replay.js';

// The failure-mode matrix (bench/failure-matrix.ts), the quiet reference: the steady scenario over
// the full week of STEADY (7 simulated days at a 1-minute step), replayed as failure-modes.test.ts
// describes, must fire nothing. It is a file of its own because it is the suite's longest test:
// vitest runs it in parallel with the rest of the matrix.

const groups = loadFailureModeRules();

/**
 * STEADY_TIMEOUT_MS: the week costs about 6 minutes of CPU (10,080 evaluations of every group, the
 * 3-day and 30-day SLO windows filling as it goes; 350 s measured on the two-core test machine)
 * and 8.5 minutes of wall time there with other test files running beside it.
 */
const STEADY_TIMEOUT_MS = 15 * 60_000;

describe('failure modes: steady', () => {
  it('the steady scenario over 7 simulated days fires nothing', async () => {
    expect(STEADY.durationMs).toBe(7 * 24 * 3_600_000);
    const scenario = await loadExampleScenario(STEADY.scenario);
    const replay = await replayScenario({ scenario, groups, stepMs: STEADY.stepMs, durationMs: STEADY.durationMs });
    expect(replay.ruleErrors).toEqual([]);
    expect(replay.durationMs).toBe(STEADY.durationMs);
    // Every group evaluated every minute: the run covered the whole week.
    expect(replay.evaluations).toBe(groups.length * (STEADY.durationMs / 60_000 + 1));
    expect(replay.alerts.map(describeAlert)).toEqual([]);
  }, STEADY_TIMEOUT_MS);
});
