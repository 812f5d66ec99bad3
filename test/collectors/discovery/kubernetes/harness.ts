import type { TargetGroup } from '../../../../collectors/discovery/provider.js';
import type { KubernetesSDConfig } from '../../../../collectors/discovery/kubernetes/config.js';
import type { InClusterEnv } from '../../../../collectors/discovery/kubernetes/incluster.js';
import { KubernetesDiscovery } from '../../../../collectors/discovery/kubernetes/provider.js';
import { VirtualClock } from '../../../../util/clock.js';
import { type Logger, nopLogger } from '../../../../util/log.js';
import { KubeFake, type KubeFakeOptions } from '../../../support/kube-fake.js';

/** sdConfig is a pod-role config pointed at `apiServer`, with overrides. */
export function sdConfig(apiServer: string, over: Partial<KubernetesSDConfig> = {}): KubernetesSDConfig {
  return {
    role: 'pod',
    apiServer,
    kubeconfigFile: undefined,
    namespaces: [],
    ownNamespace: false,
    labelSelector: '',
    fieldSelector: '',
    authorization: undefined,
    tls: undefined,
    ...over,
  };
}

/** waitFor polls `cond` while real I/O (the loopback API server) makes progress; it never waits on the virtual clock. */
export async function waitFor(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Harness is a fake API server and a discovery on a virtual clock, recording every update. */
export interface Harness {
  readonly fake: KubeFake;
  readonly clock: VirtualClock;
  readonly discovery: KubernetesDiscovery;
  readonly updates: (readonly TargetGroup[])[];
  /** latest is the last update (throws before the first). */
  latest(): readonly TargetGroup[];
  /** next waits for an update after the ones seen so far and returns it. */
  next(what?: string): Promise<readonly TargetGroup[]>;
  close(): Promise<void>;
}

export async function startHarness(
  opts: {
    fake?: KubeFakeOptions;
    configs?: (url: string) => KubernetesSDConfig[];
    logger?: Logger;
    /** env is the in-cluster environment; by default one that is not in a cluster. */
    env?: (fake: KubeFake) => InClusterEnv;
    beforeStart?: (fake: KubeFake) => void;
  } = {},
): Promise<Harness> {
  const fake = await KubeFake.start(opts.fake);
  opts.beforeStart?.(fake);
  const clock = new VirtualClock(1_700_000_000_000);
  const discovery = new KubernetesDiscovery('pods', opts.configs?.(fake.url) ?? [sdConfig(fake.url)], {
    clock,
    logger: opts.logger ?? nopLogger,
    env: opts.env?.(fake) ?? { host: undefined, port: undefined, serviceAccountDir: '/nonexistent' },
    random: () => 0,
  });
  const updates: (readonly TargetGroup[])[] = [];
  const unsubscribe = discovery.subscribe((g) => updates.push(g));
  let seen = 0;
  return {
    fake,
    clock,
    discovery,
    updates,
    latest() {
      const u = updates[updates.length - 1];
      if (u === undefined) throw new Error('no update yet');
      return u;
    },
    async next(what = 'an update') {
      await waitFor(() => updates.length > seen, what);
      seen = updates.length;
      return updates[updates.length - 1]!;
    },
    async close() {
      unsubscribe();
      await discovery.stop();
      await fake.close();
    },
  };
}

/** addresses lists every target address in `groups`, sorted. */
export function addresses(groups: readonly TargetGroup[]): string[] {
  return groups.flatMap((g) => g.targets.map((t) => t.get('__address__'))).sort();
}

/** group finds the group with `source`, failing with the sources there are. */
export function group(groups: readonly TargetGroup[], source: string): TargetGroup {
  const g = groups.find((x) => x.source === source);
  if (g === undefined) throw new Error(`no group ${source} in ${groups.map((x) => x.source).join(', ')}`);
  return g;
}

/** calls summarizes the fake's requests as `list <path>` / `watch <path> rv=<n>` lines, with the status when not 200. */
export function calls(harness: Harness): string[] {
  return harness.fake.requests.map((r) => {
    const rv = r.query.get('resourceVersion');
    return `${r.watch ? 'watch' : 'list'} ${r.path}${r.watch ? ` rv=${rv}` : ''}${r.status === 200 ? '' : ` -> ${r.status}`}`;
  });
}
