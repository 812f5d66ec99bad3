import type { Stage } from './stage.js';

/** IntervalsActive says whether any of the named time intervals contains the instant `t` (ms). */
export type IntervalsActive = (names: readonly string[], t: number) => boolean;

/**
 * timeMuteStage drops every alert while one of the route's mute_time_intervals is active, and
 * while none of its active_time_intervals is (when it has any): Alertmanager's TimeMuteStage and
 * TimeActiveStage. Intervals are the route's own, never inherited.
 */
export function timeMuteStage(active: IntervalsActive): Stage {
  return {
    exec(ctx, alerts) {
      const { muteTimeIntervals, activeTimeIntervals } = ctx.route;
      if (muteTimeIntervals.length > 0 && active(muteTimeIntervals, ctx.now)) return Promise.resolve([]);
      if (activeTimeIntervals.length > 0 && !active(activeTimeIntervals, ctx.now)) return Promise.resolve([]);
      return Promise.resolve(alerts);
    },
  };
}
