import type { Knobs } from '../knobs.js';
import { type Rng, uuid } from '../prng.js';
import { BATCH_JOB, deploymentName, GPU_QUOTA, GPUS_PER_NODE, MODELS, type ModelSpec, NODES, type VersionSpec } from '../topology.js';

/** PULL_MS is how long a scheduled pod's container waits in ContainerCreating (image cached). */
export const PULL_MS = 20_000;
/** BATCH_START_MS is how long a training worker takes from container start to ready. */
const BATCH_START_MS = 30_000;
/** Kubernetes' alphabet for generated name suffixes (no vowels, no look-alike digits). */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Pod is one simulated pod, with the GPUs it holds once scheduled. */
export interface Pod {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly ownerKind: 'ReplicaSet' | 'PyTorchJob';
  readonly ownerName: string;
  /** deployment is the Deployment of an inference pod (also the key of its model version). */
  readonly deployment: string | undefined;
  readonly container: string;
  readonly gpus: number;
  readonly cpu: number;
  readonly memoryBytes: number;
  readonly priorityClass: string;
  readonly createdAt: number;
  /** loadMs is the time from container start to ready (weights loading for vLLM). */
  readonly loadMs: number;
  node: string | undefined;
  gpuIndices: number[];
  podIp: string | undefined;
  scheduledAt: number | undefined;
}

/** PodState is where a pod is in its life at a given time, as kube-state-metrics reports it. */
export interface PodState {
  readonly phase: 'Pending' | 'Running';
  readonly scheduled: boolean;
  /** waitingReason is the container's waiting reason, when it has a container status and waits. */
  readonly waitingReason: 'ContainerCreating' | undefined;
  readonly running: boolean;
  readonly ready: boolean;
}

/** DeploymentStatus is a Deployment's spec and status replicas. */
export interface DeploymentStatus {
  readonly namespace: string;
  readonly name: string;
  readonly specReplicas: number;
  readonly replicas: number;
  readonly available: number;
}

interface DeploymentSpec {
  readonly name: string;
  readonly model: ModelSpec;
  readonly version: VersionSpec;
  readonly templateHash: string;
}

/**
 * Cluster is the Kubernetes side of the platform: Deployments of vLLM pods, the batch Job, the
 * scheduler that places pods on free GPUs, and the GPU ResourceQuota of namespace `inference`.
 *
 * Each tick, reconcile() makes pods match the knobs as the controllers would: a Deployment scaled
 * up creates pods only while the quota admits their GPU requests (a pod that would exceed it is
 * never created); scaled down, it deletes unscheduled pods first, then the newest. Pending pods
 * are then scheduled in creation order on the first node with enough free GPUs; none is ever
 * preempted, so a training Job that took the GPUs first starves inference scale-ups. A scheduled
 * pod is ContainerCreating for PULL_MS, then Running, and ready after its load time.
 */
export class Cluster {
  /** pods in creation order. */
  readonly pods: Pod[] = [];
  readonly deployments: readonly DeploymentSpec[];
  private readonly gpuOwner = new Map<string, (Pod | undefined)[]>();
  private readonly podIps = new Map<string, number>();
  private readonly specReplicas = new Map<string, number>();
  /** quotaHard is the GPU quota's hard limit as of the last reconcile. */
  quotaHard = 0;

  constructor(private readonly rng: Rng) {
    const deployments: DeploymentSpec[] = [];
    for (const model of MODELS) {
      for (const version of model.versions) {
        deployments.push({ name: deploymentName(model.model, version.version), model, version, templateHash: this.suffix(10) });
      }
    }
    this.deployments = deployments;
    for (const n of NODES) {
      this.gpuOwner.set(n.name, new Array<Pod | undefined>(GPUS_PER_NODE).fill(undefined));
      this.podIps.set(n.name, 10);
    }
  }

  /** reconcile applies the knobs at time `t` (ms): creates and deletes pods, then schedules. */
  reconcile(t: number, knobs: Knobs): void {
    const quotaHard = knobs.quota.gpuHard;
    this.quotaHard = quotaHard;
    for (const d of this.deployments) {
      const desired = knobs.model(d.model.model, d.version.version).replicas;
      this.specReplicas.set(d.name, desired);
      const pods = this.pods.filter((p) => p.deployment === d.name);
      for (let i = pods.length; i < desired; i++) {
        if (this.quotaUsed() + d.model.gpusPerReplica > quotaHard) break;
        this.pods.push(this.newInferencePod(d, t));
      }
      if (pods.length > desired) {
        const victims = [...pods].sort((a, b) => Number(a.scheduledAt !== undefined) - Number(b.scheduledAt !== undefined) || b.createdAt - a.createdAt);
        for (const p of victims.slice(0, pods.length - desired)) this.remove(p);
      }
    }
    this.reconcileBatch(t, knobs.batch.workers, knobs.batch.gpusPerWorker);
    for (const p of this.pods) if (p.scheduledAt === undefined) this.schedule(p, t);
  }

