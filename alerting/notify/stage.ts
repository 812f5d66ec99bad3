import type { FlushContext } from '../dispatch/types.js';
import type { Alert } from '../types.js';

/**
 * Stage is one step of the notification pipeline (Alertmanager's notify.Stage): it takes a
 * flush's alerts and returns the ones the next step sees. A sequence stops once no alert is left,
 * as Alertmanager's MultiStage: a group whose alerts are all muted sends nothing and leaves its
 * notification log as it was (resolved alerts are still alerts, so "all resolved" gets through).
 */
export interface Stage {
  exec(ctx: FlushContext, alerts: readonly Alert[]): Promise<readonly Alert[]>;
}

/** sequence runs stages one after another, each on the previous one's output. */
export function sequence(...stages: readonly Stage[]): Stage {
  return {
    async exec(ctx, alerts) {
      let out = alerts;
      for (const s of stages) {
        if (out.length === 0) return out;
        out = await s.exec(ctx, out);
      }
      return out;
    },
  };
}

/**
 * fanout runs stages side by side on the same alerts (one per integration of a receiver) and
 * fails if any failed, after all have finished. It returns its input.
 */
export function fanout(stages: readonly Stage[]): Stage {
  return {
    async exec(ctx, alerts) {
      const results = await Promise.allSettled(stages.map((s) => s.exec(ctx, alerts)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      return alerts;
    },
  };
}

/** byReceiver picks the stage of the flush's receiver (Alertmanager's RoutingStage). */
export function byReceiver(stages: ReadonlyMap<string, Stage>): Stage {
  return {
    exec(ctx, alerts) {
      const s = stages.get(ctx.receiver);
      if (s === undefined) return Promise.reject(new Error(`no pipeline for receiver ${JSON.stringify(ctx.receiver)}`));
      return s.exec(ctx, alerts);
    },
  };
}
