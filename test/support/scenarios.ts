// Scenarios the end-to-end tests share (the simulator's format: collectors/simulate/scenario.ts).

/**
 * ROLLOUT_FROM_THE_START: llama-3-70b v2 takes half the traffic from the first second, failing 3%
 * of requests (v1 0.2%) and 2.5 times slower, for two hours: the bad-rollout page comes as early
 * as its rules allow, without waiting for a healthy phase first.
 */
export const ROLLOUT_FROM_THE_START = `name: rollout-from-the-start
description: llama-3-70b v2 takes half the traffic from the first second, failing 3% of requests (v1 0.2%).
seed: 11
duration: 2h
phases:
  - name: bad-rollout
    at: 0s
    set:
      models:
        llama-3-70b:
          v1: {request_rate: 3, error_ratio: 0.002}
          v2: {request_rate: 3, error_ratio: 0.03, latency_multiplier: 2.5}
`;
