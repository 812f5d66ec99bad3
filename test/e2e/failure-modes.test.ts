import { describe, expect, it } from 'vitest';
import { loadFailureModeRules } from '../../bench/failure-assess.js';
import { expectFailureMode, REPLAY_TIMEOUT_MS } from '../support/failure-modes.js';

// The failure-mode matrix (bench/failure-matrix.ts), part 1 of 3: GPU starvation. Each scenario
// is simulated at its step (every exporter body rendered and parsed as a scrape), streamed into a
// store and evaluated through the source packs and the default pack (rules/packs/sources,
// rules/packs/ai-platform) on a virtual clock, as `vigil simulate` then `vigil backtest` would.
// The matrix is split over three files so that vitest runs them in parallel:
// failure-modes-rollout-gap.test.ts and failure-modes-queue-cost.test.ts hold the rest; the quiet
// reference, a week of the steady scenario that must fire nothing, has failure-modes-steady.test.ts.
// `npm run bench -- failure-modes` prints the same matrix with its detection times.

const groups = loadFailureModeRules();

describe('failure modes: GPU starvation', () => {
  it('gpu-starvation: Pending GPU pods, a saturated pool and a nearly full quota, and the TTFT SLO of the model that could not scale', async () => {
    const r = await expectFailureMode('gpu-starvation', groups);
    // kube-state-metrics' node labels give the pool: GPUPoolSaturated names it.
    const pool = r.rows.find((row) => row.expectation.alert === 'GPUPoolSaturated')!;
    expect(pool.alert!.labels).toMatchObject({ pool: 'h100', severity: 'ticket', team: 'ml-infra' });
  }, REPLAY_TIMEOUT_MS);
});
