import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesDiscoveryError } from '../../../../collectors/discovery/kubernetes/errors.js';
import type { InClusterEnv } from '../../../../collectors/discovery/kubernetes/incluster.js';
import { loadKubeConfig } from '../../../../collectors/discovery/kubernetes/kubeconfig.js';
import { createLogger, type Logger, nopLogger } from '../../../../util/log.js';
import { makePod, selfSignedCert } from '../../../support/kube-fake.js';
import { addresses, type Harness, sdConfig, startHarness, waitFor } from './harness.js';

// Where the API server is and how vigil proves itself to it: in-cluster (service-account token
// and CA over https, as in a pod), a kubeconfig file, or api_server with its own authorization.
// The fake checks the bearer token; the https fake has a certificate made by openssl.

let dir: string;
let tls: { cert: string; key: string };
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-kube-'));
  tls = selfSignedCert();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** recorder is a logger that keeps its JSON records. */
function recorder(): { logger: Logger; records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  return { logger: createLogger({ level: 'debug', format: 'json', write: (l) => records.push(JSON.parse(l) as Record<string, unknown>) }), records };
}

/** serviceAccount writes a pod's service-account directory and returns its path. */
function serviceAccount(name: string, files: { token?: string; ca?: string; namespace?: string }): string {
  const path = mkdtempSync(join(dir, `${name}-`));
  if (files.token !== undefined) writeFileSync(join(path, 'token'), files.token);
  if (files.ca !== undefined) writeFileSync(join(path, 'ca.crt'), files.ca);
  if (files.namespace !== undefined) writeFileSync(join(path, 'namespace'), files.namespace);
  return path;
}

describe('in-cluster configuration', () => {
  it("talks https to $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT with the service account's token and CA, and watches its own namespace", async () => {
    const sa = serviceAccount('sa', { token: 'sa-token-1', ca: tls.cert, namespace: 'inference' });
    h = await startHarness({
      fake: { tls, token: 'sa-token-1' },
      configs: () => [sdConfig('', { apiServer: undefined, ownNamespace: true })],
      env: (fake): InClusterEnv => ({ host: '127.0.0.1', port: String(fake.listeningPort), serviceAccountDir: sa }),
      beforeStart: (f) => {
        f.addPod(makePod({ namespace: 'inference', name: 'a', ip: '10.0.0.1' }));
        f.addPod(makePod({ namespace: 'elsewhere', name: 'b', ip: '10.0.0.2' }));
      },
    });
    expect(h.fake.url.startsWith('https://')).toBe(true);
    expect(addresses(await h.next())).toEqual(['10.0.0.1:8080']);
    await waitFor(() => h!.fake.openWatches === 1, 'the watch');
    expect(h.fake.requests.map((r) => [r.path, r.authorization])).toEqual([
      ['/api/v1/namespaces/inference/pods', 'Bearer sa-token-1'],
      ['/api/v1/namespaces/inference/pods', 'Bearer sa-token-1'],
    ]);

    // The kubelet rotates the token file; the next request reads it.
    writeFileSync(join(sa, 'token'), 'sa-token-2\n');
    h.fake.token = 'sa-token-2';
    h.fake.bookmark();
    h.fake.closeWatches();
    await waitFor(() => h!.fake.requests.length === 3 && h!.fake.openWatches === 1, 'the watch with the new token');
    expect(h.fake.requests[2]?.authorization).toBe('Bearer sa-token-2');
  });

  it('refuses an API server whose certificate the service-account CA did not sign', async () => {
    const other = selfSignedCert();
    const sa = serviceAccount('sa-wrong-ca', { token: 't', ca: other.cert });
    const log = recorder();
    h = await startHarness({
      fake: { tls },
      logger: log.logger,
      configs: () => [sdConfig('', { apiServer: undefined })],
      env: (fake) => ({ host: '127.0.0.1', port: String(fake.listeningPort), serviceAccountDir: sa }),
    });
    await waitFor(() => h!.clock.pending === 1, 'a backoff');
    expect(h.updates).toEqual([]);
    expect(h.fake.requests).toEqual([]);
    const warn = log.records.find((r) => r['level'] === 'warn');
    expect(warn).toMatchObject({ msg: 'kubernetes discovery failed; retrying', code: 'network', job: 'pods', namespace: '*' });
    expect(String(warn?.['err'])).toMatch(/certificate/i);
  });

  it('says so when vigil is not in a cluster, or the token is missing', () => {
    const cfg = sdConfig('', { apiServer: undefined });
    const notInCluster = () => loadKubeConfig(cfg, { host: undefined, port: undefined, serviceAccountDir: dir }, nopLogger);
    expect(notInCluster).toThrow(KubernetesDiscoveryError);
    expect(notInCluster).toThrow(/KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined/);
    const noToken = serviceAccount('sa-empty', {});
    try {
      loadKubeConfig(cfg, { host: '10.96.0.1', port: '443', serviceAccountDir: noToken }, nopLogger);
      expect.unreachable();
    } catch (err) {
      expect((err as KubernetesDiscoveryError).code).toBe('service_account');
      expect((err as Error).message).toBe(`cannot read secret file ${join(noToken, 'token')}: ENOENT`);
    }
  });

  it('uses the system roots, with a warning, when the CA file is missing (as client-go)', () => {
    const sa = serviceAccount('sa-no-ca', { token: 't' });
    const log = recorder();
    const kc = loadKubeConfig(sdConfig('', { apiServer: undefined }), { host: 'fd00::1', port: '443', serviceAccountDir: sa }, log.logger);
    expect(kc.getCurrentCluster()).toMatchObject({ server: 'https://[fd00::1]:443', skipTLSVerify: false });
    expect(kc.getCurrentCluster()?.caFile).toBeUndefined();
    expect(log.records).toMatchObject([{ level: 'warn', file: join(sa, 'ca.crt') }]);
  });
});

