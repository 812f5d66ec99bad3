import { afterEach, describe, expect, it } from 'vitest';
import type { TargetGroup } from '../../../../collectors/discovery/provider.js';
import { makePod } from '../../../support/kube-fake.js';
import { type Harness, sdConfig, startHarness, waitFor } from './harness.js';

// The TargetProvider (provider.ts): scopes and their sources, subscribers, stopping. Through the
// real @kubernetes/client-node against the loopback fake API server (test/support/kube-fake.ts);
// time is virtual, everything else waits on real loopback I/O.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('KubernetesDiscovery', () => {
  it('merges several configs of one job, each under its own source prefix, and serves a late subscriber at once', async () => {
    h = await startHarness({
      configs: (url) => [sdConfig(url, { namespaces: ['a'] }), sdConfig(url, { labelSelector: 'app=x' })],
      beforeStart: (f) => {
        f.addPod(makePod({ namespace: 'a', name: 'p', ip: '10.0.0.1', labels: { app: 'x' } }));
        f.addPod(makePod({ namespace: 'b', name: 'q', ip: '10.0.0.2', labels: { app: 'x' } }));
      },
    });
    const groups = await h.next();
    expect(groups.map((g) => g.source)).toEqual(['pods/kubernetes/0/pod/a/p', 'pods/kubernetes/1/pod/a/p', 'pods/kubernetes/1/pod/b/q']);
    const late: (readonly TargetGroup[])[] = [];
    const unsubscribe = h.discovery.subscribe((g) => late.push(g));
    expect(late).toEqual([groups]);
    unsubscribe();
  });

  it('watches nothing, rather than the whole cluster, when own_namespace cannot be read', async () => {
    h = await startHarness({ configs: (url) => [sdConfig(url, { ownNamespace: true })] });
    expect(await h.next()).toEqual([]);
    expect(h.fake.requests).toEqual([]);
  });

  it('stops cleanly: the watch is closed, waits are cancelled, nothing more is sent', async () => {
    h = await startHarness({ beforeStart: (f) => void f.addPod(makePod({ namespace: 'n', name: 'a', ip: '10.0.0.1' })) });
    await h.next();
    await waitFor(() => h!.fake.openWatches === 1, 'the watch');
    const seen = h.updates.length;
    await h.discovery.stop();
    await waitFor(() => h!.fake.openWatches === 0, 'the server to see the watch closed');
    h.fake.addPod(makePod({ namespace: 'n', name: 'b', ip: '10.0.0.2' }));
    await new Promise((r) => setTimeout(r, 30));
    expect(h.updates.length).toBe(seen);
    expect(h.clock.pending).toBe(0);
  });

  it('stops during a backoff without waiting for it', async () => {
    h = await startHarness({ beforeStart: (f) => f.failNext(500, 'list') });
    await waitFor(() => h!.clock.pending === 1, 'the backoff');
    await h.discovery.stop();
    expect(h.clock.pending).toBe(0);
    expect(h.updates).toEqual([]);
  });
});
