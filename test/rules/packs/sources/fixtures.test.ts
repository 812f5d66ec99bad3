import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unitTestEnv } from '../../../../cli/commands/test.js';
import { collectFamilies, PromTextParser } from '../../../../collectors/textparse/index.js';
import { LabelsBuilder, METRIC_NAME } from '../../../../model/labels.js';
import { sourcePackDir } from '../../../../rules/packs/index.js';
import { loadRuleGroups } from '../../../../rules/unittest/load.js';

// Each exporter fixture (../shared/fixtures/metrics/, the exporters' real names, labels and
// formats) is loaded as vigil would scrape it: parsed with collectors/textparse, given the target
// labels its scrape config attaches (honor_labels: the exporter's own labels win), and stored
// twice, a minute apart, with every counter, histogram and summary count doubled in the second
// scrape, so that rates are positive. Then the pack's rules run in order on vigil's engine at the
// second scrape, each writing its series back as a rule group would, and every series the pack
// records must come out, with the vocabulary's labels, except the ones this fixture cannot feed
// (listed with the reason). Rates after two scrapes carry the engine's extrapolation, so values
// are checked as ratios of rates, which it cancels.

const FIXTURES = new URL('../../../../../shared/fixtures/metrics/', import.meta.url);
const SCRAPE_INTERVAL_MS = 60_000;
const T = 3_600_000; // the evaluation time: the second scrape

/** Scrape is one fixture body as one target, with the target labels its scrape config sets. */
interface Scrape {
  readonly fixture: string;
  readonly target: Readonly<Record<string, string>>;
}

/** Produced maps each recorded name to the samples its rule produced at T. */
type Produced = Map<string, { labels: Record<string, string>; v: number }[]>;

async function scrapeAndEvaluate(pack: string, scrapes: readonly Scrape[]): Promise<Produced> {
  const env = unitTestEnv();
  const store = env.newStore();
  const app = store.appender();
  for (const s of scrapes) {
    const text = readFileSync(new URL(s.fixture, FIXTURES), 'utf8');
    for (const family of collectFamilies(new PromTextParser(text))) {
      for (const sample of family.samples) {
        const name = sample.labels.get(METRIC_NAME);
        const grows =
          family.type === 'counter' || family.type === 'histogram' || (family.type === 'summary' && /_(sum|count)$/.test(name));
        const b = new LabelsBuilder(sample.labels);
        for (const [k, v] of Object.entries(s.target)) if (b.get(k) === '') b.set(k, v);
        const labels = b.labels();
        app.append(labels, T - SCRAPE_INTERVAL_MS, sample.value);
        app.append(labels, T, grows ? 2 * sample.value : sample.value);
      }
    }
  }
  app.commit();

  const query = env.queryFn(store, { noStepSubqueryIntervalMs: SCRAPE_INTERVAL_MS });
  const produced: Produced = new Map();
  for (const group of loadRuleGroups([join(sourcePackDir(), pack)]).groups) {
    for (const rule of group.rules) {
      if (rule.kind !== 'recording') continue;
      const vector = await query(rule.expr, T);
      const out = store.appender();
      const samples = vector.map((s) => {
        const b = new LabelsBuilder(s.metric).set(METRIC_NAME, rule.record);
        for (const [k, v] of Object.entries(rule.labels)) b.set(k, v);
        const labels = b.labels();
        out.append(labels, T, s.v);
        return { labels: labels.without(METRIC_NAME).toRecord(), v: s.v };
      });
      out.commit();
      produced.set(rule.record, samples);
    }
  }
  return produced;
}

/** one returns the single sample of `record` whose labels include `match`. */
function one(produced: Produced, record: string, match: Record<string, string>): number {
  const hits = (produced.get(record) ?? []).filter((s) => Object.entries(match).every(([k, v]) => s.labels[k] === v));
  if (hits.length !== 1) throw new Error(`${record}${JSON.stringify(match)}: ${hits.length} samples, want 1`);
  return hits[0]!.v;
}

/**
 * expectPromises checks that every recorded series is produced, except `notFed` (which must then
 * produce nothing, so the exception stays true), and that each sample carries exactly the
 * vocabulary's labels: all of `required` (non-empty), and otherwise only `optional` ones.
 */
