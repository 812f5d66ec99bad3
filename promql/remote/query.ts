import type { RemoteClient } from './client.js';
import { instantQuery, type InstantSample } from './api.js';
import { RemoteError } from './errors.js';

export interface RemoteQueryOptions {
  /**
   * before is awaited before each query: the remote writer's flush, so a rule reads what the rules
   * before it in the group wrote, as it would in an embedded store.
   */
  readonly before?: () => Promise<void>;
}

/**
 * remoteQuery is the rules' QueryFn over a Prometheus-compatible API (DESIGN.md, "Seams"): an
 * instant query at t whose vector comes back as is and whose scalar comes back as one sample with
 * no labels, as engineQuery answers. Any other result type, and any failure, rejects (with a
 * RemoteError), so the rule evaluation fails and the alert keeps its state.
 */
export function remoteQuery(client: RemoteClient, opts: RemoteQueryOptions = {}): (expr: string, t: number) => Promise<readonly InstantSample[]> {
  return async (expr, t) => {
    await opts.before?.();
    const value = await instantQuery(client, expr, t);
    switch (value.type) {
      case 'vector':
        return value.vector;
      case 'scalar':
        return [value.scalar];
      default:
        throw new RemoteError('bad_response', `rule result is a ${value.type}, not a vector or scalar`, false);
    }
  };
}
