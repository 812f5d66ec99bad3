import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../../../../cli/config.js';
import { decodeKubernetesSDConfigs, type KubernetesSDConfig } from '../../../../collectors/discovery/kubernetes/config.js';
import { KubernetesDiscovery } from '../../../../collectors/discovery/kubernetes/provider.js';
import { ScrapeManager } from '../../../../collectors/scrape/manager.js';
import { ScrapeError } from '../../../../collectors/scrape/scraper.js';
import { VirtualClock } from '../../../../util/clock.js';
import { nopLogger } from '../../../../util/log.js';
import { readYaml } from '../../../../util/yamlreader.js';
import { KubeFake, makePod } from '../../../support/kube-fake.js';
import { openTempStore, type TempStore } from '../../../support/store.js';
import { waitFor } from './harness.js';

// The example scrape configs in the module documentation (collectors/discovery/kubernetes/index.ts),
// read from that file so the documented snippet is the tested one, run through the real scrape
// manager: Kubernetes discovery is only a TargetProvider, and relabel_configs decide what is
// scraped, exactly as in Prometheus.

function documentedExample(): string {
  const source = readFileSync(new URL('../../../../collectors/discovery/kubernetes/index.ts', import.meta.url), 'utf8');
  const m = /^ \* ```yaml\n([\s\S]*?)^ \* ```$/m.exec(source);
  if (m === null) throw new Error('no yaml example in index.ts');
  return m[1]!.replace(/^ \*( |$)/gm, '');
}

/** load splits the example into vigil's scrape configs and each job's kubernetes_sd_configs, pointed at `apiServer`. */
function load(apiServer: string) {
  const doc = parse(documentedExample()) as { scrape_configs: Record<string, unknown>[] };
  const sd = new Map<string, KubernetesSDConfig[]>();
  for (const job of doc.scrape_configs) {
    const configs = readYaml('/etc/vigil/sd.yaml', stringify({ kubernetes_sd_configs: job['kubernetes_sd_configs'] }), (root) =>
      decodeKubernetesSDConfigs(root.object(['kubernetes_sd_configs'])!.get('kubernetes_sd_configs')),
    );
    sd.set(String(job['job_name']), (configs ?? []).map((c) => ({ ...c, apiServer })));
    delete job['kubernetes_sd_configs'];
  }
  const vigil = parseConfig('/etc/vigil/vigil.yaml', stringify({ global: { scrape_interval: '30s' }, scrape_configs: doc.scrape_configs }));
  return { scrapeConfigs: vigil.scrapeConfigs, sd };
}

let fake: KubeFake | undefined;
let manager: ScrapeManager | undefined;
let store: TempStore | undefined;
afterEach(async () => {
  await manager?.stop();
  await fake?.close();
  await store?.cleanup();
  manager = undefined;
  fake = undefined;
  store = undefined;
});

