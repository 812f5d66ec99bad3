import { describe, expect, it } from 'vitest';
import { decodeKubernetesSDConfigs, type KubernetesSDConfig } from '../../../../collectors/discovery/kubernetes/config.js';
import { readYaml, SourceError } from '../../../../util/yamlreader.js';

const FILE = '/etc/vigil/vigil.yaml';

function decode(text: string): KubernetesSDConfig[] {
  return readYaml(FILE, text, (root) => decodeKubernetesSDConfigs(root.object(['kubernetes_sd_configs'])!.get('kubernetes_sd_configs')) ?? []);
}

/** issues returns the file:line:column: path: message lines of a config that must fail. */
function issues(text: string): string[] {
  try {
    decode(text);
  } catch (err) {
    if (err instanceof SourceError) return err.message.split('\n');
    throw err;
  }
  throw new Error('expected the config to be rejected');
}

describe('decodeKubernetesSDConfigs', () => {
  it('reads every key, resolving files against the config directory and deduplicating namespaces', () => {
    const [cfg] = decode(`
kubernetes_sd_configs:
  - role: pod
    api_server: https://k8s.example:6443/
    namespaces:
      names: [inference, gpu-operator, inference]
      own_namespace: true
    selectors:
      - role: pod
        label: 'app.kubernetes.io/part-of=inference,tier in (gpu)'
        field: 'spec.nodeName!=cpu-1'
    authorization: {credentials_file: secrets/k8s-token}
    tls_config: {ca_file: ca.crt, cert_file: /pki/c.crt, key_file: /pki/c.key, server_name: kubernetes, insecure_skip_verify: false}
`);
    expect(cfg).toEqual({
      role: 'pod',
      apiServer: 'https://k8s.example:6443',
      kubeconfigFile: undefined,
      namespaces: ['inference', 'gpu-operator'],
      ownNamespace: true,
      labelSelector: 'app.kubernetes.io/part-of=inference,tier in (gpu)',
      fieldSelector: 'spec.nodeName!=cpu-1',
      authorization: { type: 'Bearer', credentials: { file: '/etc/vigil/secrets/k8s-token' } },
      tls: { caFile: '/etc/vigil/ca.crt', certFile: '/pki/c.crt', keyFile: '/pki/c.key', serverName: 'kubernetes', insecureSkipVerify: false },
    });
  });

  it('defaults to in-cluster, every namespace, no selectors', () => {
    expect(decode('kubernetes_sd_configs: [{role: pod}]')).toEqual([
      {
        role: 'pod',
        apiServer: undefined,
        kubeconfigFile: undefined,
        namespaces: [],
        ownNamespace: false,
        labelSelector: '',
        fieldSelector: '',
        authorization: undefined,
        tls: undefined,
      },
    ]);
    expect(decode('kubernetes_sd_configs: [{role: pod, kubeconfig_file: kube/config}]')[0]?.kubeconfigFile).toBe('/etc/vigil/kube/config');
    expect(decode('kubernetes_sd_configs: [{role: pod, api_server: "http://127.0.0.1:8001", bearer_token_file: t}]')[0]?.authorization).toEqual({
      type: 'Bearer',
      credentials: { file: '/etc/vigil/t' },
    });
  });

  it('reports every problem with file:line:column and the field path', () => {
    expect(
      issues(`
kubernetes_sd_configs:
  - role: pod
    namespace: {names: [a]}
  - api_server: http://127.0.0.1:1
  - role: service
  - role: pods
`),
    ).toEqual([
      `${FILE}:4:5: kubernetes_sd_configs[0].namespace: unknown field "namespace" (did you mean "namespaces"?)`,
      `${FILE}:5:5: kubernetes_sd_configs[1]: role missing (one of: pod, service, endpoints, endpointslice, node, ingress)`,
      `${FILE}:6:11: kubernetes_sd_configs[2].role: role "service" is not supported by vigil yet; only "pod" is`,
      `${FILE}:7:11: kubernetes_sd_configs[3].role: unknown Kubernetes SD role "pods"`,
    ]);
  });

  it("refuses Prometheus's conflicting client settings with Prometheus's words", () => {
    expect(
      issues(`
kubernetes_sd_configs:
  - {role: pod, api_server: "https://a:6443", kubeconfig_file: k}
  - {role: pod, kubeconfig_file: k, tls_config: {insecure_skip_verify: true}}
  - {role: pod, authorization: {credentials_env: K8S_TOKEN}}
`),
    ).toEqual([
      `${FILE}:3:64: kubernetes_sd_configs[0].kubeconfig_file: cannot use 'kubeconfig_file' and 'api_server' simultaneously`,
      `${FILE}:4:34: kubernetes_sd_configs[1].kubeconfig_file: cannot use custom HTTP client configuration together with 'kubeconfig_file'`,
      `${FILE}:5:5: kubernetes_sd_configs[2]: to use custom HTTP client configuration please provide the 'api_server' URL explicitly`,
    ]);
  });

  it('points a selector syntax error at the column inside the string', () => {
    expect(
      issues(`
kubernetes_sd_configs:
  - role: pod
    selectors:
      - role: pod
        label: 'app=vllm,tier in gpu'
        field: "spec.nodeName"
`),
    ).toEqual([
      `${FILE}:6:34: kubernetes_sd_configs[0].selectors[0].label: invalid selector "app=vllm,tier in gpu": found 'gpu', expected: '('`,
      `${FILE}:7:17: kubernetes_sd_configs[0].selectors[0].field: invalid selector "spec.nodeName": invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'`,
    ]);
  });

  it('accepts only one pod selector', () => {
    expect(
      issues(`
kubernetes_sd_configs:
  - role: pod
    selectors:
      - {role: pod, label: a=b}
      - {role: pod, field: c=d}
      - {role: node, label: x=y}
`),
    ).toEqual([
      `${FILE}:6:16: kubernetes_sd_configs[0].selectors[1].role: duplicated selector role: pod`,
      `${FILE}:7:16: kubernetes_sd_configs[0].selectors[2].role: pod role supports only pod selectors`,
    ]);
  });

  it('refuses secrets written in the config, a basic authorization type, a bad URL and half a client certificate', () => {
    expect(
      issues(`
kubernetes_sd_configs:
  - role: pod
    api_server: "k8s.example:6443"
    authorization: {type: Basic, credentials: hunter2}
    tls_config: {cert_file: c.crt}
`),
    ).toEqual([
      `${FILE}:4:17: kubernetes_sd_configs[0].api_server: got "k8s.example:6443", expected an http or https URL such as "https://10.0.0.1:6443"`,
      `${FILE}:5:47: kubernetes_sd_configs[0].authorization.credentials: secrets are not accepted in the config file; use credentials_file or credentials_env`,
      `${FILE}:5:27: kubernetes_sd_configs[0].authorization.type: authorization type cannot be set to "basic"`,
      `${FILE}:5:20: kubernetes_sd_configs[0].authorization: authorization needs credentials_file or credentials_env`,
      `${FILE}:6:17: kubernetes_sd_configs[0].tls_config: cert_file and key_file must be set together`,
    ]);
  });
});
