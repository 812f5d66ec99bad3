import { decodeSecretRef, type SecretRef } from '../../../util/secret.js';
import type { Field, ObjectReader } from '../../../util/yamlreader.js';
import { fieldSelectorProblem, labelSelectorProblem, type SelectorProblem } from './selector.js';

/** KubernetesRole is a role vigil's Kubernetes discovery serves; Prometheus's other roles are refused by name. */
export type KubernetesRole = 'pod';

/** PROMETHEUS_ROLES are every role Prometheus knows, so a valid but unsupported one gets its own message. */
const PROMETHEUS_ROLES = ['pod', 'service', 'endpoints', 'endpointslice', 'node', 'ingress'];

/** KubernetesAuthorization is an `Authorization: <type> <credentials>` header for api_server; the credentials live in a file or variable. */
export interface KubernetesAuthorization {
  readonly type: string;
  readonly credentials: SecretRef;
}

/** KubernetesTLS is how vigil checks the API server (and shows itself to it) over https. Paths are absolute. */
export interface KubernetesTLS {
  readonly caFile: string | undefined;
  readonly certFile: string | undefined;
  readonly keyFile: string | undefined;
  readonly serverName: string | undefined;
  readonly insecureSkipVerify: boolean;
}

/**
 * KubernetesSDConfig is one `kubernetes_sd_configs` entry, a subset of Prometheus's shape:
 *
 * ```yaml
 * kubernetes_sd_configs:
 *   - role: pod                       # required; only pod for now
 *     namespaces:
 *       names: [inference, gpu-operator]   # absent or empty: every namespace
 *       own_namespace: false          # also the namespace vigil runs in (in-cluster)
 *     selectors:
 *       - role: pod
 *         label: 'app.kubernetes.io/part-of=inference'
 *         field: 'spec.nodeName!=cpu-pool-1'
 *     # Where the API server is: neither key means in-cluster (the pod's service account);
 *     kubeconfig_file: ~/.kube/config   # or a kubeconfig's current context;
 *     api_server: https://k8s.example:6443   # or this URL, with optional:
 *     authorization: {type: Bearer, credentials_file: /run/secrets/k8s-token}
 *     tls_config: {ca_file: ca.crt, cert_file: c.crt, key_file: c.key, server_name: k8s, insecure_skip_verify: false}
 * ```
 */
export interface KubernetesSDConfig {
  readonly role: KubernetesRole;
  /** apiServer is the API server's base URL; undefined means kubeconfigFile or, without it, in-cluster. */
  readonly apiServer: string | undefined;
  readonly kubeconfigFile: string | undefined;
  /** namespaces are watched one by one; empty means all namespaces through the cluster-wide path. */
  readonly namespaces: readonly string[];
  /** ownNamespace adds the namespace vigil's service account belongs to. */
  readonly ownNamespace: boolean;
  /** labelSelector and fieldSelector are passed to the API server as they are ("" for none). */
  readonly labelSelector: string;
  readonly fieldSelector: string;
  readonly authorization: KubernetesAuthorization | undefined;
  readonly tls: KubernetesTLS | undefined;
}

const FIELDS = [
  'role',
  'api_server',
  'kubeconfig_file',
  'namespaces',
  'selectors',
  'authorization',
  'bearer_token_file',
  'tls_config',
] as const;

/**
 * decodeKubernetesSDConfigs reads a `kubernetes_sd_configs` list. Problems are recorded on the
 * fields (file:line:column, path, message) with Prometheus's wording where Prometheus has one;
 * unknown keys are errors.
 */
export function decodeKubernetesSDConfigs(field: Field): KubernetesSDConfig[] | undefined {
  return field.list(decodeKubernetesSDConfig);
}

/** decodeKubernetesSDConfig reads one `kubernetes_sd_configs` entry. */
export function decodeKubernetesSDConfig(item: Field): KubernetesSDConfig | undefined {
  const o = item.object(FIELDS);
  if (o === undefined) return undefined;
  const role = decodeRole(o);
  const apiServer = decodeAPIServer(o.get('api_server'));
  const kubeconfigFile = o.get('kubeconfig_file').filePath();
  const authorization = decodeAuthorization(o);
  const tls = decodeTLS(o.get('tls_config'));
  const customClient = authorization !== undefined || tls !== undefined;
  if (apiServer !== undefined && kubeconfigFile !== undefined) {
    o.get('kubeconfig_file').fail("cannot use 'kubeconfig_file' and 'api_server' simultaneously");
  } else if (kubeconfigFile !== undefined && customClient) {
    o.get('kubeconfig_file').fail("cannot use custom HTTP client configuration together with 'kubeconfig_file'");
  } else if (!o.has('api_server') && customClient) {
    item.fail("to use custom HTTP client configuration please provide the 'api_server' URL explicitly");
  }
  const ns = o.get('namespaces').object(['names', 'own_namespace']);
  const names = ns?.get('names').list((f) => f.string()) ?? [];
  const selector = decodeSelectors(o.get('selectors'), role);
  if (role === undefined) return undefined;
  return {
    role,
    apiServer,
    kubeconfigFile,
    namespaces: [...new Set(names)],
    ownNamespace: ns?.get('own_namespace').bool() ?? false,
    labelSelector: selector.label,
    fieldSelector: selector.field,
    authorization,
    tls,
  };
}