describe('the documented relabel_configs over discovered pods', () => {
  it('keeps annotated pods on their annotated port and path, and the DCGM exporter by its DaemonSet', async () => {
    fake = await KubeFake.start();
    const scrape = { 'prometheus.io/scrape': 'true' };
    fake.addPod(
      makePod({
        namespace: 'inference',
        name: 'vllm-0',
        ip: '10.1.0.5',
        node: 'gpu-1',
        labels: { app: 'vllm', 'app.kubernetes.io/version': 'v0.6' },
        annotations: { ...scrape, 'prometheus.io/port': '8000', 'prometheus.io/path': '/stats' },
        owner: { kind: 'ReplicaSet', name: 'vllm-5d8f' },
        containers: [
          { name: 'server', image: 'vllm/vllm-openai:v0.6', ports: [{ name: 'http', containerPort: 8000 }, { name: 'grpc', containerPort: 8001 }] },
          { name: 'proxy', image: 'envoy:1' },
        ],
      }),
    );
    fake.addPod(makePod({ namespace: 'inference', name: 'tgi-0', ip: '10.1.0.6', node: 'gpu-2', labels: { app: 'tgi' }, annotations: scrape, containers: [{ name: 'tgi', image: 'tgi:2', ports: [{ containerPort: 3000 }] }] }));
    fake.addPod(makePod({ namespace: 'inference', name: 'batch-0', ip: '10.1.0.7', node: 'cpu-1' }));
    fake.addPod(makePod({ namespace: 'inference', name: 'eval-done', ip: '10.1.0.8', phase: 'Succeeded', ready: false, annotations: scrape }));
    const dcgm = { kind: 'DaemonSet', name: 'nvidia-dcgm-exporter' };
    const dcgmContainer = [{ name: 'nvidia-dcgm-exporter', image: 'nvcr.io/nvidia/k8s/dcgm-exporter:3.3', ports: [{ name: 'metrics', containerPort: 9400 }] }];
    fake.addPod(makePod({ namespace: 'gpu-operator', name: 'nvidia-dcgm-exporter-x7k2p', ip: '10.2.0.10', node: 'gpu-1', owner: dcgm, containers: dcgmContainer }));
    fake.addPod(makePod({ namespace: 'gpu-operator', name: 'nvidia-dcgm-exporter-q9w4e', ip: '10.2.0.11', node: 'gpu-2', owner: dcgm, containers: dcgmContainer }));
    fake.addPod(makePod({ namespace: 'gpu-operator', name: 'gpu-feature-discovery-abc', ip: '10.2.0.12', node: 'gpu-1', owner: { kind: 'DaemonSet', name: 'gpu-feature-discovery' } }));
    fake.addPod(makePod({ namespace: 'default', name: 'nvidia-dcgm-exporter-elsewhere', ip: '10.3.0.1', owner: dcgm, containers: dcgmContainer }));

    const clock = new VirtualClock(1_700_000_000_000);
    store = await openTempStore(clock);
    const { scrapeConfigs, sd } = load(fake.url);
    const m = new ScrapeManager({
      appendable: store.db,
      clock,
      logger: nopLogger,
      metrics: { scraped: () => {}, rejected: () => {} },
      providerFor: (cfg) => new KubernetesDiscovery(cfg.jobName, sd.get(cfg.jobName) ?? [], { clock, logger: nopLogger, random: () => 0 }),
      scraperFor: () => ({ scrape: () => Promise.reject(new ScrapeError('not scraped in this test')) }),
    });
    manager = m;
    await m.applyConfig(scrapeConfigs);

    const targets = () =>
      m
        .activeTargets()
        .map((t) => `${t.job} ${t.loop.target.url} ${t.loop.target.labels.toString()}`)
        .sort();
    await waitFor(() => targets().length === 4, 'four targets');
    expect(targets()).toEqual([
      'dcgm http://10.2.0.10:9400/metrics {instance="10.2.0.10:9400", job="dcgm", node="gpu-1", pod="nvidia-dcgm-exporter-x7k2p"}',
      'dcgm http://10.2.0.11:9400/metrics {instance="10.2.0.11:9400", job="dcgm", node="gpu-2", pod="nvidia-dcgm-exporter-q9w4e"}',
      // Both ports and the port-less proxy container collapse into the annotated port: one target.
      'kubernetes-pods http://10.1.0.5:8000/stats {app="vllm", app_kubernetes_io_version="v0.6", instance="10.1.0.5:8000", job="kubernetes-pods", namespace="inference", node="gpu-1", pod="vllm-0"}',
      'kubernetes-pods http://10.1.0.6:3000/metrics {app="tgi", instance="10.1.0.6:3000", job="kubernetes-pods", namespace="inference", node="gpu-2", pod="tgi-0"}',
    ]);
    // Dropped targets are the other containers and pods, each with its reason.
    expect(m.droppedTargets().filter((d) => d.job === 'kubernetes-pods').map((d) => d.target.discoveredLabels.get('__meta_kubernetes_pod_name')).sort()).toEqual([
      'batch-0',
      'eval-done',
      'gpu-feature-discovery-abc',
      'nvidia-dcgm-exporter-elsewhere',
      'nvidia-dcgm-exporter-q9w4e',
      'nvidia-dcgm-exporter-x7k2p',
    ]);

    // A readiness flip changes only meta labels: the same loop keeps running (no restart, no staleness).
    const vllmLoop = m.activeTargets().find((t) => t.loop.target.url.includes('10.1.0.5'))!.loop;
    fake.modifyPod('inference', 'vllm-0', (p) => {
      p.status.conditions = [{ type: 'Ready', status: 'False' }];
    });
    // A pod opts in; another is deleted; the annotated port moves.
    fake.modifyPod('inference', 'batch-0', (p) => {
      p.metadata.annotations = { ...scrape, 'prometheus.io/port': '9090' };
    });
    await waitFor(() => targets().some((t) => t.includes('10.1.0.7:9090')), 'batch-0 to opt in');
    expect(m.activeTargets().find((t) => t.loop.target.url.includes('10.1.0.5'))!.loop).toBe(vllmLoop);
    fake.deletePod('inference', 'tgi-0');
    fake.modifyPod('inference', 'vllm-0', (p) => {
      p.metadata.annotations = { ...p.metadata.annotations, 'prometheus.io/port': '8001' };
    });
    await waitFor(() => !targets().some((t) => t.includes('tgi-0')) && targets().some((t) => t.includes('10.1.0.5:8001')), 'the delete and the port move');
    expect(targets().filter((t) => t.startsWith('kubernetes-pods'))).toEqual([
      'kubernetes-pods http://10.1.0.5:8001/stats {app="vllm", app_kubernetes_io_version="v0.6", instance="10.1.0.5:8001", job="kubernetes-pods", namespace="inference", node="gpu-1", pod="vllm-0"}',
      'kubernetes-pods http://10.1.0.7:9090/metrics {instance="10.1.0.7:9090", job="kubernetes-pods", namespace="inference", node="cpu-1", pod="batch-0"}',
    ]);
    // The DCGM job watched only its namespace.
    expect(fake.requests.filter((r) => !r.watch).map((r) => r.path).sort()).toEqual(['/api/v1/namespaces/gpu-operator/pods', '/api/v1/pods']);
  });
});
