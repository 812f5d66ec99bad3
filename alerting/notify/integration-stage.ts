import { fingerprint } from '../fingerprint.js';
import type { NotificationLog } from '../state/nflog.js';
import type { DeliveryQueue } from './delivery.js';
import { needsUpdate } from './dedup.js';
import type { Stage } from './stage.js';

/**
 * integrationStage is the per-integration end of the pipeline: the dedup decision against the
 * notification log, then (Alertmanager's RetryStage and SetNotifiesStage, made durable) the
 * notification goes to the integration's outbox. Resolved alerts are left out for an integration
 * without send_resolved; when nothing is left to send, the log records the flush as delivered,
 * as Alertmanager does, so the next decision compares against it.
 */
export function integrationStage(queue: DeliveryQueue, nflog: NotificationLog, sendResolved: boolean): Stage {
  return {
    exec(ctx, alerts) {
      const firing: string[] = [];
      const resolved: string[] = [];
      for (const a of alerts) (a.endsAt <= ctx.now ? resolved : firing).push(fingerprint(a.labels));
      const key = queue.key(ctx.groupKey);
      const last = nflog.get(key);
      if (!needsUpdate(last, new Set(firing), new Set(resolved), sendResolved, ctx.route.repeatInterval, ctx.now)) {
        queue.cancel(ctx.groupKey);
        return Promise.resolve(alerts);
      }
      const toSend = sendResolved ? alerts : alerts.filter((a) => a.endsAt > ctx.now);
      if (toSend.length === 0) {
        queue.cancel(ctx.groupKey);
        nflog.log(key, { firing: new Set(firing), resolved: new Set(resolved), timestamp: ctx.now, state: last?.state ?? {} });
        return Promise.resolve(alerts);
      }
      queue.enqueue(ctx.groupKey, { groupLabels: ctx.groupLabels, alerts: toSend, firing, resolved, decidedAt: ctx.now });
      return Promise.resolve(alerts);
    },
  };
}
