import { describe, expect, it } from 'vitest';
import { loadFailureModeRules } from '../../bench/failure-assess.js';
import { expectFailureMode, REPLAY_TIMEOUT_MS } from '../support/failure-modes.js';

// The failure-mode matrix (bench/failure-matrix.ts), part 3 of 3: queue overload and a cost
// runaway (see failure-modes.test.ts for how a scenario is replayed).

const groups = loadFailureModeRules();

describe('failure modes: queue overload and cost runaway', () => {
  it('queue-overload: a growing backlog, an old head message (RabbitMQ per-object) and the freshness SLO, all resolving once drained', async () => {
    const r = await expectFailureMode('queue-overload', groups);
    const old = r.rows.find((row) => row.expectation.alert === 'QueueOldestMessageTooOld')!;
    expect(old.alert!.labels).toMatchObject({ namespace: 'messaging', system: 'rabbitmq', vhost: '/', queue: 'embeddings' });
  }, REPLAY_TIMEOUT_MS);

  it('cost-runaway: GPU allocation, request rates of both models, the pool and the month’s forecast', async () => {
    const r = await expectFailureMode('cost-runaway', groups);
    const rates = r.rows.filter((row) => row.expectation.alert === 'InferenceRequestRateRunaway').map((row) => row.alert!.labels['model']);
    expect(rates.sort()).toEqual(['llama-3-70b', 'mistral-7b']);
  }, REPLAY_TIMEOUT_MS);
});