  /** state is a pod's phase, scheduling and readiness at time `t`. */
  state(p: Pod, t: number): PodState {
    if (p.scheduledAt === undefined) return { phase: 'Pending', scheduled: false, waitingReason: undefined, running: false, ready: false };
    if (t < p.scheduledAt + PULL_MS) return { phase: 'Pending', scheduled: true, waitingReason: 'ContainerCreating', running: false, ready: false };
    return { phase: 'Running', scheduled: true, waitingReason: undefined, running: true, ready: t >= p.scheduledAt + PULL_MS + p.loadMs };
  }

  /** podsOf lists a Deployment's pods, oldest first. */
  podsOf(deployment: string): Pod[] {
    return this.pods.filter((p) => p.deployment === deployment);
  }

  /** readyReplicas counts a Deployment's ready pods at `t`. */
  readyReplicas(deployment: string, t: number): number {
    return this.podsOf(deployment).filter((p) => this.state(p, t).ready).length;
  }

  /** holder is the pod holding GPU `index` of `node`, if any. */
  holder(node: string, index: number): Pod | undefined {
    return this.gpuOwner.get(node)?.[index];
  }

  /** quotaUsed is the GPU requests of every pod in the quota's namespace (Pending ones count too). */
  quotaUsed(): number {
    let used = 0;
    for (const p of this.pods) if (p.namespace === GPU_QUOTA.namespace) used += p.gpus;
    return used;
  }

  deploymentStatus(t: number): DeploymentStatus[] {
    return this.deployments.map((d) => {
      const pods = this.podsOf(d.name);
      return {
        namespace: d.model.namespace,
        name: d.name,
        specReplicas: this.specReplicas.get(d.name) ?? 1,
        replicas: pods.length,
        available: pods.filter((p) => this.state(p, t).ready).length,
      };
    });
  }

  private reconcileBatch(t: number, workers: number, gpusPerWorker: number): void {
    let pods = this.pods.filter((p) => p.ownerKind === 'PyTorchJob');
    // A Job's pod template cannot change under running workers: a new size restarts the Job.
    if (pods.some((p) => p.gpus !== gpusPerWorker)) {
      for (const p of pods) this.remove(p);
      pods = [];
    }
    for (let i = pods.length; i < workers; i++) {
      this.pods.push({
        namespace: BATCH_JOB.namespace,
        name: `${BATCH_JOB.name}-worker-${i}`,
        uid: uuid(this.rng),
        ownerKind: 'PyTorchJob',
        ownerName: BATCH_JOB.name,
        deployment: undefined,
        container: BATCH_JOB.container,
        gpus: gpusPerWorker,
        cpu: BATCH_JOB.cpuRequest,
        memoryBytes: BATCH_JOB.memoryRequestBytes,
        priorityClass: 'batch-low',
        createdAt: t,
        loadMs: BATCH_START_MS,
        node: undefined,
        gpuIndices: [],
        podIp: undefined,
        scheduledAt: undefined,
      });
    }
    for (const p of pods.slice(workers)) this.remove(p);
  }

  private newInferencePod(d: DeploymentSpec, t: number): Pod {
    return {
      namespace: d.model.namespace,
      name: `${d.name}-${d.templateHash}-${this.suffix(5)}`,
      uid: uuid(this.rng),
      ownerKind: 'ReplicaSet',
      ownerName: `${d.name}-${d.templateHash}`,
      deployment: d.name,
      container: 'vllm',
      gpus: d.model.gpusPerReplica,
      cpu: d.model.cpuRequest,
      memoryBytes: d.model.memoryRequestBytes,
      priorityClass: 'inference-high',
      createdAt: t,
      loadMs: d.model.loadSeconds * 1000,
      node: undefined,
      gpuIndices: [],
      podIp: undefined,
      scheduledAt: undefined,
    };
  }

  private schedule(p: Pod, t: number): void {
    for (const n of NODES) {
      const owners = this.gpuOwner.get(n.name)!;
      const free: number[] = [];
      owners.forEach((o, i) => {
        if (o === undefined) free.push(i);
      });
      if (free.length < p.gpus) continue;
      p.node = n.name;
      p.gpuIndices = free.slice(0, p.gpus);
      for (const i of p.gpuIndices) owners[i] = p;
      const next = this.podIps.get(n.name)!;
      this.podIps.set(n.name, next + 1);
      p.podIp = `10.244.${NODES.indexOf(n) + 1}.${next}`;
      p.scheduledAt = t;
      return;
    }
  }

  private remove(p: Pod): void {
    const i = this.pods.indexOf(p);
    if (i >= 0) this.pods.splice(i, 1);
    if (p.node !== undefined) {
      const owners = this.gpuOwner.get(p.node)!;
      for (const g of p.gpuIndices) if (owners[g] === p) owners[g] = undefined;
    }
  }

  private suffix(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += NAME_ALPHABET[Math.floor(this.rng.next() * NAME_ALPHABET.length)];
    return out;
  }
}
