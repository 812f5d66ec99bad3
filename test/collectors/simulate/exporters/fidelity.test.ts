import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Platform } from '../../../../collectors/simulate/platform.js';
import { collectFamilies, type MetricFamily, newParser } from '../../../../collectors/textparse/index.js';
import { readFixture } from '../../textparse/fixtures.js';
import { MIN, scenario, T0 } from '../helpers.js';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const hasPromtool = spawnSync('sh', ['-c', 'command -v promtool'], { stdio: 'ignore' }).status === 0;

/**
 * Bodies from the gpu-starvation scenario an hour in: every kind of GPU holder (vLLM pods, the
 * training job, idle GPUs), pending pods and a busy queue all show at once.
 */
const platform = new Platform(await scenario('gpu-starvation'), T0);
const bodies = new Map(platform.renderBodies(T0 + 60 * MIN).map((b) => [b.target.id, b.body]));
const body = (id: string) => bodies.get(id)!;

/** The simulated target and the fixture of the same exporter it must look like. */
const AGAINST_FIXTURE: readonly [string, string][] = [
  ['dcgm/gpu-node-b', 'dcgm-exporter.gpu-node-b.prom'],
  ['dcgm/gpu-node-a', 'dcgm-exporter.gpu-node-a.prom'],
  // v2 of llama-3-70b has max_model_len 32768, like the fixture, so even its token buckets match.
  ['vllm/llama-3-70b/v2', 'vllm.prom'],
  ['rabbitmq', 'rabbitmq.per-object.prom'],
];

function families(text: string): Map<string, MetricFamily> {
  return new Map(collectFamilies(newParser(text, TEXT)).map((f) => [f.name, f]));
}

/** labelOrder maps each sample name to its label names in written order (the longest list seen). */
function labelOrder(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^([^\s{#]+)\{(.*)\} \S+$/.exec(line);
    if (m === null) continue;
    const names = [...m[2]!.matchAll(/(?:^|,)([A-Za-z_][A-Za-z0-9_]*)="/g)].map((x) => x[1]!);
    if (names.length > (out.get(m[1]!)?.length ?? -1)) out.set(m[1]!, names);
  }
  return out;
}

/** bucketBounds maps each histogram bucket sample name to its `le` values in written order, for the first series. */
function bucketBounds(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^(\S+_bucket)\{.*le="([^"]+)"/.exec(line);
    if (m === null) continue;
    const list = out.get(m[1]!) ?? [];
    if (!list.includes(m[2]!)) list.push(m[2]!);
    out.set(m[1]!, list);
  }
  return out;
}

function promtoolCheck(text: string): { status: number | null; lines: string[] } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: r.status, lines: r.stderr.split('\n').filter((l) => l !== '') };
}

describe('simulated exporter bodies', () => {
  it("parse with vigil's strict text parser, without a tolerated quirk", () => {
    for (const [id, text] of bodies) {
      const parser = newParser(text, TEXT);
      expect(() => collectFamilies(parser), id).not.toThrow();
      expect(parser.warnings(), id).toEqual([]);
    }
  });

  it.each(AGAINST_FIXTURE)('%s has every family of %s, with its HELP, TYPE, label order and buckets', (id, fixtureName) => {
    const fixture = readFixture(fixtureName);
    const want = families(fixture);
    const got = families(body(id));
    for (const [name, f] of want) {
      const g = got.get(name);
      expect(g, `${id}: family ${name}`).toBeDefined();
      expect(g!.type, name).toBe(f.type);
      expect(g!.help, name).toBe(f.help);
    }
    const wantOrder = labelOrder(fixture);
    for (const [name, order] of labelOrder(body(id))) {
      if (wantOrder.has(name)) expect(order, name).toEqual(wantOrder.get(name));
    }
    const wantBounds = bucketBounds(fixture);
    for (const [name, bounds] of bucketBounds(body(id))) {
      if (wantBounds.has(name)) expect(bounds, name).toEqual(wantBounds.get(name));
    }
  });

  it('writes HELP before TYPE except for RabbitMQ, whose prometheus.erl writes TYPE first', () => {
    for (const [id, text] of bodies) expect(text.slice(0, 6), id).toBe(id === 'rabbitmq' ? '# TYPE' : '# HELP');
  });

  it("labels kube-state-metrics' series in its order: the object's labels, then the metric's", () => {
    const order = labelOrder(body('kube-state-metrics'));
    expect(order.get('kube_pod_status_phase')).toEqual(['namespace', 'pod', 'uid', 'phase']);
    expect(order.get('kube_pod_status_unschedulable')).toEqual(['namespace', 'pod', 'uid']);
    expect(order.get('kube_pod_container_resource_requests')).toEqual(['namespace', 'pod', 'uid', 'container', 'node', 'resource', 'unit']);
    expect(order.get('kube_pod_info')).toEqual(['namespace', 'pod', 'uid', 'host_ip', 'pod_ip', 'node', 'created_by_kind', 'created_by_name', 'priority_class', 'host_network']);
    expect(order.get('kube_node_status_allocatable')).toEqual(['node', 'resource', 'unit']);
    // --metric-labels-allowlist=nodes=[pool]: the node pool label that ai:node_pool_info reads.
    expect(order.get('kube_node_labels')).toEqual(['node', 'label_pool']);
    for (const node of ['gpu-node-a', 'gpu-node-b']) expect(body('kube-state-metrics')).toContain(`kube_node_labels{node="${node}",label_pool="h100"} 1\n`);
    expect(order.get('kube_resourcequota')).toEqual(['namespace', 'resourcequota', 'resource', 'type']);
    expect(order.get('kube_deployment_spec_replicas')).toEqual(['namespace', 'deployment']);
    expect(body('kube-state-metrics')).toContain('kube_node_status_allocatable{node="gpu-node-a",resource="nvidia_com_gpu",unit="integer"} 8\n');
    expect(body('kube-state-metrics')).toMatch(/kube_resourcequota\{namespace="inference",resourcequota="gpu-quota",resource="requests\.nvidia\.com\/gpu",type="hard"\} 13\n/);
  });

  // Peer: promtool 2.42 (Debian prometheus 2.42.0+ds), `promtool check metrics`: exit 1 is a parse
  // error; lint findings (exit 3) must be ones the real exporter's own output has too.
  describe.skipIf(!hasPromtool)('against promtool check metrics', () => {
    it.each(AGAINST_FIXTURE)('%s: no parse error, and no lint finding that %s does not have', (id, fixtureName) => {
      const got = promtoolCheck(body(id));
      expect(got.status, got.lines.join('\n')).not.toBe(1);
      expect(got.lines.join('\n')).not.toContain('error while linting');
      const allowed = new Set(promtoolCheck(readFixture(fixtureName)).lines);
      for (const line of new Set(got.lines)) expect(allowed.has(line), line).toBe(true);
    });

    it('kube-state-metrics: clean', () => {
      expect(promtoolCheck(body('kube-state-metrics'))).toEqual({ status: 0, lines: [] });
    });
  });
});
