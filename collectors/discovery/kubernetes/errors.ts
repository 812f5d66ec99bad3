/**
 * KubernetesErrorCode says what went wrong talking to the Kubernetes API. Every code the
 * discovery raises is listed here:
 *
 * - `not_in_cluster`: neither api_server nor kubeconfig_file is set and KUBERNETES_SERVICE_HOST /
 *   KUBERNETES_SERVICE_PORT are not (vigil is not running in a pod).
 * - `service_account`: the in-cluster service-account token (or namespace, for own_namespace)
 *   cannot be read.
 * - `kubeconfig`: the kubeconfig file cannot be read, does not parse, or has no current cluster.
 * - `api`: the API server answered with an error status (`status` holds it: 401, 403, 500...).
 * - `gone`: HTTP 410: the resource version or continue token is too old; the cure is a new list.
 * - `network`: no answer: connection refused, reset, DNS, TLS.
 * - `watch`: a watch stream ended badly (an ERROR event, or closed at once without events).
 */
export type KubernetesErrorCode = 'not_in_cluster' | 'service_account' | 'kubeconfig' | 'api' | 'gone' | 'network' | 'watch';

/** KubernetesDiscoveryError is every failure of Kubernetes discovery, with a stable code; `status` is the HTTP status when there was one. */
export class KubernetesDiscoveryError extends Error {
  constructor(
    readonly code: KubernetesErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'KubernetesDiscoveryError';
  }
}

/** isGone says whether `err` asks for a relist (HTTP 410 Gone / reason Expired). */
export function isGone(err: unknown): boolean {
  return err instanceof KubernetesDiscoveryError && err.code === 'gone';
}
