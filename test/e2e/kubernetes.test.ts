import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KubeFake, makePod } from '../support/kube-fake.js';
import { startExporter, type ExporterServer } from '../support/target.js';
import { startVigilProcess, type VigilProcess } from '../support/vigil-process.js';

interface TargetsBody {
  data: { activeTargets: { labels: Record<string, string>; scrapeUrl: string; health: string }[] };
}

/** `vigil run` with kubernetes_sd_configs against a loopback fake of the Kubernetes API. */
describe('Kubernetes pod discovery in vigil run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-k8s-e2e-'));
  let fake: KubeFake | undefined;
  let exporter: ExporterServer | undefined;
  let vigil: VigilProcess | undefined;
  afterAll(async () => {
    vigil?.child.kill('SIGKILL');
    await exporter?.close();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scrapes annotated pods with their labels, and stops when the pod goes', async () => {
    exporter = await startExporter({ body: 'vllm:num_requests_running{model_name="llama"} 3\n' });
    const port = exporter.address.split(':')[1]!;
    fake = await KubeFake.start();
    fake.addPod(
      makePod({
        namespace: 'inference', name: 'llama-v2-abc', ip: '127.0.0.1', node: 'gpu-node-a', labels: { model: 'llama-3-70b', version: 'v2' },
        annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': port },
        containers: [{ name: 'vllm', image: 'vllm/vllm-openai', ports: [{ name: 'http', containerPort: 8000 }] }],
      }),
    );
    fake.addPod(makePod({ namespace: 'inference', name: 'not-annotated', ip: '127.0.0.2', containers: [{ name: 'x', image: 'x', ports: [{ containerPort: 9 }] }] }));
    writeFileSync(
      join(dir, 'vigil.yaml'),
      `scrape_configs:
  - job_name: kubernetes-pods
    scrape_interval: 1s
    kubernetes_sd_configs: [{role: pod, api_server: '${fake.url}'}]
    relabel_configs:
      - {source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape], regex: 'true', action: keep}
      - {source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port], regex: '(.+?)(?::\\d+)?;(\\d+)', replacement: '$1:$2', target_label: __address__}
      - {action: labelmap, regex: __meta_kubernetes_pod_label_(.+)}
      - {source_labels: [__meta_kubernetes_namespace], target_label: namespace}
      - {source_labels: [__meta_kubernetes_pod_node_name], target_label: node}
storage: {embedded: {path: data}}
`,
    );
    vigil = await startVigilProcess(join(dir, 'vigil.yaml'));
    const targets = async () => ((await (await fetch(`${vigil!.url}/api/v1/targets`)).json()) as TargetsBody).data.activeTargets;
    const until = async (check: () => Promise<boolean>) => {
      const deadline = Date.now() + 15_000;
      while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    };
    await until(async () => (await targets()).some((t) => t.health === 'up'));
    const [t] = await targets();
    expect(t?.labels).toMatchObject({ job: 'kubernetes-pods', namespace: 'inference', node: 'gpu-node-a', model: 'llama-3-70b', version: 'v2', instance: `127.0.0.1:${port}` });
    expect(await targets()).toHaveLength(1);
    const q = (await (await fetch(`${vigil.url}/api/v1/query?query=${encodeURIComponent('vllm:num_requests_running')}`)).json()) as { data: { result: { metric: Record<string, string> }[] } };
    expect(q.data.result[0]?.metric).toMatchObject({ model: 'llama-3-70b', version: 'v2', namespace: 'inference' });

    fake.deletePod('inference', 'llama-v2-abc');
    await until(async () => (await targets()).length === 0);
    expect(await targets()).toEqual([]);
  });
});
