import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The rule packs vigil ships. A source pack is a Prometheus rule file of recording rules that maps
 * one exporter's series onto the shared `ai:` vocabulary (docs/metrics.md); since it is a plain
 * `groups:` file, vigil, Prometheus and promtool all load it as it is.
 */

/** SourcePack names one source pack: `file` is its name in rules/packs/sources/. */
export interface SourcePack {
  readonly name: string;
  readonly file: string;
  /** source says which exporter or endpoint the pack reads. */
  readonly source: string;
}

/** SOURCE_PACKS lists every source pack, in the order of docs/metrics.md. */
export const SOURCE_PACKS: readonly SourcePack[] = [
  { name: 'vllm', file: 'vllm.yaml', source: 'vLLM /metrics (V1 names and the v0.10 ones)' },
  { name: 'triton', file: 'triton.yaml', source: 'Triton Inference Server /metrics (port 8002)' },
  { name: 'tgi', file: 'tgi.yaml', source: 'Text Generation Inference router /metrics' },
  { name: 'dcgm', file: 'dcgm.yaml', source: 'NVIDIA dcgm-exporter /metrics' },
  { name: 'rabbitmq', file: 'rabbitmq.yaml', source: 'rabbitmq_prometheus /metrics/per-object (and /metrics/detailed for queue age)' },
  { name: 'kafka', file: 'kafka.yaml', source: 'kafka_exporter /metrics' },
  { name: 'bullmq', file: 'bullmq.yaml', source: "vigil's BullMQ collector, or BullMQ's exportPrometheusMetrics()" },
  { name: 'kube-state-metrics', file: 'kube-state-metrics.yaml', source: 'kube-state-metrics v2 /metrics' },
  { name: 'scrape', file: 'scrape.yaml', source: 'the scraper’s own `up` series' },
];

/**
 * sourcePackDir is the directory holding the source packs. The YAML files stay in the source
 * tree (the TypeScript build does not copy them), so from the compiled dist/rules/packs/ it is
 * the checkout's rules/packs/sources/, three levels up.
 */
export function sourcePackDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'sources'), join(here, '..', '..', '..', 'rules', 'packs', 'sources')];
  const found = candidates.find((d) => existsSync(join(d, SOURCE_PACKS[0]!.file)));
  if (found === undefined) throw new Error(`source rule packs not found in ${candidates.join(' or ')}`);
  return found;
}

/** sourcePackPaths are the absolute paths of every source pack, in SOURCE_PACKS order. */
export function sourcePackPaths(): string[] {
  const dir = sourcePackDir();
  return SOURCE_PACKS.map((p) => join(dir, p.file));
}
