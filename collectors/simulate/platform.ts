import { renderDcgm } from './exporters/dcgm.js';
import { renderKubeStateMetrics } from './exporters/kube-state-metrics.js';
import { renderRabbitmq } from './exporters/rabbitmq.js';
import { renderVllm } from './exporters/vllm.js';
import type { Knobs } from './knobs.js';
import { Cluster, type Pod, PULL_MS } from './model/cluster.js';
import { Gpu, type GpuLoad, IDLE } from './model/gpu.js';
import { EmbeddingsQueue } from './model/queue.js';
import { VllmServer } from './model/vllm.js';
import { stream } from './prng.js';
import type { Scenario } from './scenario.js';
import { type SimTarget, simulatedTargets } from './targets.js';
import { Timeline } from './timeline.js';
import { deploymentName, GPU_FB_RESERVED_MIB, GPU_FB_TOTAL_MIB, GPUS_PER_NODE, MODELS, NODES, PCI_BUS_IDS } from './topology.js';

/** WARMUP_MS is how long the platform runs on the scenario's first knobs before its start. */
export const WARMUP_MS = 3_600_000;
/** Pods that exist at the start were created this long before the warm-up, so they are ready. */
const BOOT_LEAD_MS = 600_000;
/** The share of a GPU's framebuffer vLLM takes (its --gpu-memory-utilization) and a training worker uses. */
const VLLM_MEMORY_SHARE = 0.9;
const TRAINING_MEMORY_MIB = 75_400;

/** The text format's content type, as every simulated exporter answers. */
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** RenderedBody is one target's /metrics body at a point in time. */
export interface RenderedBody {
  readonly target: SimTarget;
  readonly body: string;
  readonly contentType: string;
}

/**
 * Platform is the simulated AI platform driven by a scenario. Time is the scenario's: `start` (ms
 * since the epoch) is its time zero, and the model advances in ticks of `scenario.tickMs` from
 * there. Before `start` it has already run for WARMUP_MS on the first knobs, so counters,
 * histograms and temperatures start from a lived-in state rather than zero.
 *
 * Everything is a function of the scenario, its seed and `start`: at(t) only moves forward, and
 * a body rendered at t shows the state of the last tick at or before t, so two platforms built
 * alike give the same bodies at the same times however differently they were sampled.
 */
export class Platform {
  readonly targets: readonly SimTarget[];
  readonly timeline: Timeline;
  private readonly cluster: Cluster;
  private readonly servers = new Map<string, VllmServer>();
  private readonly gpus = new Map<string, Gpu[]>();
  private readonly queue: EmbeddingsQueue;
  private t: number;

  constructor(
    readonly scenario: Scenario,
    readonly start: number,
  ) {
    if (!Number.isSafeInteger(start)) throw new RangeError(`start must be integer milliseconds, got ${start}`);
    this.targets = simulatedTargets();
    this.timeline = new Timeline(scenario);
    const seed = scenario.seed;
    this.cluster = new Cluster(stream(seed, 'cluster'));
    this.queue = new EmbeddingsQueue(stream(seed, 'queue'));
    const boot = start - WARMUP_MS;
    this.cluster.reconcile(boot - BOOT_LEAD_MS, this.knobsAt(boot));
    for (const m of MODELS) {
      for (const v of m.versions) {
        const first = this.cluster.podsOf(deploymentName(m.model, v.version))[0];
        const started = first?.scheduledAt ?? boot - BOOT_LEAD_MS;
        this.servers.set(deploymentName(m.model, v.version), new VllmServer(m, v, started + PULL_MS, stream(seed, `vllm/${m.model}/${v.version}`)));
      }
    }
    for (const n of NODES) {
      // GPUs are hardware: their identities and lifetime counters do not depend on the scenario's seed.
      this.gpus.set(
        n.name,
        Array.from({ length: GPUS_PER_NODE }, (_, i) => new Gpu(n.name, i, PCI_BUS_IDS[i]!, stream(0, `gpu/${n.name}/${i}`))),
      );
    }
    this.t = boot;
    this.advanceTo(start);
  }

  /** time is the time (ms) of the state the bodies show: the last tick at or before the last at(). */
  get time(): number {
    return this.t;
  }

  /** knobs are the knob values in force at the current time. */
  knobs(): Knobs {
    return this.knobsAt(this.t);
  }

  /**
   * at advances the platform to time `t` (ms since the epoch). A time before the current state's
   * is an error: the platform never goes back.
   */
  at(t: number): this {
    if (t < this.t) throw new RangeError(`the platform is at ${new Date(this.t).toISOString()} and cannot go back to ${new Date(t).toISOString()}`);
    this.advanceTo(t);
    return this;
  }

  /** render writes one target's body for the current state. */
  render(target: SimTarget): string {
    switch (target.kind) {
      case 'dcgm': {
        const node = target.node!;
        return renderDcgm(node, this.gpus.get(node)!.map((gpu) => ({ gpu, holder: this.cluster.holder(node, gpu.index) })));
      }
      case 'vllm':
        return renderVllm(this.servers.get(deploymentName(target.model!, target.version!))!);
      case 'rabbitmq':
        return renderRabbitmq(this.queue);
      case 'kube-state-metrics':
        return renderKubeStateMetrics(this.cluster, this.t);
    }
  }

  /** renderBodies advances to `t` and renders every target's body. */
  renderBodies(t: number): RenderedBody[] {
    this.at(t);
    return this.targets.map((target) => ({ target, body: this.render(target), contentType: TEXT_CONTENT_TYPE }));
  }

  private knobsAt(t: number): Knobs {
    return this.timeline.knobsAt(Math.max(0, t - this.start));
  }

  private advanceTo(t: number): void {
    const tick = this.scenario.tickMs;
    while (this.t + tick <= t) {
      this.t += tick;
      this.step(this.t, tick / 1000);
    }
  }

  private step(t: number, dtS: number): void {
    const knobs = this.knobsAt(t);
    this.cluster.reconcile(t, knobs);
    for (const [deployment, server] of this.servers) {
      const k = knobs.model(server.model.model, server.version.version);
      server.step(dtS, { requestRate: k.requestRate, errorRatio: k.errorRatio, latencyMultiplier: k.latencyMultiplier, readyReplicas: this.cluster.readyReplicas(deployment, t) });
    }
    for (const gpus of this.gpus.values()) {
      for (const gpu of gpus) gpu.step(dtS, this.load(this.cluster.holder(gpu.node, gpu.index), t, knobs));
    }
    this.queue.step(t, dtS, knobs.queue);
  }

  /** load is what the pod holding a GPU asks of it: a vLLM pod follows its version's load. */
  private load(pod: Pod | undefined, t: number, knobs: Knobs): GpuLoad {
    if (pod === undefined) return IDLE;
    const state = this.cluster.state(pod, t);
    if (!state.running) return IDLE;
    const nvlink = pod.gpus > 1;
    if (pod.deployment === undefined) return { utilization: knobs.batch.utilization, memoryMiB: TRAINING_MEMORY_MIB, nvlink };
    const memoryMiB = (GPU_FB_TOTAL_MIB - GPU_FB_RESERVED_MIB) * VLLM_MEMORY_SHARE;
    // Loading weights fills memory and leaves the SMs nearly idle.
    if (!state.ready) return { utilization: 0.03, memoryMiB: memoryMiB * Math.min(1, (t - pod.scheduledAt!) / pod.loadMs), nvlink };
    const rho = this.servers.get(pod.deployment)?.utilization ?? 0;
    return { utilization: Math.min(1, 0.2 + 0.75 * Math.min(rho, 1.05)), memoryMiB, nvlink };
  }
}
