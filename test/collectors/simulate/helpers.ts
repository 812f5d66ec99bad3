import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PromTextParser } from '../../../collectors/textparse/index.js';
import { Platform } from '../../../collectors/simulate/platform.js';
import { loadScenario, type Scenario } from '../../../collectors/simulate/scenario.js';

/** T0 is the scenarios' start in these tests: 2024-05-01T00:00:00Z. */
export const T0 = Date.UTC(2024, 4, 1);
export const MIN = 60_000;

export const SCENARIO_DIR = fileURLToPath(new URL('../../../examples/scenarios/', import.meta.url));
export const SCENARIOS: readonly string[] = readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.slice(0, -'.yaml'.length))
  .sort();

export function scenario(name: string): Promise<Scenario> {
  return loadScenario(`${SCENARIO_DIR}${name}.yaml`);
}

/** Sample is one parsed sample line. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** parseSamples reads a text-format body with vigil's parser (which throws on anything Prometheus rejects). */
export function parseSamples(body: string): Sample[] {
  const parser = new PromTextParser(body);
  const out: Sample[] = [];
  let kind;
  while ((kind = parser.next()) !== null) {
    if (kind !== 'series') continue;
    const labels = parser.labels().toRecord();
    const name = labels['__name__']!;
    delete labels['__name__'];
    out.push({ name, labels, value: parser.value() });
  }
  return out;
}

/** select returns the samples of `name` whose labels include `match`. */
export function select(samples: readonly Sample[], name: string, match: Readonly<Record<string, string>> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

/** total sums the values of the selected samples. */
export function total(samples: readonly Sample[], name: string, match: Readonly<Record<string, string>> = {}): number {
  return select(samples, name, match).reduce((a, s) => a + s.value, 0);
}

/** Snapshot is every target's parsed body at one time, by target id. */
export type Snapshot = ReadonlyMap<string, Sample[]>;

/** Probe renders a scenario's platform at minutes after T0, in increasing order. */
export class Probe {
  readonly platform: Platform;

  constructor(readonly scenario: Scenario) {
    this.platform = new Platform(scenario, T0);
  }

  at(minutes: number): Snapshot {
    return new Map(this.platform.renderBodies(T0 + minutes * MIN).map((b) => [b.target.id, parseSamples(b.body)]));
  }
}

/** target returns one target's samples from a snapshot. */
export function target(s: Snapshot, id: string): Sample[] {
  const samples = s.get(id);
  if (samples === undefined) throw new Error(`no target ${id}`);
  return samples;
}

/** vllm is a vLLM target's samples. */
export function vllm(s: Snapshot, model: string, version: string): Sample[] {
  return target(s, `vllm/${model}/${version}`);
}

const COMPLETIONS = { handler: '/v1/chat/completions' };

/** errorRatio is the share of completions answered 5xx between two snapshots (from the counters' increase). */
export function errorRatio(a: Snapshot, b: Snapshot, model: string, version: string): number {
  const failed = total(vllm(b, model, version), 'http_requests_total', { ...COMPLETIONS, status: '5xx' }) - total(vllm(a, model, version), 'http_requests_total', { ...COMPLETIONS, status: '5xx' });
  const all = total(vllm(b, model, version), 'http_requests_total', COMPLETIONS) - total(vllm(a, model, version), 'http_requests_total', COMPLETIONS);
  return failed / all;
}

/** requestRate is completions per second between two snapshots `seconds` apart. */
export function requestRate(a: Snapshot, b: Snapshot, model: string, version: string, seconds: number): number {
  return (total(vllm(b, model, version), 'http_requests_total', COMPLETIONS) - total(vllm(a, model, version), 'http_requests_total', COMPLETIONS)) / seconds;
}

/** meanLatency is the mean of a vLLM histogram between two snapshots: increase of _sum over increase of _count. */
export function meanLatency(a: Snapshot, b: Snapshot, model: string, version: string, histogram: string): number {
  const d = (suffix: string) => total(vllm(b, model, version), histogram + suffix) - total(vllm(a, model, version), histogram + suffix);
  return d('_sum') / d('_count');
}

/** gpusHeld counts the GPUs whose DCGM series name a pod, over both nodes. */
export function gpusHeld(s: Snapshot): number {
  let n = 0;
  for (const [id, samples] of s) if (id.startsWith('dcgm/')) n += select(samples, 'DCGM_FI_DEV_GPU_UTIL').filter((x) => x.labels['pod'] !== undefined).length;
  return n;
}

/** pendingPods lists the pods kube-state-metrics reports Pending and unschedulable. */
export function unschedulablePods(s: Snapshot): string[] {
  return select(target(s, 'kube-state-metrics'), 'kube_pod_status_unschedulable').map((x) => x.labels['pod']!);
}
