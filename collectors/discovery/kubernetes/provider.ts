import type { Clock } from '../../../util/clock.js';
import type { Logger } from '../../../util/log.js';
import type { TargetGroup, TargetProvider } from '../provider.js';
import type { BackoffOptions } from './backoff.js';
import type { KubernetesSDConfig } from './config.js';
import { type InClusterEnv, inClusterEnv, ownNamespace } from './incluster.js';
import { type Pod, podKey, podTargetGroup } from './pod.js';
import type { PodApi } from './podapi.js';
import { type PodHandler, PodReflector } from './reflector.js';

export interface KubernetesDiscoveryOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** env is where in-cluster configuration looks; the process's environment by default. */
  readonly env?: InClusterEnv;
  readonly backoff?: BackoffOptions;
  /** random in [0, 1) for jitter; tests pass a constant. */
  readonly random?: () => number;
}

/**
 * KubernetesDiscovery is the TargetProvider for one job's `kubernetes_sd_configs`: one reflector
 * per configured namespace (or one cluster-wide), each pod turned into a target group by
 * podTargetGroup, group sources `<job>/kubernetes/<index>/pod/<namespace>/<name>`.
 *
 * Subscribers get the complete list of groups, sorted by source: first once every reflector has
 * listed (so a restart does not briefly report a half-discovered cluster and stop the rest of its
 * loops), then after every change. Changes that arrive together (a list, a burst of watch events
 * read from one chunk) are sent as one update. While the API server is unreachable the last known
 * groups stand. The Kubernetes client (a third of a second to import) is loaded on first use, so
 * configs without Kubernetes discovery never pay for it.
 */
export class KubernetesDiscovery implements TargetProvider {
  private readonly subscribers = new Set<(groups: readonly TargetGroup[]) => void>();
  private readonly scopes: Scope[] = [];
  private scheduled = false;
  private running = false;

  constructor(
    private readonly jobName: string,
    private readonly configs: readonly KubernetesSDConfig[],
    private readonly opts: KubernetesDiscoveryOptions,
  ) {}

  subscribe(onUpdate: (groups: readonly TargetGroup[]) => void): () => void {
    this.subscribers.add(onUpdate);
    if (!this.running) this.start();
    else if (this.synced) onUpdate(this.groups());
    return () => {
      this.subscribers.delete(onUpdate);
      if (this.subscribers.size === 0) void this.stop();
    };
  }

  /** synced says whether every reflector has completed its first list. */
  get synced(): boolean {
    return this.scopes.every((s) => s.listed);
  }

  /** groups is the current list of target groups, sorted by source. */
  groups(): TargetGroup[] {
    const out: TargetGroup[] = [];
    for (const s of this.scopes) out.push(...s.groups.values());
    return out.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  }

  /** stop ends every watch and wait; subscribers hear nothing more. Resolves when the reflectors have stopped. */
  async stop(): Promise<void> {
    this.running = false;
    const scopes = this.scopes.splice(0);
    await Promise.all(scopes.map((s) => s.reflector.stop()));
  }

  private start(): void {
    this.running = true;
    const env = this.opts.env ?? inClusterEnv();
    this.configs.forEach((cfg, index) => {
      const namespaces = [...cfg.namespaces];
      if (cfg.ownNamespace) {
        const own = readOwnNamespace(env, this.opts.logger);
        if (own !== undefined && !namespaces.includes(own)) namespaces.push(own);
      }
      // No namespace asked for means the whole cluster, through the cluster-wide path; an
      // own_namespace that cannot be read means none (it was logged), never the whole cluster.
      const scopes = namespaces.length === 0 && cfg.namespaces.length === 0 && !cfg.ownNamespace ? [undefined] : namespaces;
      for (const namespace of scopes) this.scopes.push(this.scope(cfg, index, namespace, env));
    });
    for (const s of this.scopes) s.reflector.start();
    if (this.scopes.length === 0) this.changed();
  }

  private scope(cfg: KubernetesSDConfig, index: number, namespace: string | undefined, env: InClusterEnv): Scope {
    const logger = this.opts.logger.with({ component: 'discovery', discovery: 'kubernetes', job: this.jobName, namespace: namespace ?? '*' });
    const prefix = `${this.jobName}/kubernetes/${index}/pod/`;
    const groups = new Map<string, TargetGroup>();
    const state = { groups, listed: false };
    const put = (pod: Pod) => {
      const key = podKey(pod);
      groups.set(key, podTargetGroup(pod, prefix + key));
    };
    const handler: PodHandler = {
      replace: (pods) => {
        groups.clear();
        for (const pod of pods) put(pod);
        state.listed = true;
        this.changed();
      },
      upsert: (pod) => {
        put(pod);
        this.changed();
      },
      remove: (pod) => {
        groups.delete(podKey(pod));
        this.changed();
      },
    };
    const reflector = new PodReflector({
      connect: () => connect(cfg, namespace, env, logger),
      handler,
      clock: this.opts.clock,
      logger,
      ...(this.opts.backoff === undefined ? {} : { backoff: this.opts.backoff }),
      ...(this.opts.random === undefined ? {} : { random: this.opts.random }),
    });
    return Object.assign(state, { reflector });
  }

  /** changed sends one update for everything that changed in this turn of the event loop. */
  private changed(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      if (!this.running || !this.synced) return;
      const groups = this.groups();
      for (const s of [...this.subscribers]) s(groups);
    });
  }
}

interface Scope {
  readonly groups: Map<string, TargetGroup>;
  readonly listed: boolean;
  readonly reflector: PodReflector;
}

/** kubernetesProvider is the TargetProvider for one job's kubernetes_sd_configs. */
export function kubernetesProvider(jobName: string, configs: readonly KubernetesSDConfig[], opts: KubernetesDiscoveryOptions): KubernetesDiscovery {
  return new KubernetesDiscovery(jobName, configs, opts);
}

async function connect(cfg: KubernetesSDConfig, namespace: string | undefined, env: InClusterEnv, logger: Logger): Promise<PodApi> {
  const [{ loadKubeConfig }, { podApi }] = await Promise.all([import('./kubeconfig.js'), import('./podapi.js')]);
  return podApi(loadKubeConfig(cfg, env, logger), { namespace, labelSelector: cfg.labelSelector, fieldSelector: cfg.fieldSelector });
}

function readOwnNamespace(env: InClusterEnv, logger: Logger): string | undefined {
  try {
    return ownNamespace(env);
  } catch (err) {
    logger.error('cannot read the service account namespace; own_namespace is not watched', { err: (err as Error).message });
    return undefined;
  }
}