function expectPromises(
  produced: Produced,
  opts: { notFed?: Record<string, string>; required: readonly string[]; optional?: readonly string[] },
): void {
  expect(produced.size).toBeGreaterThan(0);
  for (const [record, samples] of produced) {
    if (opts.notFed?.[record] !== undefined) {
      expect(samples, `${record} is not fed by this fixture: ${opts.notFed[record]}`).toEqual([]);
      continue;
    }
    expect(samples.length, `${record} has samples`).toBeGreaterThan(0);
    for (const s of samples) {
      for (const name of opts.required) expect(s.labels[name], `${record} ${JSON.stringify(s.labels)} has ${name}`).toMatch(/./);
      const extra = Object.keys(s.labels).filter((n) => !opts.required.includes(n) && !(opts.optional ?? []).includes(n));
      const le = record.includes('_bucket:') ? ['le'] : [];
      expect(extra.filter((n) => !le.includes(n)), `${record} ${JSON.stringify(s.labels)}`).toEqual([]);
      if (le.length > 0) expect(s.labels['le'], record).toMatch(/./);
    }
  }
  for (const record of Object.keys(opts.notFed ?? {})) expect(produced.has(record), `${record} is recorded by the pack`).toBe(true);
}

const MODEL_LABELS = ['namespace', 'model', 'version'];