function decodeRole(o: ObjectReader): KubernetesRole | undefined {
  if (!o.has('role')) {
    o.field.fail('role missing (one of: pod, service, endpoints, endpointslice, node, ingress)');
    return undefined;
  }
  const f = o.get('role');
  const role = f.string();
  if (role === undefined) return undefined;
  if (role === 'pod') return role;
  if (PROMETHEUS_ROLES.includes(role)) return f.fail(`role ${JSON.stringify(role)} is not supported by vigil yet; only "pod" is`);
  return f.fail(`unknown Kubernetes SD role ${JSON.stringify(role)}`);
}

function decodeAPIServer(f: Field): string | undefined {
  const s = f.string();
  if (s === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return f.expected('an http or https URL such as "https://10.0.0.1:6443"');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.host === '') {
    return f.expected('an http or https URL such as "https://10.0.0.1:6443"');
  }
  if (url.search !== '' || url.hash !== '') return f.fail('api_server must not have a query or fragment');
  // Paths are appended to the server URL, so a trailing slash would double up.
  return s.replace(/\/+$/, '');
}

function decodeSelectors(f: Field, role: KubernetesRole | undefined): { label: string; field: string } {
  const out = { label: '', field: '' };
  const seen = new Set<string>();
  f.list((item) => {
    const o = item.object(['role', 'label', 'field']);
    if (o === undefined) return undefined;
    const selectorRole = o.get('role').string() ?? '';
    if (seen.has(selectorRole)) return o.get('role').fail(`duplicated selector role: ${selectorRole}`);
    seen.add(selectorRole);
    if (role !== undefined && selectorRole !== role) {
      return (o.has('role') ? o.get('role') : item).fail(`${role} role supports only ${role} selectors`);
    }
    const label = checked(o.get('label'), labelSelectorProblem);
    const field = checked(o.get('field'), fieldSelectorProblem);
    if (label !== undefined) out.label = label;
    if (field !== undefined) out.field = field;
    return undefined;
  });
  return out;
}

/** checked reads a selector string and reports a syntax problem at its column inside the string. */
function checked(f: Field, problemOf: (s: string) => SelectorProblem | undefined): string | undefined {
  const s = f.string();
  if (s === undefined) return undefined;
  const problem = problemOf(s);
  if (problem === undefined) return s;
  return f.failAt(f.valueOffset(problem.index), `invalid selector ${JSON.stringify(s)}: ${problem.message}`);
}

function decodeAuthorization(o: ObjectReader): KubernetesAuthorization | undefined {
  let auth: KubernetesAuthorization | undefined;
  const a = o.get('authorization').object(['type', 'credentials', 'credentials_file', 'credentials_env']);
  if (a !== undefined) {
    if (a.has('credentials')) {
      a.get('credentials').fail('secrets are not accepted in the config file; use credentials_file or credentials_env');
    }
    const type = a.get('type').string() ?? 'Bearer';
    if (type.toLowerCase() === 'basic') a.get('type').fail('authorization type cannot be set to "basic"');
    const credentials = decodeSecretRef(a, 'credentials');
    if (credentials === undefined) a.field.fail('authorization needs credentials_file or credentials_env');
    else auth = { type, credentials };
  }
  if (o.has('bearer_token_file')) {
    const file = o.get('bearer_token_file').filePath();
    if (auth !== undefined) o.get('bearer_token_file').fail('at most one of authorization and bearer_token_file may be set');
    else if (file !== undefined) auth = { type: 'Bearer', credentials: { file } };
  }
  return auth;
}

function decodeTLS(f: Field): KubernetesTLS | undefined {
  const t = f.object(['ca_file', 'cert_file', 'key_file', 'server_name', 'insecure_skip_verify']);
  if (t === undefined) return undefined;
  const tls: KubernetesTLS = {
    caFile: t.get('ca_file').filePath(),
    certFile: t.get('cert_file').filePath(),
    keyFile: t.get('key_file').filePath(),
    serverName: t.get('server_name').string(),
    insecureSkipVerify: t.get('insecure_skip_verify').bool() ?? false,
  };
  if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) {
    t.field.fail('cert_file and key_file must be set together');
  }
  return tls;
}
