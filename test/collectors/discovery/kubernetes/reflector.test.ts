import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../util/log.js';
import { makePod } from '../../../support/kube-fake.js';
import { addresses, calls, group, type Harness, sdConfig, startHarness, waitFor } from './harness.js';

// The list-then-watch protocol (reflector.ts, podapi.ts) through the real @kubernetes/client-node
// against the loopback fake API server (test/support/kube-fake.ts). Time is virtual: backoff waits
// only pass when a test moves the clock; everything else waits on real loopback I/O.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('pod reflector: list, then watch', () => {
  it('lists, then follows adds, modifications and deletions through one watch', async () => {
    h = await startHarness({
      beforeStart: (f) => {
        f.addPod(makePod({ namespace: 'inference', name: 'vllm-0', ip: '10.1.0.5', node: 'gpu-1', labels: { app: 'vllm' } }));
        f.addPod(makePod({ namespace: 'inference', name: 'starting', node: 'gpu-2' }));
      },
    });
    const first = await h.next('the first list');
    expect(first.map((g) => g.source)).toEqual(['pods/kubernetes/0/pod/inference/starting', 'pods/kubernetes/0/pod/inference/vllm-0']);
    // A pod without an IP is a group without targets (Prometheus emits it too).
    expect(group(first, 'pods/kubernetes/0/pod/inference/starting').targets).toEqual([]);
    expect(addresses(first)).toEqual(['10.1.0.5:8080']);
    await waitFor(() => h!.fake.openWatches === 1, 'the watch');

    h.fake.modifyPod('inference', 'starting', (p) => {
      p.status.podIP = '10.1.0.6';
    });
    expect(addresses(await h.next('the pod got its IP'))).toEqual(['10.1.0.5:8080', '10.1.0.6:8080']);

    h.fake.modifyPod('inference', 'vllm-0', (p) => {
      p.status.conditions = [{ type: 'Ready', status: 'False' }];
      p.metadata.labels = { app: 'vllm', canary: 'true' };
    });
    const modified = group(await h.next('ready flips and a label is added'), 'pods/kubernetes/0/pod/inference/vllm-0');
    expect(modified.labels.get('__meta_kubernetes_pod_ready')).toBe('false');
    expect(modified.labels.get('__meta_kubernetes_pod_label_canary')).toBe('true');

    h.fake.addPod(makePod({ namespace: 'batch', name: 'worker', ip: '10.2.0.9', containers: [{ name: 'w', image: 'w:1' }] }));
    expect(addresses(await h.next('an added pod'))).toEqual(['10.1.0.5:8080', '10.1.0.6:8080', '10.2.0.9']);

    h.fake.deletePod('inference', 'vllm-0');
    const afterDelete = await h.next('a deleted pod');
    expect(afterDelete.map((g) => g.source)).not.toContain('pods/kubernetes/0/pod/inference/vllm-0');
    expect(addresses(afterDelete)).toEqual(['10.1.0.6:8080', '10.2.0.9']);

    // One list and one watch did it all: no relist, no reconnect, no timer.
    expect(calls(h)).toEqual(['list /api/v1/pods', 'watch /api/v1/pods rv=102']);
    expect(h.clock.pending).toBe(0);
  });

  it('watches only the configured namespaces, each through its own path', async () => {
    h = await startHarness({
      configs: (url) => [sdConfig(url, { namespaces: ['inference', 'gpu-operator'] })],
      beforeStart: (f) => {
        f.addPod(makePod({ namespace: 'inference', name: 'a', ip: '10.0.0.1' }));
        f.addPod(makePod({ namespace: 'kube-system', name: 'b', ip: '10.0.0.2' }));
        f.addPod(makePod({ namespace: 'gpu-operator', name: 'c', ip: '10.0.0.3' }));
      },
    });
    expect(addresses(await h.next())).toEqual(['10.0.0.1:8080', '10.0.0.3:8080']);
    await waitFor(() => h!.fake.openWatches === 2, 'two watches');
    h.fake.addPod(makePod({ namespace: 'kube-system', name: 'd', ip: '10.0.0.4' }));
    h.fake.addPod(makePod({ namespace: 'gpu-operator', name: 'e', ip: '10.0.0.5' }));
    expect(addresses(await h.next())).toEqual(['10.0.0.1:8080', '10.0.0.3:8080', '10.0.0.5:8080']);
    expect(calls(h).sort()).toEqual([
      'list /api/v1/namespaces/gpu-operator/pods',
      'list /api/v1/namespaces/inference/pods',
      'watch /api/v1/namespaces/gpu-operator/pods rv=103',
      'watch /api/v1/namespaces/inference/pods rv=103',
    ]);
  });

  it('sends the selectors to the API server; a pod that stops matching is removed', async () => {
    h = await startHarness({
      configs: (url) => [sdConfig(url, { labelSelector: 'app in (vllm,tgi)', fieldSelector: 'spec.nodeName=gpu-1' })],
      beforeStart: (f) => {
        f.addPod(makePod({ namespace: 'n', name: 'vllm', ip: '10.0.0.1', node: 'gpu-1', labels: { app: 'vllm' } }));
        f.addPod(makePod({ namespace: 'n', name: 'tgi-elsewhere', ip: '10.0.0.2', node: 'gpu-2', labels: { app: 'tgi' } }));
        f.addPod(makePod({ namespace: 'n', name: 'redis', ip: '10.0.0.3', node: 'gpu-1', labels: { app: 'redis' } }));
      },
    });
    expect(addresses(await h.next())).toEqual(['10.0.0.1:8080']);
    await waitFor(() => h!.fake.openWatches === 1, 'the watch');
    expect(h.fake.requests).toHaveLength(2);
    for (const r of h.fake.requests) {
      expect(r.query.get('labelSelector')).toBe('app in (vllm,tgi)');
      expect(r.query.get('fieldSelector')).toBe('spec.nodeName=gpu-1');
    }
    h.fake.modifyPod('n', 'vllm', (p) => {
      p.metadata.labels = { app: 'vllm-old' };
    });
    expect(await h.next('the pod left the selector')).toEqual([]);
    h.fake.modifyPod('n', 'redis', (p) => {
      p.metadata.labels = { app: 'tgi' };
    });
    expect(addresses(await h.next('a pod entered the selector'))).toEqual(['10.0.0.3:8080']);
  });

  it('relists at once when an open watch gets 410 Gone, without a backoff', async () => {
    h = await startHarness({ beforeStart: (f) => void f.addPod(makePod({ namespace: 'n', name: 'a', ip: '10.0.0.1' })) });
    const before = await h.next();
    await waitFor(() => h!.fake.openWatches === 1, 'the watch');
    h.fake.forceGone();
    await waitFor(() => h!.fake.openWatches === 1 && h!.fake.requests.length === 4, 'the relist and a new watch');
    expect(calls(h)).toEqual(['list /api/v1/pods', 'watch /api/v1/pods rv=101', 'list /api/v1/pods', 'watch /api/v1/pods rv=101']);
    expect(h.clock.pending).toBe(0);
    // The relist found the same pod: the groups are the same as before.
    expect(h.latest().map((g) => [g.source, g.labels.key, addresses([g])])).toEqual(before.map((g) => [g.source, g.labels.key, addresses([g])]));
  });

  it('relists when a resumed watch is too old, and picks up what the watch missed', async () => {
    h = await startHarness({
      beforeStart: (f) => {
        f.addPod(makePod({ namespace: 'n', name: 'a', ip: '10.0.0.1' }));
        f.addPod(makePod({ namespace: 'n', name: 'b', ip: '10.0.0.2' }));
      },
    });
    await h.next();
    await waitFor(() => h!.fake.openWatches === 1, 'the watch');
    // A bookmark (an event: the watch was healthy), then the server ends the watch (its timeout);
    // before the client is back, history is compacted past changes the client never saw.
    h.fake.bookmark();
    h.fake.closeWatches();
    h.fake.deletePod('n', 'a');
    h.fake.addPod(makePod({ namespace: 'n', name: 'c', ip: '10.0.0.3' }));
    h.fake.forceGone();
    expect(addresses(await h.next('the relist'))).toEqual(['10.0.0.2:8080', '10.0.0.3:8080']);
    await waitFor(() => h!.fake.openWatches === 1, 'the new watch');
    expect(calls(h)).toEqual([
      'list /api/v1/pods',
      'watch /api/v1/pods rv=102',
      // Resumed from the bookmark's version, without a relist; the server says it is too old.
      'watch /api/v1/pods rv=102',
      'list /api/v1/pods',
      'watch /api/v1/pods rv=104',
    ]);
    expect(h.clock.pending).toBe(0);
  });

  it('resumes a watch the server ended from the last bookmark, without a relist', async () => {
    h = await startHarness({
      configs: (url) => [sdConfig(url, { namespaces: ['watched'] })],
      beforeStart: (f) => void f.addPod(makePod({ namespace: 'watched', name: 'a', ip: '10.0.0.1' })),
    });
    await h.next();
    await waitFor(() => h!.fake.openWatches === 1, 'the watch');
    // Changes elsewhere move the cluster's resourceVersion; only a bookmark tells this watch.
    h.fake.addPod(makePod({ namespace: 'other', name: 'x', ip: '10.9.0.1' }));
    h.fake.addPod(makePod({ namespace: 'other', name: 'y', ip: '10.9.0.2' }));
    h.fake.bookmark();
    const bookmarked = h.fake.resourceVersion;
    // The stream carries the bookmark before its end, so the client has read it when it reconnects.
    h.fake.closeWatches();
    await waitFor(() => h!.fake.requests.length === 3 && h!.fake.openWatches === 1, 'the resumed watch');
    expect(calls(h)).toEqual([
      'list /api/v1/namespaces/watched/pods',
      'watch /api/v1/namespaces/watched/pods rv=101',
      `watch /api/v1/namespaces/watched/pods rv=${bookmarked}`,
    ]);
    expect(h.clock.pending).toBe(0);
    h.fake.addPod(makePod({ namespace: 'watched', name: 'b', ip: '10.0.0.2' }));
    expect(addresses(await h.next())).toEqual(['10.0.0.1:8080', '10.0.0.2:8080']);
  });

  it('keeps the last targets while the API server is down, backs off, and reconciles when it is back', async () => {
    h = await startHarness({
      beforeStart: (f) => {
        f.addPod(makePod({ namespace: 'n', name: 'a', ip: '10.0.0.1' }));
        f.addPod(makePod({ namespace: 'n', name: 'b', ip: '10.0.0.2' }));
      },
    });
    await h.next();
    await waitFor(() => h!.fake.openWatches === 1, 'the watch');
    const updatesBefore = h.updates.length;

    await h.fake.down();
    await waitFor(() => h!.clock.pending === 1, 'the first backoff');
    expect(h.clock.nextAt! - h.clock.now()).toBe(800);
    // Meanwhile the cluster changes.
    h.fake.deletePod('n', 'a');
    h.fake.addPod(makePod({ namespace: 'n', name: 'c', ip: '10.0.0.3' }));

    // Each failed attempt doubles the wait: 800, 1600, 3200 ms.
    await h.clock.runNext();
    await waitFor(() => h!.clock.pending === 1, 'the second backoff');
    expect(h.clock.nextAt! - h.clock.now()).toBe(1600);
    await h.clock.runNext();
    await waitFor(() => h!.clock.pending === 1, 'the third backoff');
    expect(h.clock.nextAt! - h.clock.now()).toBe(3200);
    // Nothing was dropped while the API was unreachable.
    expect(h.updates.length).toBe(updatesBefore);
    expect(addresses(h.discovery.groups())).toEqual(['10.0.0.1:8080', '10.0.0.2:8080']);

    await h.fake.up();
    await h.clock.runNext();
    expect(addresses(await h.next('the relist after the outage'))).toEqual(['10.0.0.2:8080', '10.0.0.3:8080']);
    await waitFor(() => h!.fake.openWatches === 1, 'the new watch');
    h.fake.addPod(makePod({ namespace: 'n', name: 'd', ip: '10.0.0.4' }));
    expect(addresses(await h.next('a pod after the outage'))).toEqual(['10.0.0.2:8080', '10.0.0.3:8080', '10.0.0.4:8080']);
  });

  it('retries an error status with backoff, and a healthy watch resets the backoff', async () => {
    h = await startHarness({
      beforeStart: (f) => {
        f.addPod(makePod({ namespace: 'n', name: 'a', ip: '10.0.0.1' }));
        f.failNext(500, 'list');
        f.failNext(503, 'list');
      },
    });
    await waitFor(() => h!.clock.pending === 1, 'the first backoff');
    await h.clock.runNext();
    await waitFor(() => h!.clock.pending === 1, 'the second backoff');
    expect(h.clock.nextAt! - h.clock.now()).toBe(1600);
    await h.clock.runNext();
    expect(addresses(await h.next())).toEqual(['10.0.0.1:8080']);
    await waitFor(() => h!.fake.openWatches === 1, 'the watch');
    expect(calls(h)).toEqual(['list /api/v1/pods -> 500', 'list /api/v1/pods -> 503', 'list /api/v1/pods', 'watch /api/v1/pods rv=101']);
    // The watch delivers an event, then fails: the wait starts again at 800 ms.
    h.fake.addPod(makePod({ namespace: 'n', name: 'b', ip: '10.0.0.2' }));
    await h.next();
    h.fake.failNext(500, 'watch');
    h.fake.closeWatches();
    await waitFor(() => h!.clock.pending === 1, 'the backoff after the failed watch');
    expect(h.clock.nextAt! - h.clock.now()).toBe(800);
  });

  it('counts a watch that ends at once without an event as a failure (client-go\'s "very short watch")', async () => {
    const records: Record<string, unknown>[] = [];
    h = await startHarness({
      logger: createLogger({ format: 'json', write: (l) => records.push(JSON.parse(l) as Record<string, unknown>) }),
      beforeStart: (f) => void f.addPod(makePod({ namespace: 'n', name: 'a', ip: '10.0.0.1' })),
    });
    await h.next();
    await waitFor(() => h!.fake.openWatches === 1, 'the watch');
    h.fake.closeWatches();
    await waitFor(() => h!.clock.pending === 1, 'the backoff');
    expect(records).toMatchObject([{ level: 'warn', code: 'watch', err: 'very short watch: the stream ended at once without an event' }]);
    await h.clock.runNext();
    await waitFor(() => h!.fake.openWatches === 1, 'the relist and watch');
    expect(calls(h)).toEqual(['list /api/v1/pods', 'watch /api/v1/pods rv=101', 'list /api/v1/pods', 'watch /api/v1/pods rv=101']);
    expect(records[1]).toMatchObject({ level: 'info', msg: 'kubernetes discovery recovered', pods: 1 });
  });

  it('pages through a large list with limit and continue from one snapshot', async () => {
    h = await startHarness({
      beforeStart: (f) => {
        for (let i = 0; i < 1100; i++) f.addPod(makePod({ namespace: 'n', name: `p-${String(i).padStart(4, '0')}`, ip: `10.0.${i >> 8}.${i & 255}` }));
      },
    });
    const groups = await h.next();
    expect(groups).toHaveLength(1100);
    const lists = h.fake.requests.filter((r) => !r.watch);
    expect(lists.map((r) => [r.query.get('limit'), r.query.get('continue') === null])).toEqual([
      ['500', true],
      ['500', false],
      ['500', false],
    ]);
  });
});
