import { describe, expect, it } from 'vitest';
import { errorRatio, gpusHeld, meanLatency, MIN, Probe, requestRate, scenario, select, type Snapshot, target, total, unschedulablePods, vllm } from './helpers.js';

/** The knobs of each scenario, as its bodies must show them. Windows are [from, to] minutes after the start. */

const ksm = (s: Snapshot) => target(s, 'kube-state-metrics');
const queue = (s: Snapshot) => target(s, 'rabbitmq');
const depth = (s: Snapshot) => total(queue(s), 'rabbitmq_queue_messages');
/** oldestAgeS is now minus the head message's timestamp (0 when the queue has no head). */
const oldestAgeS = (s: Snapshot, minutes: number, t0: number) => {
  const head = select(queue(s), 'rabbitmq_queue_head_message_timestamp')[0];
  return head === undefined ? 0 : (t0 + minutes * MIN) / 1000 - head.value;
};
const allReady = (s: Snapshot) => select(ksm(s), 'kube_pod_status_ready', { condition: 'false' }).every((x) => x.value === 0);
const restarts = (s: Snapshot) => total(ksm(s), 'kube_pod_container_status_restarts_total');
const aborted = (s: Snapshot, model: string, version: string) => total(vllm(s, model, version), 'vllm:request_success_total', { finished_reason: 'abort' });
const finished = (s: Snapshot, model: string, version: string) => total(vllm(s, model, version), 'vllm:request_success_total');
const energyMj = (s: Snapshot) => [...s].filter(([id]) => id.startsWith('dcgm/')).reduce((a, [, x]) => a + total(x, 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION'), 0);
const allRequests = (a: Snapshot, b: Snapshot, seconds: number) =>
  ['llama-3-70b', 'mistral-7b'].flatMap((m) => ['v1', 'v2'].map((v) => requestRate(a, b, m, v, seconds))).reduce((x, y) => x + y, 0);

describe('scenario steady', async () => {
  const p = new Probe(await scenario('steady'));
  const snaps = [0, 30, 60, 90, 120].map((m) => [m, p.at(m)] as const);

  it('keeps every pod ready, 6 GPUs held, the queue keeping up and errors at the baseline', () => {
    for (const [m, s] of snaps) {
      expect(unschedulablePods(s), `${m}m`).toEqual([]);
      expect(allReady(s)).toBe(true);
      expect(gpusHeld(s)).toBe(6);
      expect(oldestAgeS(s, m, p.platform.start)).toBeLessThanOrEqual(10);
      expect(total(queue(s), 'rabbitmq_queue_consumers')).toBe(4);
    }
    const ratio = errorRatio(snaps[0]![1], snaps[4]![1], 'mistral-7b', 'v1');
    expect(ratio).toBeGreaterThan(0.0006);
    expect(ratio).toBeLessThan(0.0014);
  });
});

describe('scenario gpu-starvation', async () => {
  const p = new Probe(await scenario('gpu-starvation'));
  const [s15, s50, s60, s115] = [15, 50, 60, 115].map((m) => p.at(m)) as [Snapshot, Snapshot, Snapshot, Snapshot];

  it('lets the training job take eight GPUs and leaves inference scale-ups Pending on a saturated pool', () => {
    expect(gpusHeld(s15)).toBe(6);
    const training = select(ksm(s60), 'kube_pod_status_phase', { namespace: 'training', phase: 'Running' }).filter((x) => x.value === 1);
    expect(training).toHaveLength(2);
    const trainingGpus = select(target(s60, 'dcgm/gpu-node-b'), 'DCGM_FI_DEV_GPU_UTIL', { namespace: 'training' });
    expect(trainingGpus).toHaveLength(8);
    for (const g of trainingGpus) expect(g.value).toBeGreaterThan(90);
    expect(gpusHeld(s60)).toBe(16);
    const pending = unschedulablePods(s60);
    expect(pending).toHaveLength(3);
    for (const pod of pending) {
      expect(pod).toMatch(/^vllm-(llama-3-70b|mistral-7b)-v1-/);
      expect(total(ksm(s60), 'kube_pod_status_phase', { pod, phase: 'Pending' })).toBe(1);
      expect(total(ksm(s60), 'kube_pod_status_scheduled', { pod, condition: 'false' })).toBe(1);
    }
    expect(total(ksm(s60), 'kube_resourcequota', { type: 'used' })).toBe(12);
    expect(total(ksm(s60), 'kube_resourcequota', { type: 'hard' })).toBe(13);
    expect(total(ksm(s60), 'kube_deployment_spec_replicas', { deployment: 'vllm-mistral-7b-v1' })).toBe(3);
    expect(total(ksm(s60), 'kube_deployment_status_replicas_available', { deployment: 'vllm-mistral-7b-v1' })).toBe(1);
  });

  it('makes the versions that could not scale queue and abort requests', () => {
    const abortShare = (aborted(s60, 'mistral-7b', 'v1') - aborted(s50, 'mistral-7b', 'v1')) / (finished(s60, 'mistral-7b', 'v1') - finished(s50, 'mistral-7b', 'v1'));
    expect(abortShare).toBeGreaterThan(0.1);
    expect(total(vllm(s60, 'mistral-7b', 'v1'), 'vllm:num_requests_waiting')).toBeGreaterThan(100);
  });

  it('schedules the pending pods once the job ends, and they become available', () => {
    expect(unschedulablePods(s115)).toEqual([]);
    expect(select(ksm(s115), 'kube_pod_status_phase', { namespace: 'training' })).toEqual([]);
    for (const d of ['vllm-llama-3-70b-v1', 'vllm-mistral-7b-v1']) {
      expect(total(ksm(s115), 'kube_deployment_status_replicas_available', { deployment: d })).toBe(3);
    }
    expect(total(vllm(s115, 'mistral-7b', 'v1'), 'vllm:num_requests_waiting')).toBeLessThan(10);
  });
});

describe('scenario bad-rollout', async () => {
  const sc = await scenario('bad-rollout');
  const p = new Probe(sc);
  const [s0, s25, s55, s120] = [0, 25, 55, 120].map((m) => p.at(m)) as [Snapshot, Snapshot, Snapshot, Snapshot];
  const knobs = p.platform.timeline.knobsAt(60 * MIN);
  const v1 = knobs.model('llama-3-70b', 'v1');
  const v2 = knobs.model('llama-3-70b', 'v2');
  const seconds = 65 * 60;

  it('shifts traffic from v1 to v2', () => {
    expect(requestRate(s0, s25, 'llama-3-70b', 'v1', 25 * 60)).toBeGreaterThan(requestRate(s0, s25, 'llama-3-70b', 'v2', 25 * 60) * 4);
    expect(requestRate(s55, s120, 'llama-3-70b', 'v2', seconds) / v2.requestRate).toBeCloseTo(1, 1);
    expect(requestRate(s55, s120, 'llama-3-70b', 'v1', seconds) / v1.requestRate).toBeCloseTo(1, 1);
  });

  it("raises v2's error ratio above v1's by the configured factor", () => {
    const factor = v2.errorRatio / v1.errorRatio;
    expect(factor).toBe(15);
    const r1 = errorRatio(s55, s120, 'llama-3-70b', 'v1');
    const r2 = errorRatio(s55, s120, 'llama-3-70b', 'v2');
    expect(r2 / v2.errorRatio).toBeGreaterThan(0.85);
    expect(r2 / v2.errorRatio).toBeLessThan(1.15);
    expect(r2 / r1).toBeGreaterThan(factor / 2);
    expect(r2 / r1).toBeLessThan(factor * 2);
    // Before the rollout both versions fail alike.
    expect(errorRatio(s0, s25, 'llama-3-70b', 'v2')).toBeLessThan(0.01);
  });

  it('makes v2 slower by its latency multiplier', () => {
    const ratio = meanLatency(s55, s120, 'llama-3-70b', 'v2', 'vllm:e2e_request_latency_seconds') / meanLatency(s55, s120, 'llama-3-70b', 'v1', 'vllm:e2e_request_latency_seconds');
    expect(ratio / v2.latencyMultiplier).toBeGreaterThan(0.8);
    expect(ratio / v2.latencyMultiplier).toBeLessThan(1.25);
  });

  it('crashes nothing: every pod ready, no restart, nothing pending', () => {
    for (const s of [s55, s120]) {
      expect(allReady(s)).toBe(true);
      expect(restarts(s)).toBe(0);
      expect(unschedulablePods(s)).toEqual([]);
    }
  });
});

describe('scenario queue-overload', async () => {
  const p = new Probe(await scenario('queue-overload'));
  const at = [15, 40, 80, 119];
  const [s15, s40, s80, s119] = at.map((m) => p.at(m)) as [Snapshot, Snapshot, Snapshot, Snapshot];
  const age = (s: Snapshot, m: number) => oldestAgeS(s, m, p.platform.start);

  it('grows depth and the oldest age while consumers are down to two', () => {
    expect(total(queue(s15), 'rabbitmq_queue_consumers')).toBe(4);
    expect(total(queue(s40), 'rabbitmq_queue_consumers')).toBe(2);
    expect(depth(s15)).toBeLessThan(1000);
    expect(depth(s40)).toBeGreaterThan(10_000);
    expect(depth(s80)).toBeGreaterThan(depth(s40) * 2);
    expect(age(s15, 15)).toBeLessThanOrEqual(10);
    expect(age(s40, 40)).toBeGreaterThan(5 * 60);
    expect(age(s80, 80)).toBeGreaterThan(30 * 60);
    // Nothing is older than the overload itself (it began at 20m).
    expect(age(s80, 80)).toBeLessThanOrEqual(60 * 60);
  });

  it('drains once consumers scale up', () => {
    expect(total(queue(s119), 'rabbitmq_queue_consumers')).toBe(8);
    expect(depth(s119)).toBeLessThan(1000);
    expect(age(s119, 119)).toBeLessThanOrEqual(10);
  });
});

describe('scenario cost-runaway', async () => {
  const p = new Probe(await scenario('cost-runaway'));
  const [s5, s20, s55, s85, s115] = [5, 20, 55, 85, 115].map((m) => p.at(m)) as [Snapshot, Snapshot, Snapshot, Snapshot, Snapshot];

  it('spikes GPU allocation, request rate and energy far above the baseline', () => {
    expect(gpusHeld(s20)).toBe(6);
    expect(gpusHeld(s55)).toBe(16);
    expect(unschedulablePods(s55)).toEqual([]);
    expect(allRequests(s55, s85, 30 * 60) / allRequests(s5, s20, 15 * 60)).toBeGreaterThan(4.5);
    const power = (a: Snapshot, b: Snapshot, s: number) => (energyMj(b) - energyMj(a)) / 1000 / s;
    expect(power(s55, s85, 30 * 60) / power(s5, s20, 15 * 60)).toBeGreaterThan(2);
  });

  it('gives the GPUs back when the client is fixed', () => {
    expect(gpusHeld(s115)).toBe(6);
  });
});

describe('scenario observability-gap', async () => {
  const p = new Probe(await scenario('observability-gap'));
  const [s10, s25, s50, s95, s105, s120] = [10, 25, 50, 95, 105, 120].map((m) => p.at(m)) as [Snapshot, Snapshot, Snapshot, Snapshot, Snapshot, Snapshot];
  const mistralGpuUtil = (s: Snapshot) => select(target(s, 'dcgm/gpu-node-a'), 'DCGM_FI_DEV_GPU_UTIL').find((g) => g.labels['pod']?.startsWith('vllm-mistral-7b-v1-'))!.value;

  it('burns errors and latency on mistral-7b v1', () => {
    expect(errorRatio(s10, s25, 'mistral-7b', 'v1')).toBeLessThan(0.005);
    const burning = errorRatio(s50, s95, 'mistral-7b', 'v1');
    expect(burning).toBeGreaterThan(0.08 * 0.85);
    expect(burning).toBeLessThan(0.08 * 1.15);
    const slower = meanLatency(s50, s95, 'mistral-7b', 'v1', 'vllm:e2e_request_latency_seconds') / meanLatency(s10, s25, 'mistral-7b', 'v1', 'vllm:e2e_request_latency_seconds');
    expect(slower).toBeGreaterThan(2.4);
    expect(slower).toBeLessThan(3.6);
    expect(errorRatio(s105, s120, 'mistral-7b', 'v1')).toBeLessThan(0.005);
  });

  it('while every target renders, every pod is ready and GPU utilization does not move', () => {
    for (const s of [s50, s95]) {
      expect(s.size).toBe(8);
      expect(allReady(s)).toBe(true);
      expect(restarts(s)).toBe(0);
      expect(unschedulablePods(s)).toEqual([]);
    }
    expect(Math.abs(mistralGpuUtil(s95) - mistralGpuUtil(s25))).toBeLessThan(10);
  });
});

describe('scenario all-in-sequence', async () => {
  const p = new Probe(await scenario('all-in-sequence'));
  const m = (h: number, min = 0) => h * 60 + min;
  const snaps = new Map([m(0, 55), m(1), m(1, 55), m(2, 20), m(2, 55), m(3, 10), m(3, 25), m(4, 10), m(5, 10), m(5, 50), m(6, 25), m(6, 50), m(7, 10), m(7, 20), m(7, 55)].map((t) => [t, p.at(t)]));
  const at = (h: number, min = 0) => snaps.get(m(h, min))!;

  it('plays each failure in turn, each gone before the next', () => {
    expect(unschedulablePods(at(1)).length).toBeGreaterThan(0);
    expect(unschedulablePods(at(1, 55))).toEqual([]);
    expect(errorRatio(at(2, 20), at(2, 55), 'llama-3-70b', 'v2')).toBeGreaterThan(0.02);
    expect(errorRatio(at(3, 10), at(3, 25), 'llama-3-70b', 'v2')).toBeLessThan(0.01);
    expect(depth(at(4, 10))).toBeGreaterThan(10_000);
    expect(depth(at(5, 10))).toBeLessThan(1000);
    expect(gpusHeld(at(5, 50))).toBe(16);
    expect(gpusHeld(at(6, 25))).toBe(6);
    expect(errorRatio(at(6, 50), at(7, 10), 'mistral-7b', 'v1')).toBeGreaterThan(0.05);
    expect(errorRatio(at(7, 20), at(7, 55), 'mistral-7b', 'v1')).toBeLessThan(0.01);
  });

  it('names the phase in force', () => {
    expect(p.platform.timeline.phaseAt(m(5, 20) * MIN)).toBe('retry-storm');
  });
});
