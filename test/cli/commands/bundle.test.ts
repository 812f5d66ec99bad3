import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { type IO, runCommand } from '../../../cli/command.js';
import { bundleCommand } from '../../../cli/commands/bundle.js';
import { isRemoteStorage, parseConfig } from '../../../cli/config.js';

// vigil bundle on its own: flags, failures that write nothing, and what the options change.
// The bundle of the default pack is checked in test/deploy/prometheus-operator.test.ts.

const dir = mkdtempSync(join(tmpdir(), 'vigil-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bundle(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: IO = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readStdin: () => Promise.resolve('') };
  const code = await runCommand(bundleCommand, args, io);
  return { code, stdout, stderr };
}

describe('vigil bundle', () => {
  it('needs --rules and --out', async () => {
    expect((await bundle(['--out', dir])).code).toBe(2);
    expect((await bundle(['--rules', 'rules/packs/sources'])).code).toBe(2);
    const bad = await bundle(['--rules', 'rules/packs/sources', '--out', dir, '--namespace', 'Not_A_Namespace']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--namespace "Not_A_Namespace" is not a Kubernetes namespace name');
  });

  it('writes nothing when a rule file is broken, naming file:line:column', async () => {
    const rules = join(dir, 'broken.yaml');
    writeFileSync(rules, 'groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sum(\n');
    const out = join(dir, 'broken-out');
    const r = await bundle(['--rules', rules, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.yaml:5:\d+: /);
    expect(r.stderr).toContain('nothing written');
    expect(existsSync(out)).toBe(false);
  });

  it('--namespace, --prometheus-url and --no-dashboards shape the bundle', async () => {
    const out = join(dir, 'custom');
    const r = await bundle(['--rules', 'rules/packs/sources/vllm.yaml', '--out', out, '--namespace', 'observability', '--prometheus-url', 'http://thanos-query.monitoring:9090', '--no-dashboards']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['kustomization.yaml', 'prometheusrules', 'vigil-config.yaml']);
    const k = parse(readFileSync(join(out, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    expect(k.resources).toEqual(['prometheusrules/vllm.yaml', 'vigil-config.yaml']);
    const rule = parse(readFileSync(join(out, 'prometheusrules/vllm.yaml'), 'utf8')) as { kind: string; metadata: { namespace: string } };
    expect([rule.kind, rule.metadata.namespace]).toEqual(['PrometheusRule', 'observability']);
    const cm = parse(readFileSync(join(out, 'vigil-config.yaml'), 'utf8')) as { metadata: { namespace: string }; data: Record<string, string> };
    expect(cm.metadata.namespace).toBe('observability');
    const config = parseConfig('/etc/vigil/config/vigil.yaml', cm.data['vigil.yaml']!);
    expect(isRemoteStorage(config.storage) && config.storage.remote.url).toBe('http://thanos-query.monitoring:9090');
    expect(r.stdout).toBe(`wrote 2 resources and kustomization.yaml into ${out}\n`);
  });
});
