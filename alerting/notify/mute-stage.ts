import type { Muter } from '../mute/muter.js';
import type { Stage } from './stage.js';

/**
 * muteStage drops the alerts a Muter mutes at the flush time: one stage serves inhibition and
 * silences alike (Alertmanager's MuteStage). `onMuted` hears how many were muted, for telemetry.
 */
export function muteStage(muter: Muter, onMuted?: (count: number) => void): Stage {
  return {
    exec(ctx, alerts) {
      const kept = alerts.filter((a) => !muter.mutes(a.labels, ctx.now));
      if (kept.length < alerts.length) onMuted?.(alerts.length - kept.length);
      return Promise.resolve(kept);
    },
  };
}
