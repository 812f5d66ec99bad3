import { describe, expect, it } from 'vitest';
import { relabelConfig } from '../../../collectors/relabel/config.js';
import { expand, hashmod, relabel } from '../../../collectors/relabel/relabel.js';
import { Labels } from '../../../model/labels.js';

const base = Labels.from({ __name__: 'DCGM_FI_DEV_GPU_UTIL', gpu: '3', Hostname: 'node-a', modelName: 'NVIDIA H100', pod: '' });

describe('relabel', () => {
  it('replace: joins sources, expands groups, deletes on an empty result, ignores non-matches', () => {
    const out = relabel(base, [
      relabelConfig({ source_labels: ['Hostname', 'gpu'], separator: '/', target_label: 'device', regex: 'node-(.*)/(\\d+)', replacement: '$1:gpu${2}' }),
      relabelConfig({ source_labels: ['gpu'], regex: 'nomatch', target_label: 'gpu', replacement: 'x' }),
      relabelConfig({ source_labels: ['missing'], target_label: 'Hostname' }),
    ]);
    expect(out?.toRecord()).toEqual({ __name__: 'DCGM_FI_DEV_GPU_UTIL', gpu: '3', modelName: 'NVIDIA H100', device: 'a:gpu3' });
  });

  it('replace: the target label is a template too, and invalid names are skipped', () => {
    const out = relabel(base, [
      relabelConfig({ source_labels: ['gpu'], regex: '(\\d)', target_label: 'gpu_${1}', replacement: 'yes' }),
      relabelConfig({ source_labels: ['modelName'], regex: '(.*)', target_label: '$1', replacement: 'x' }),
    ]);
    expect(out?.get('gpu_3')).toBe('yes');
    expect(out?.size).toBe(5);
  });

  it('keep and drop filter on the joined value', () => {
    expect(relabel(base, [relabelConfig({ source_labels: ['gpu'], regex: '[0-3]', action: 'keep' })])).toBeDefined();
    expect(relabel(base, [relabelConfig({ source_labels: ['gpu'], regex: '[4-7]', action: 'keep' })])).toBeUndefined();
    expect(relabel(base, [relabelConfig({ source_labels: ['__name__'], regex: 'DCGM_.*', action: 'drop' })])).toBeUndefined();
  });

  it('keepequal and dropequal compare with the target label', () => {
    const l = Labels.from({ a: 'x', b: 'x', c: 'y' });
    expect(relabel(l, [relabelConfig({ source_labels: ['a'], target_label: 'b', action: 'keepequal' })])).toBeDefined();
    expect(relabel(l, [relabelConfig({ source_labels: ['a'], target_label: 'c', action: 'keepequal' })])).toBeUndefined();
    expect(relabel(l, [relabelConfig({ source_labels: ['a'], target_label: 'b', action: 'dropequal' })])).toBeUndefined();
  });

  it('labelmap, labeldrop and labelkeep work on names', () => {
    const l = Labels.from({ __meta_kubernetes_pod_label_app: 'vllm', __meta_kubernetes_pod_label_tier: 'gpu', job: 'j' });
    const mapped = relabel(l, [
      relabelConfig({ regex: '__meta_kubernetes_pod_label_(.+)', action: 'labelmap' }),
      relabelConfig({ regex: '__meta_.*', action: 'labeldrop' }),
    ]);
    expect(mapped?.toRecord()).toEqual({ app: 'vllm', tier: 'gpu', job: 'j' });
    expect(relabel(mapped!, [relabelConfig({ regex: 'app|job', action: 'labelkeep' })])?.toRecord()).toEqual({ app: 'vllm', job: 'j' });
  });

  it('lowercase and uppercase', () => {
    const out = relabel(base, [
      relabelConfig({ source_labels: ['Hostname'], target_label: 'hostname', action: 'uppercase' }),
      relabelConfig({ source_labels: ['modelName'], target_label: 'model', action: 'lowercase' }),
    ]);
    expect(out?.get('hostname')).toBe('NODE-A');
    expect(out?.get('model')).toBe('nvidia h100');
  });

  it('hashmod uses the last 8 bytes of the MD5, as Prometheus', () => {
    // md5("a") = 0cc175b9c0f1b6a831c399e269772661; the low 64 bits are 0x31c399e269772661.
    expect(hashmod('a', 1000)).toBe(Number(0x31c399e269772661n % 1000n));
    const out = relabel(base, [relabelConfig({ source_labels: ['gpu'], target_label: 'shard', modulus: 4, action: 'hashmod' })]);
    expect(out?.get('shard')).toBe(String(hashmod('3', 4)));
  });
});

describe('expand', () => {
  const m = /^(?<host>[a-z]+)-(\d+)$/.exec('gpu-7')!;
  it('follows Go regexp.Expand', () => {
    expect(expand('$1', m)).toBe('gpu');
    expect(expand('${2}x', m)).toBe('7x');
    expect(expand('$2x', m)).toBe(''); // "$2x" names group "2x", which does not exist
    expect(expand('$host:$2', m)).toBe('gpu:7');
    expect(expand('$$1', m)).toBe('$1');
    expect(expand('$9', m)).toBe('');
    expect(expand('cost $', m)).toBe('cost $');
  });
});
