import { describe, expect, it } from 'vitest';
import { collectFamilies, newParser } from '../../../collectors/textparse/index.js';
import { Platform } from '../../../collectors/simulate/platform.js';
import { GPU_FB_TOTAL_MIB } from '../../../collectors/simulate/topology.js';
import { MIN, parseSamples, type Sample, scenario, select, T0, total } from './helpers.js';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';
/** The per-request histograms of vLLM: each observes every request that finished in the engine once. */
const PER_REQUEST = [
  'vllm:request_prompt_tokens',
  'vllm:request_generation_tokens',
  'vllm:request_max_num_generation_tokens',
  'vllm:request_params_n',
  'vllm:request_params_max_tokens',
  'vllm:time_to_first_token_seconds',
  'vllm:request_time_per_output_token_seconds',
  'vllm:e2e_request_latency_seconds',
  'vllm:request_queue_time_seconds',
  'vllm:request_inference_time_seconds',
  'vllm:request_prefill_time_seconds',
  'vllm:request_decode_time_seconds',
];

const key = (s: Sample) => `${s.name}{${Object.entries(s.labels).sort().map(([k, v]) => `${k}=${v}`).join(',')}}`;

/** monotonicNames lists a body's counter samples and histogram buckets, counts and sums. */
function monotonicNames(body: string): Set<string> {
  const out = new Set<string>();
  for (const f of collectFamilies(newParser(body, TEXT))) {
    if (f.type !== 'counter' && f.type !== 'histogram') continue;
    for (const s of f.samples) if (!s.labels.metricName.endsWith('_created')) out.add(s.labels.metricName);
  }
  return out;
}

// all-in-sequence turns every knob; sampled every 10 minutes over its 8 hours.
const platform = new Platform(await scenario('all-in-sequence'), T0);
const snapshots = Array.from({ length: 49 }, (_, i) => new Map(platform.renderBodies(T0 + i * 10 * MIN).map((b) => [b.target.id, { body: b.body, samples: parseSamples(b.body) }])));

describe('simulated bodies over a whole scenario', () => {
  it('never let a counter, bucket, count or sum go down', () => {
    const last = new Map<string, number>();
    let checked = 0;
    for (const snap of snapshots) {
      for (const [id, { body, samples }] of snap) {
        const names = monotonicNames(body);
        for (const s of samples) {
          if (!names.has(s.name)) continue;
          const k = id + ' ' + key(s);
          const before = last.get(k);
          if (before !== undefined) {
            expect(s.value, k).toBeGreaterThanOrEqual(before);
            checked++;
          }
          last.set(k, s.value);
        }
      }
    }
    expect(checked).toBeGreaterThan(50_000);
  });

  it('keep histograms cumulative, with +Inf equal to _count', () => {
    for (const snap of snapshots) {
      for (const [id, { samples }] of snap) {
        const series = new Map<string, { le: number; v: number }[]>();
        const counts = new Map<string, number>();
        for (const s of samples) {
          if (s.name.endsWith('_count')) counts.set(key({ ...s, name: s.name.slice(0, -'_count'.length) + '_bucket' }), s.value);
          if (!s.name.endsWith('_bucket')) continue;
          const { le, ...rest } = s.labels;
          const k = key({ ...s, labels: rest });
          series.set(k, [...(series.get(k) ?? []), { le: le === '+Inf' ? Infinity : Number(le), v: s.value }]);
        }
        for (const [k, buckets] of series) {
          for (let i = 1; i < buckets.length; i++) {
            expect(buckets[i]!.le, k).toBeGreaterThan(buckets[i - 1]!.le);
            expect(buckets[i]!.v, k).toBeGreaterThanOrEqual(buckets[i - 1]!.v);
          }
          const inf = buckets[buckets.length - 1]!;
          expect(inf.le, k).toBe(Infinity);
          expect(counts.get(k), `${id} ${k} _count`).toBe(inf.v);
        }
      }
    }
  });

  it("keep vLLM's counters consistent: per-request histograms count every finished request, token totals equal the histograms' sums", () => {
    for (const snap of snapshots) {
      for (const [id, { samples }] of snap) {
        if (!id.startsWith('vllm/')) continue;
        const finished = total(samples, 'vllm:request_success_total');
        for (const h of PER_REQUEST) expect(total(samples, `${h}_count`), `${id} ${h}`).toBe(finished);
        expect(total(samples, 'vllm:prompt_tokens_total'), id).toBe(total(samples, 'vllm:request_prompt_tokens_sum'));
        expect(total(samples, 'vllm:generation_tokens_total'), id).toBe(total(samples, 'vllm:request_generation_tokens_sum'));
        // Every generated token but each request's first follows an inter-token gap.
        expect(total(samples, 'vllm:inter_token_latency_seconds_count'), id).toBe(total(samples, 'vllm:generation_tokens_total') - finished);
        expect(total(samples, 'vllm:prefix_cache_hits_total'), id).toBeLessThanOrEqual(total(samples, 'vllm:prefix_cache_queries_total'));
      }
    }
  });

  it('keep GPU memory, queue depth and quota use adding up, and DCGM agreeing with kube-state-metrics on who holds GPUs', () => {
    for (const snap of snapshots) {
      const ksm = snap.get('kube-state-metrics')!.samples;
      let heldByDcgm = 0;
      for (const [id, { samples }] of snap) {
        if (!id.startsWith('dcgm/')) continue;
        for (const used of select(samples, 'DCGM_FI_DEV_FB_USED')) {
          const same = (name: string) => select(samples, name, { gpu: used.labels['gpu']! })[0]!.value;
          expect(used.value + same('DCGM_FI_DEV_FB_FREE') + same('DCGM_FI_DEV_FB_RESERVED')).toBe(GPU_FB_TOTAL_MIB);
          expect(same('DCGM_FI_DEV_GPU_UTIL')).toBeGreaterThanOrEqual(0);
          expect(same('DCGM_FI_DEV_GPU_UTIL')).toBeLessThanOrEqual(100);
          if (used.labels['pod'] !== undefined) heldByDcgm++;
        }
      }
      const scheduledGpuRequests = select(ksm, 'kube_pod_container_resource_requests', { resource: 'nvidia_com_gpu' })
        .filter((s) => s.labels['node'] !== undefined)
        .reduce((a, s) => a + s.value, 0);
      expect(heldByDcgm).toBe(scheduledGpuRequests);
      expect(total(ksm, 'kube_resourcequota', { type: 'used' })).toBe(total(ksm, 'kube_pod_container_resource_requests', { namespace: 'inference', resource: 'nvidia_com_gpu' }));
      for (const pod of new Set(select(ksm, 'kube_pod_status_phase').map((s) => s.labels['pod']))) {
        expect(total(ksm, 'kube_pod_status_phase', { pod: pod! }), pod).toBe(1);
      }
      const q = snap.get('rabbitmq')!.samples;
      expect(total(q, 'rabbitmq_queue_messages')).toBe(total(q, 'rabbitmq_queue_messages_ready') + total(q, 'rabbitmq_queue_messages_unacked'));
      expect(total(q, 'rabbitmq_queue_messages_published_total') - total(q, 'rabbitmq_queue_messages_delivered_ack_total')).toBe(total(q, 'rabbitmq_queue_messages_ready'));
    }
  });
});
