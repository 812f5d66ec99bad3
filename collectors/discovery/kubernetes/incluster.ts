import { join } from 'node:path';
import { readSecret, type SecretError } from '../../../util/secret.js';
import { KubernetesDiscoveryError } from './errors.js';

/** SERVICE_ACCOUNT_DIR is where Kubernetes mounts a pod's service-account token, CA and namespace. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * InClusterEnv is what in-cluster configuration reads: the API server's service address (from
 * the variables Kubernetes sets in every pod) and the service-account directory. Tests point it
 * at a loopback server and a temporary directory.
 */
export interface InClusterEnv {
  readonly host: string | undefined;
  readonly port: string | undefined;
  readonly serviceAccountDir: string;
}

/** inClusterEnv reads KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT from `env`. */
export function inClusterEnv(env: NodeJS.ProcessEnv = process.env): InClusterEnv {
  return { host: env['KUBERNETES_SERVICE_HOST'], port: env['KUBERNETES_SERVICE_PORT'], serviceAccountDir: SERVICE_ACCOUNT_DIR };
}

/** ownNamespace reads the namespace of vigil's service account (for `namespaces.own_namespace`). */
export function ownNamespace(env: InClusterEnv): string {
  try {
    return readSecret({ file: join(env.serviceAccountDir, 'namespace') });
  } catch (err) {
    throw new KubernetesDiscoveryError('service_account', `own_namespace: ${(err as SecretError).message}`);
  }
}
