import { describe, expect, it } from 'vitest';
import { Platform, WARMUP_MS } from '../../../collectors/simulate/platform.js';
import { MIN, parseSamples, scenario, T0, total } from './helpers.js';

const steady = await scenario('steady');

describe('Platform', () => {
  it('gives the same bodies at the same time however often it was sampled', () => {
    const often = new Platform(steady, T0);
    for (let m = 0; m <= 45; m++) often.renderBodies(T0 + m * MIN + 1234);
    const once = new Platform(steady, T0);
    expect(once.renderBodies(T0 + 45 * MIN + 1234).map((b) => b.body)).toEqual(often.renderBodies(T0 + 45 * MIN + 1234).map((b) => b.body));
  });

  it('shows the state of the last tick at or before the time asked', () => {
    const p = new Platform(steady, T0);
    const a = p.renderBodies(T0 + 10_000).map((b) => b.body);
    expect(p.time).toBe(T0 + 10_000);
    expect(p.renderBodies(T0 + 14_999).map((b) => b.body)).toEqual(a);
    expect(p.time).toBe(T0 + 10_000);
    expect(p.renderBodies(T0 + 15_000).map((b) => b.body)).not.toEqual(a);
  });

  it('starts lived-in: an hour of traffic already counted at the start', () => {
    const p = new Platform(steady, T0);
    const llama = parseSamples(p.render(p.targets.find((t) => t.id === 'vllm/llama-3-70b/v1')!));
    const requests = total(llama, 'vllm:request_success_total');
    // 3 requests per second for WARMUP_MS, within a few percent.
    expect(requests / ((3 * WARMUP_MS) / 1000)).toBeGreaterThan(0.95);
    expect(requests / ((3 * WARMUP_MS) / 1000)).toBeLessThan(1.05);
  });

  it('depends on the seed, and never goes back in time', () => {
    const a = new Platform(steady, T0).renderBodies(T0 + MIN).map((b) => b.body);
    const b = new Platform({ ...steady, seed: steady.seed + 1 }, T0).renderBodies(T0 + MIN).map((b) => b.body);
    expect(b).not.toEqual(a);
    const p = new Platform(steady, T0);
    p.at(T0 + MIN);
    expect(() => p.at(T0)).toThrow(/cannot go back/);
  });

  it('has the eight targets with the target labels the rule packs rely on', () => {
    const p = new Platform(steady, T0);
    expect(p.targets.map((t) => [t.id, t.labels])).toEqual([
      ['dcgm/gpu-node-a', { job: 'dcgm', instance: 'gpu-node-a:9400', node: 'gpu-node-a', pool: 'h100' }],
      ['dcgm/gpu-node-b', { job: 'dcgm', instance: 'gpu-node-b:9400', node: 'gpu-node-b', pool: 'h100' }],
      ['vllm/llama-3-70b/v1', { job: 'vllm', instance: 'vllm-llama-3-70b-v1.inference:8000', namespace: 'inference', model: 'llama-3-70b', version: 'v1' }],
      ['vllm/llama-3-70b/v2', { job: 'vllm', instance: 'vllm-llama-3-70b-v2.inference:8000', namespace: 'inference', model: 'llama-3-70b', version: 'v2' }],
      ['vllm/mistral-7b/v1', { job: 'vllm', instance: 'vllm-mistral-7b-v1.inference:8000', namespace: 'inference', model: 'mistral-7b', version: 'v1' }],
      ['vllm/mistral-7b/v2', { job: 'vllm', instance: 'vllm-mistral-7b-v2.inference:8000', namespace: 'inference', model: 'mistral-7b', version: 'v2' }],
      ['rabbitmq', { job: 'rabbitmq', instance: 'rabbitmq-server-0.rabbitmq-nodes.messaging:15692', namespace: 'messaging' }],
      ['kube-state-metrics', { job: 'kube-state-metrics', instance: 'kube-state-metrics.monitoring:8080' }],
    ]);
  });
});
