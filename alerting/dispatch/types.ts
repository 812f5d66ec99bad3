import type { Labels } from '../../model/labels.js';
import type { RouteOpts } from '../route/types.js';
import type { Alert } from '../types.js';

/** FlushContext says which group a flush is for and when it happens (ms). */
export interface FlushContext {
  readonly receiver: string;
  readonly groupKey: string;
  readonly groupLabels: Labels;
  readonly route: RouteOpts;
  readonly now: number;
}

/**
 * FlushFn runs the notification pipeline for one flush of a group. `alerts` are the group's
 * alerts at `ctx.now`, sorted as Alertmanager sorts them; a firing alert's endsAt is +Infinity
 * (it has not ended), a resolved one's is its end. It resolves once the notifications are
 * decided and durably queued (not delivered), and rejects when that failed: the group then keeps
 * its resolved alerts and tries again at the next group_interval.
 */
export type FlushFn = (ctx: FlushContext, alerts: readonly Alert[]) => Promise<void>;