describe('source packs on the exporter fixtures', () => {
  it('dcgm: two nodes of dcgm-exporter', async () => {
    const p = await scrapeAndEvaluate('dcgm.yaml', [
      { fixture: 'dcgm-exporter.gpu-node-a.prom', target: { job: 'dcgm', instance: '10.0.1.10:9400', pool: 'h100' } },
      { fixture: 'dcgm-exporter.gpu-node-b.prom', target: { job: 'dcgm', instance: '10.0.1.11:9400', pool: 'h100' } },
    ]);
    expectPromises(p, { required: ['node', 'gpu', 'pool'], optional: ['namespace', 'pod'] });
    for (const [record, samples] of p) {
      for (const s of samples) expect(s.labels['namespace'] === undefined, `${record} ${JSON.stringify(s.labels)}`).toBe(s.labels['pod'] === undefined);
    }
    expect(p.get('ai:gpu_utilization:ratio')).toHaveLength(16);
    // Node a: 2 vLLM pods x 4 GPUs. Node b: Triton 1, TGI 1, training 4, GPUs 6 and 7 idle.
    const allocated = p.get('ai:gpu_allocated')!;
    expect(allocated.filter((s) => s.labels['node'] === 'gpu-node-a')).toHaveLength(8);
    expect(allocated.filter((s) => s.labels['node'] === 'gpu-node-b').map((s) => s.labels['gpu']).sort()).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(allocated.every((s) => s.v === 1)).toBe(true);
    expect(one(p, 'ai:gpu_xid_errors', { node: 'gpu-node-b', gpu: '3' })).toBe(79);
    expect(p.get('ai:gpu_xid_errors')!.filter((s) => s.v !== 0)).toHaveLength(1);
    // gpu-node-a GPU 0: FB used 76733, free 4260, reserved 566 MiB; 64 C; 571.302048 W.
    const a0 = { node: 'gpu-node-a', gpu: '0', namespace: 'llm-serving', pod: 'vllm-llama-3-1-70b-6d9f7c8b5-x2k4p' };
    expect(one(p, 'ai:gpu_memory_used_bytes', a0)).toBe(76733 * 1048576);
    expect(one(p, 'ai:gpu_memory_usage:ratio', a0)).toBeCloseTo(76733 / (76733 + 4260 + 566), 12);
    expect(one(p, 'ai:gpu_temperature_celsius', a0)).toBe(64);
    expect(one(p, 'ai:gpu_power_watts', a0)).toBe(571.302048);
    const gr = /DCGM_FI_PROF_GR_ENGINE_ACTIVE\{gpu="0",[^}]*Hostname="gpu-node-a"[^}]*\} (\S+)/.exec(
      readFileSync(new URL('dcgm-exporter.gpu-node-a.prom', FIXTURES), 'utf8'),
    );
    expect(one(p, 'ai:gpu_utilization:ratio', a0)).toBe(Number(gr![1]));
  });

  it('vllm: a V1 server and a v0.10 one, both mapped, neither counted twice', async () => {
    const p = await scrapeAndEvaluate('vllm.yaml', [
      { fixture: 'vllm.prom', target: { job: 'vllm', instance: '10.0.0.5:8000', namespace: 'llm-serving', version: '2024-12' } },
      // This one's scrape config names the model itself: the target label wins over model_name.
      { fixture: 'vllm-v0.10-legacy.prom', target: { job: 'vllm', instance: '10.0.0.7:8000', namespace: 'llm-serving', model: 'llama-3.1-8b', version: 'ft-v2' } },
    ]);
    expectPromises(p, { required: MODEL_LABELS });
    const v1 = { model: 'meta-llama/Llama-3.1-70B-Instruct', version: '2024-12' };
    const v010 = { model: 'llama-3.1-8b', version: 'ft-v2' };
    for (const [record, samples] of p) {
      const models = new Set(samples.map((s) => s.labels['model']));
      expect([...models].sort(), record).toEqual([v010.model, v1.model].sort());
    }
    // 2 of 2400 finished requests ended in error; v0.10 cannot say, so 0.
    expect(one(p, 'ai:request_errors:rate5m', v1) / one(p, 'ai:requests:rate5m', v1)).toBeCloseTo(2 / 2400, 12);
    expect(one(p, 'ai:request_errors:rate5m', v010)).toBe(0);
    expect(one(p, 'ai:request_latency_seconds_count:rate5m', v1) / one(p, 'ai:requests:rate5m', v1)).toBeCloseTo(1, 12);
    expect(one(p, 'ai:kv_cache_usage:ratio', v1)).toBe(0.5617216778378527);
    expect(one(p, 'ai:kv_cache_usage:ratio', v010)).toBe(0.8794226090828485);
    expect(one(p, 'ai:requests_running', v010)).toBe(37);
    expect(one(p, 'ai:requests_waiting', v1)).toBe(5);
    // Per-request TPOT for V1 (2400 observations), the per-token histogram for v0.10 (30000).
    const tpotInf = (m: Record<string, string>) => one(p, 'ai:time_per_output_token_seconds_bucket:rate5m', { ...m, le: '+Inf' });
    expect(tpotInf(v1) / one(p, 'ai:requests:rate5m', v1)).toBeCloseTo(1, 12);
    expect(tpotInf(v010) / one(p, 'ai:requests:rate5m', v010)).toBeCloseTo(30000 / 1500, 12);
  });

  it('triton: per-model counters, and TTFT buckets rewritten from ms to s', async () => {
    const p = await scrapeAndEvaluate('triton.yaml', [
      { fixture: 'triton.prom', target: { job: 'triton', instance: '10.0.2.20:8002', namespace: 'inference' } },
    ]);
    expectPromises(p, { required: MODEL_LABELS });
    const resnet1 = { model: 'resnet50_onnx', version: '1' };
    const ensemble = { model: 'ensemble_llm', version: '1' };
    expect(p.get('ai:requests:rate5m')).toHaveLength(4);
    // REJECTED 14 of 91234 + 14; ensemble OTHER 3 of 3120 + 3.
    expect(one(p, 'ai:request_errors:rate5m', resnet1) / one(p, 'ai:requests:rate5m', resnet1)).toBeCloseTo(14 / 91248, 12);
    expect(one(p, 'ai:request_errors:rate5m', ensemble) / one(p, 'ai:requests:rate5m', ensemble)).toBeCloseTo(3 / 3123, 12);
    expect(one(p, 'ai:request_errors:rate5m', { model: 'resnet50_onnx', version: '2' })).toBe(0);
    // Mean latency: 383182800 us over 91234 successes.
    expect(one(p, 'ai:request_latency_seconds_sum:rate5m', resnet1) / one(p, 'ai:request_latency_seconds_count:rate5m', resnet1)).toBeCloseTo(
      383.1828 / 91234,
      12,
    );
    expect(one(p, 'ai:requests_waiting', resnet1)).toBe(12);
    const ttft = p.get('ai:time_to_first_token_seconds_bucket:rate5m')!.filter((s) => s.labels['model'] === 'ensemble_llm');
    expect(ttft.map((s) => s.labels['le']).sort()).toEqual(['+Inf', '0.1', '0.5', '2.0', '5.0']);
    const ttftAt = (le: string) => one(p, 'ai:time_to_first_token_seconds_bucket:rate5m', { ...ensemble, le });
    expect(ttftAt('0.5') / ttftAt('+Inf')).toBeCloseTo(2991 / 3120, 12);
  });

  it('tgi: model, namespace and version from the target labels only', async () => {
    const target = { job: 'tgi', instance: '10.0.3.30:80', namespace: 'inference', model: 'mistral-7b-instruct', version: 'v0.3' };
    const p = await scrapeAndEvaluate('tgi.yaml', [{ fixture: 'tgi.prom', target }]);
    expectPromises(p, { required: MODEL_LABELS });
    const m = { model: 'mistral-7b-instruct', version: 'v0.3' };
    for (const [record, samples] of p) if (!record.includes('_bucket:')) expect(samples, record).toHaveLength(1);
    // 2 generation failures of 5321 + 2 finished; the 17 validation failures were the clients'.
    expect(one(p, 'ai:request_errors:rate5m', m) / one(p, 'ai:requests:rate5m', m)).toBeCloseTo(2 / 5323, 12);
    expect(one(p, 'ai:kv_cache_usage:ratio', m)).toBeCloseTo(18244 / 142768, 15);
    expect(one(p, 'ai:requests_running', m)).toBe(23);
    expect(one(p, 'ai:requests_waiting', m)).toBe(4);
    expect(p.get('ai:request_latency_seconds_bucket:rate5m')).toHaveLength(36); // 35 buckets and +Inf
  });

  it('rabbitmq: the per-object endpoint', async () => {
    const p = await scrapeAndEvaluate('rabbitmq.yaml', [
      { fixture: 'rabbitmq.per-object.prom', target: { job: 'rabbitmq', instance: 'rabbitmq-server-0:15692', namespace: 'messaging' } },
    ]);
    expectPromises(p, {
      required: ['namespace', 'queue', 'system', 'vhost'],
      notFed: { 'ai:queue_oldest_age_seconds': 'this capture has no head-message timestamp (no queue held a timestamped message)' },
    });
    const q = { vhost: '/', queue: 'inference.requests', system: 'rabbitmq' };
    expect(p.get('ai:queue_depth')).toHaveLength(5);
    expect(one(p, 'ai:queue_depth', q)).toBe(1843);
    expect(one(p, 'ai:queue_in_flight', q)).toBe(64);
    expect(one(p, 'ai:queue_consumers', q)).toBe(8);
    expect(one(p, 'ai:queue_consumers', { vhost: 'ml', queue: 'eval.results' })).toBe(0);
    expect(one(p, 'ai:queue_dequeued:rate5m', q)).toBeGreaterThan(0);
  });

  it('kafka: kafka_exporter', async () => {
    const p = await scrapeAndEvaluate('kafka.yaml', [
      { fixture: 'kafka-exporter.prom', target: { job: 'kafka-exporter', instance: 'kafka-exporter:9308', namespace: 'messaging' } },
    ]);
    expectPromises(p, { required: ['namespace', 'queue', 'system', 'consumergroup'] });
    // The depth is the exporter's own kafka_consumergroup_lag_sum, summed here from partitions.
    const body = readFileSync(new URL('kafka-exporter.prom', FIXTURES), 'utf8');
    const lagSums = [...body.matchAll(/^kafka_consumergroup_lag_sum\{consumergroup="([^"]+)",topic="([^"]+)"\} (\S+)$/gm)];
    expect(lagSums).toHaveLength(2);
    for (const [, consumergroup, topic, v] of lagSums) expect(one(p, 'ai:queue_depth', { consumergroup: consumergroup!, queue: topic! })).toBe(Number(v));
    expect(one(p, 'ai:queue_consumers', { consumergroup: 'llm-router' })).toBe(4);
    expect(one(p, 'ai:queue_consumers', { consumergroup: 'result-writer' })).toBe(2);
  });

  it('bullmq: BullMQ’s own export, from two application replicas (one concatenating two queues)', async () => {
    const p = await scrapeAndEvaluate('bullmq.yaml', [
      { fixture: 'bullmq.prom', target: { job: 'batch-api', instance: '10.0.4.50:3000', namespace: 'batch' } },
      { fixture: 'bullmq.concatenated-two-queues.prom', target: { job: 'batch-api', instance: '10.0.4.51:3000', namespace: 'batch' } },
    ]);
    expectPromises(p, {
      required: ['namespace', 'queue', 'system'],
      notFed: { 'ai:queue_oldest_age_seconds': "only vigil's BullMQ collector measures the oldest waiting job" },
    });
    // Both replicas report llm-batch-inference: waiting 126 + prioritized 0, once.
    expect(one(p, 'ai:queue_depth', { queue: 'llm-batch-inference' })).toBe(126);
    expect(one(p, 'ai:queue_depth', { queue: 'embedding-jobs' })).toBe(14);
    expect(one(p, 'ai:queue_in_flight', { queue: 'llm-batch-inference' })).toBe(8);
    expect(one(p, 'ai:queue_dequeued:rate5m', { queue: 'embedding-jobs' })).toBe(0);
  });
});