describe('kubeconfig_file', () => {
  it("uses the current context's cluster and token, plain http included", async () => {
    const file = join(dir, 'kubeconfig');
    h = await startHarness({
      fake: { token: 'kc-token' },
      configs: (url) => {
        writeFileSync(
          file,
          `apiVersion: v1
kind: Config
current-context: lab
clusters:
  - name: lab
    cluster: {server: "${url}"}
  - name: prod
    cluster: {server: "https://prod.invalid:6443"}
users:
  - name: me
    user: {token: kc-token}
contexts:
  - name: lab
    context: {cluster: lab, user: me}
  - name: prod
    context: {cluster: prod, user: me}
`,
        );
        return [sdConfig('', { apiServer: undefined, kubeconfigFile: file })];
      },
      beforeStart: (f) => void f.addPod(makePod({ namespace: 'n', name: 'a', ip: '10.0.0.1' })),
    });
    expect(addresses(await h.next())).toEqual(['10.0.0.1:8080']);
    expect(h.fake.requests[0]?.authorization).toBe('Bearer kc-token');
  });

  it('reports an unreadable kubeconfig with its path', () => {
    const missing = join(dir, 'missing-kubeconfig');
    try {
      loadKubeConfig(sdConfig('', { apiServer: undefined, kubeconfigFile: missing }), { host: undefined, port: undefined, serviceAccountDir: dir }, nopLogger);
      expect.unreachable();
    } catch (err) {
      expect((err as KubernetesDiscoveryError).code).toBe('kubeconfig');
      expect((err as Error).message).toContain(`cannot load kubeconfig ${missing}`);
    }
  });
});

describe('api_server with authorization', () => {
  it('sends the credentials file (trimmed, read per request); a 401 backs off until the file is fixed', async () => {
    const tokenFile = join(dir, 'api-token');
    writeFileSync(tokenFile, 'wrong\n');
    const log = recorder();
    h = await startHarness({
      fake: { token: 'right' },
      logger: log.logger,
      configs: (url) => [sdConfig(url, { authorization: { type: 'Bearer', credentials: { file: tokenFile } } })],
      beforeStart: (f) => void f.addPod(makePod({ namespace: 'n', name: 'a', ip: '10.0.0.1' })),
    });
    await waitFor(() => h!.clock.pending === 1, 'the backoff after 401');
    expect(log.records.find((r) => r['level'] === 'warn')).toMatchObject({ code: 'api', err: 'list /api/v1/pods: 401 Unauthorized' });
    writeFileSync(tokenFile, 'right\n');
    await h.clock.runNext();
    expect(addresses(await h.next())).toEqual(['10.0.0.1:8080']);
    await waitFor(() => h!.fake.openWatches === 1, 'the watch');
    expect(h.fake.requests.map((r) => [r.authorization, r.status])).toEqual([
      ['Bearer wrong', 401],
      ['Bearer right', 200],
      ['Bearer right', 200],
    ]);
  });
});
