import { ApiException, CoreV1Api, type KubeConfig, type V1PodList, Watch } from '@kubernetes/client-node';
import { SecretError } from '../../../util/secret.js';
import { KubernetesDiscoveryError } from './errors.js';
import type { Pod } from './pod.js';

/** PodListResult is a complete, consistent list of pods and the resource version to watch from. */
export interface PodListResult {
  readonly pods: readonly Pod[];
  readonly resourceVersion: string;
}

/** PodWatchEvent is one watch event; a BOOKMARK's pod carries only metadata.resourceVersion. */
export interface PodWatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  readonly pod: Pod;
}

/** PodWatch is one open watch stream. */
export interface PodWatch {
  /**
   * done settles when the stream ends: it resolves when the server closed it (a watch timeout, a
   * restart), and rejects with a KubernetesDiscoveryError otherwise (`gone` for 410, so the
   * caller relists). After stop() it settles either way and the caller ignores it.
   */
  readonly done: Promise<void>;
  stop(): void;
}

/**
 * PodApi lists and watches the pods of one namespace (or all) under fixed selectors. It is the
 * reflector's only view of Kubernetes; podApi implements it with @kubernetes/client-node.
 */
export interface PodApi {
  /** list pages through every matching pod (pageSize at a time) from one consistent snapshot. */
  list(): Promise<PodListResult>;
  /** watch streams changes after `resourceVersion`, with bookmarks; onEvent is called in order, synchronously per line. */
  watch(resourceVersion: string, timeoutSeconds: number, onEvent: (e: PodWatchEvent) => void): PodWatch;
}

export interface PodScope {
  /** namespace to list and watch; undefined for every namespace. */
  readonly namespace: string | undefined;
  readonly labelSelector: string;
  readonly fieldSelector: string;
}

/** PAGE_SIZE is client-go's pager default, so a 50,000-pod cluster is listed in bounded chunks. */
const PAGE_SIZE = 500;

/** podApi lists with the typed CoreV1Api and watches with the client's Watch, both through `kc`. */
export function podApi(kc: KubeConfig, scope: PodScope, pageSize = PAGE_SIZE): PodApi {
  const core = kc.makeApiClient(CoreV1Api);
  const selectors = {
    ...(scope.labelSelector === '' ? {} : { labelSelector: scope.labelSelector }),
    ...(scope.fieldSelector === '' ? {} : { fieldSelector: scope.fieldSelector }),
  };
  const path = scope.namespace === undefined ? '/api/v1/pods' : `/api/v1/namespaces/${encodeURIComponent(scope.namespace)}/pods`;
  return {
    async list() {
      const pods: Pod[] = [];
      let cont: string | undefined;
      let resourceVersion = '';
      do {
        const page = { ...selectors, limit: pageSize, ...(cont === undefined ? {} : { _continue: cont }) };
        let result: V1PodList;
        try {
          result =
            scope.namespace === undefined
              ? await core.listPodForAllNamespaces(page)
              : await core.listNamespacedPod({ namespace: scope.namespace, ...page });
        } catch (err) {
          throw apiError(err, `list ${path}`);
        }
        pods.push(...(result.items as unknown as Pod[]));
        resourceVersion = result.metadata?.resourceVersion ?? '';
        cont = result.metadata?._continue || undefined;
      } while (cont !== undefined);
      return { pods, resourceVersion };
    },

    watch(resourceVersion, timeoutSeconds, onEvent) {
      let stopped = false;
      let controller: AbortController | undefined;
      let settle: { resolve: () => void; reject: (err: Error) => void } | undefined;
      const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
      const finish = (err: Error | undefined) => {
        const s = settle;
        settle = undefined;
        controller?.abort();
        if (s === undefined) return;
        if (err === undefined || stopped) s.resolve();
        else s.reject(err);
      };
      const params = { ...selectors, allowWatchBookmarks: true, resourceVersion, timeoutSeconds };
      new Watch(kc)
        .watch(
          path,
          params,
          (type: string, object: unknown) => {
            if (settle === undefined) return;
            if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED' || type === 'BOOKMARK') {
              onEvent({ type, pod: object as Pod });
            } else if (type === 'ERROR') {
              finish(statusError(object, `watch ${path}`));
            } else {
              finish(new KubernetesDiscoveryError('watch', `watch ${path}: unexpected event type ${JSON.stringify(type)}`));
            }
          },
          (err: unknown) => finish(err === null || err === undefined ? undefined : apiError(err, `watch ${path}`)),
        )
        .then(
          (c) => {
            controller = c;
            if (stopped || settle === undefined) c.abort();
          },
          (err: unknown) => finish(apiError(err, `watch ${path}`)),
        );
      return {
        done,
        stop() {
          stopped = true;
          finish(undefined);
        },
      };
    },
  };
}

/** apiError turns what the client threw into a KubernetesDiscoveryError with a code. */
function apiError(err: unknown, what: string): KubernetesDiscoveryError {
  if (err instanceof KubernetesDiscoveryError) return err;
  if (err instanceof SecretError) return new KubernetesDiscoveryError('service_account', `${what}: ${err.message}`);
  const status = err instanceof ApiException ? err.code : (err as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number') {
    const body = err instanceof ApiException ? (err.body as unknown) : undefined;
    const message = statusMessage(body) ?? (status === 401 ? 'Unauthorized' : `HTTP ${status}`);
    return new KubernetesDiscoveryError(status === 410 ? 'gone' : 'api', `${what}: ${status} ${message}`, status);
  }
  return new KubernetesDiscoveryError('network', `${what}: ${(err as Error).message ?? String(err)}`);
}

/** statusError reads a watch ERROR event's `metav1.Status`; code 410 (reason Expired or Gone) asks for a relist. */
function statusError(object: unknown, what: string): KubernetesDiscoveryError {
  const code = (object as { code?: unknown } | null)?.code;
  const message = statusMessage(object) ?? 'unknown error';
  if (code === 410) return new KubernetesDiscoveryError('gone', `${what}: 410 ${message}`, 410);
  return new KubernetesDiscoveryError('watch', `${what}: ${typeof code === 'number' ? `${code} ` : ''}${message}`, typeof code === 'number' ? code : undefined);
}

function statusMessage(body: unknown): string | undefined {
  if (typeof body === 'string') {
    try {
      return statusMessage(JSON.parse(body));
    } catch {
      return body === '' ? undefined : body.slice(0, 200);
    }
  }
  const m = (body as { message?: unknown } | null | undefined)?.message;
  return typeof m === 'string' && m !== '' ? m : undefined;
}
