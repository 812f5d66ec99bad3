import type { Muter } from '../mute/muter.js';
import type { NotificationLog } from '../state/nflog.js';
import type { DeliveryQueue } from './delivery.js';
import { integrationStage } from './integration-stage.js';
import { muteStage } from './mute-stage.js';
import { byReceiver, fanout, sequence, type Stage } from './stage.js';
import { timeMuteStage, type IntervalsActive } from './time-stage.js';

export interface PipelineParts {
  /** queues: each receiver's integrations, as delivery queues, by receiver name. */
  readonly queues: ReadonlyMap<string, readonly DeliveryQueue[]>;
  readonly sendResolved: (queue: DeliveryQueue) => boolean;
  readonly inhibitor: Muter;
  readonly silences: Muter;
  readonly intervalsActive: IntervalsActive;
  readonly nflog: NotificationLog;
  readonly onMuted?: (reason: 'inhibited' | 'silenced', count: number) => void;
}

/**
 * buildPipeline assembles the notification pipeline in Alertmanager's order: inhibition, then
 * the route's active and mute time intervals, then silences, then each integration of the
 * receiver side by side (dedup, then the durable outbox).
 */
export function buildPipeline(p: PipelineParts): Stage {
  const byName = new Map<string, Stage>();
  for (const [receiver, queues] of p.queues) {
    byName.set(
      receiver,
      sequence(
        muteStage(p.inhibitor, (n) => p.onMuted?.('inhibited', n)),
        timeMuteStage(p.intervalsActive),
        muteStage(p.silences, (n) => p.onMuted?.('silenced', n)),
        fanout(queues.map((q) => integrationStage(q, p.nflog, p.sendResolved(q)))),
      ),
    );
  }
  return byReceiver(byName);
}
