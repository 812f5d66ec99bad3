import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { Platform } from '../../../collectors/simulate/platform.js';
import { scrapeConfigYaml, startSimulator } from '../../../collectors/simulate/server.js';
import { systemClock, VirtualClock } from '../../../util/clock.js';
import { startPrometheus } from '../../support/prometheus.js';
import { MIN, parseSamples, scenario, T0, total } from './helpers.js';

const steady = await scenario('steady');
const hasPrometheus = spawnSync('sh', ['-c', 'command -v prometheus'], { stdio: 'ignore' }).status === 0;

describe('startSimulator', async () => {
  const clock = new VirtualClock(T0);
  const sim = await startSimulator({ scenario: steady, clock });
  afterAll(() => sim.close());

  it('serves every target on 127.0.0.1 with its job, URL and target labels', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.targets.map((t) => [t.job, t.url.slice(sim.url.length)])).toEqual([
      ['dcgm', '/dcgm/gpu-node-a/metrics'],
      ['dcgm', '/dcgm/gpu-node-b/metrics'],
      ['vllm', '/vllm/llama-3-70b/v1/metrics'],
      ['vllm', '/vllm/llama-3-70b/v2/metrics'],
      ['vllm', '/vllm/mistral-7b/v1/metrics'],
      ['vllm', '/vllm/mistral-7b/v2/metrics'],
      ['rabbitmq', '/rabbitmq/metrics/per-object'],
      ['kube-state-metrics', '/kube-state-metrics/metrics'],
    ]);
    expect(sim.targets[2]!.labels).toEqual({ instance: 'vllm-llama-3-70b-v1.inference:8000', namespace: 'inference', model: 'llama-3-70b', version: 'v1' });
    expect(sim.targets[0]!.labels).toEqual({ instance: 'gpu-node-a:9400', node: 'gpu-node-a', pool: 'h100' });
  });

  it("answers with the platform's body at the clock's time, and moves on with the clock", async () => {
    const reference = new Platform(steady, T0);
    for (const minutes of [0, 5]) {
      await clock.advanceTo(T0 + minutes * MIN);
      const expected = reference.renderBodies(T0 + minutes * MIN);
      for (const [i, t] of sim.targets.entries()) {
        const res = await fetch(t.url);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
        expect(await res.text(), `${t.url} at ${minutes}m`).toBe(expected[i]!.body);
      }
    }
    const before = parseSamples(reference.render(reference.targets[2]!));
    await clock.advance(MIN);
    const after = parseSamples(await (await fetch(sim.targets[2]!.url)).text());
    expect(total(after, 'vllm:request_success_total')).toBeGreaterThan(total(before, 'vllm:request_success_total'));
  });

  it('answers 404 elsewhere, 405 to other methods, and HEAD without a body', async () => {
    expect((await fetch(`${sim.url}/metrics`)).status).toBe(404);
    expect((await fetch(sim.targets[0]!.url, { method: 'POST' })).status).toBe(405);
    const head = await fetch(sim.targets[0]!.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

// Peer: Prometheus 2.42 (Debian prometheus 2.42.0+ds) scraping the simulator with the scrape
// configs scrapeConfigYaml writes.
describe.skipIf(!hasPrometheus)('scrapeConfigYaml, with Prometheus scraping', () => {
  it('gives every target up, its target labels and no exported_* label', async () => {
    const sim = await startSimulator({ scenario: steady, clock: systemClock });
    const prometheus = await startPrometheus(`global:\n  scrape_interval: 1s\n${scrapeConfigYaml(sim.targets)}`);
    try {
      type Vector = { metric: Record<string, string>; value: [number, string] }[];
      const query = (q: string) => prometheus.api<{ result: Vector }>('/api/v1/query', { query: q }).then((d) => d.result);
      const deadline = Date.now() + 20_000;
      while ((await query('up == 1')).length < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const up = await query('up');
      expect(up.map((s) => [s.metric['job'], s.metric['instance'], s.value[1]]).sort()).toEqual([
        ['dcgm', 'gpu-node-a:9400', '1'],
        ['dcgm', 'gpu-node-b:9400', '1'],
        ['kube-state-metrics', 'kube-state-metrics.monitoring:8080', '1'],
        ['rabbitmq', 'rabbitmq-server-0.rabbitmq-nodes.messaging:15692', '1'],
        ['vllm', 'vllm-llama-3-70b-v1.inference:8000', '1'],
        ['vllm', 'vllm-llama-3-70b-v2.inference:8000', '1'],
        ['vllm', 'vllm-mistral-7b-v1.inference:8000', '1'],
        ['vllm', 'vllm-mistral-7b-v2.inference:8000', '1'],
      ]);
      const running = await query('vllm:num_requests_running');
      expect(running.map((s) => `${s.metric['namespace']}/${s.metric['model']}/${s.metric['version']}`).sort()).toEqual([
        'inference/llama-3-70b/v1',
        'inference/llama-3-70b/v2',
        'inference/mistral-7b/v1',
        'inference/mistral-7b/v2',
      ]);
      expect((await query('count by (node, pool) (DCGM_FI_DEV_GPU_UTIL)')).map((s) => [s.metric['node'], s.metric['pool'], s.value[1]]).sort()).toEqual([
        ['gpu-node-a', 'h100', '8'],
        ['gpu-node-b', 'h100', '8'],
      ]);
      const labels = await prometheus.api<string[]>('/api/v1/labels');
      expect(labels.filter((l) => l.startsWith('exported_'))).toEqual([]);
    } finally {
      await prometheus.stop();
      await sim.close();
    }
  });
});
