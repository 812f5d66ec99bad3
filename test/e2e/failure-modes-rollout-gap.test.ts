import { describe, expect, it } from 'vitest';
import { loadFailureModeRules } from '../../bench/failure-assess.js';
import { expectFailureMode, REPLAY_TIMEOUT_MS } from '../support/failure-modes.js';

// The failure-mode matrix (bench/failure-matrix.ts), part 2 of 3: a bad rollout and an
// observability gap, the two failures that only the requests themselves show (see
// failure-modes.test.ts for how a scenario is replayed).

const groups = loadFailureModeRules();

describe('failure modes: bad rollout and observability gap', () => {
  it('bad-rollout: v2 of llama-3-70b pages for its errors and tickets for its latency; v1 stays quiet', async () => {
    const r = await expectFailureMode('bad-rollout', groups);
    expect(r.replay.alerts.filter((a) => a.labels['version'] === 'v1')).toEqual([]);
  }, REPLAY_TIMEOUT_MS);

  it('observability-gap: the SLO pages while every target is up and every pod ready, and the gap alert says so', async () => {
    const r = await expectFailureMode('observability-gap', groups);
    const gap = r.rows.find((row) => row.expectation.alert === 'SLOBurnWithoutHealthSignal')!;
    const page = r.rows.find((row) => row.expectation.alert === 'SLOErrorBudgetBurn' && row.expectation.labels['long_window'] === '6h')!;
    // It follows the page it explains: 5m of `for`, and one evaluation because the SLO's group runs after it.
    expect(gap.alert!.firedAtMs - page.alert!.firedAtMs).toBe(6 * 60_000);
  }, REPLAY_TIMEOUT_MS);
});
