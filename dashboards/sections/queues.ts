import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { labelVariable, legendOf, matchers, newDashboard, q, timeseriesPanel } from '../common.js';
import { layout, place } from '../layout.js';

export const QUEUES_UID = 'vigil-queues';

const QUEUE = matchers(['namespace', 'system', 'queue']);
const BY_QUEUE = ['namespace', 'system', 'queue'];
const LEGEND = legendOf(['system', 'queue']);

/** per sums a queue series per queue: a queue reported for several vhosts or groups is one line. */
function per(series: string): string {
  return `sum by (${BY_QUEUE.join(', ')}) (${series}${QUEUE})`;
}

/**
 * queuesDashboard watches the queues in front of batch inference and embedding jobs (RabbitMQ,
 * Kafka, BullMQ through the ai: vocabulary): how much waits, for how long, how fast it drains,
 * and who consumes it.
 */
export function queuesDashboard(): dashboard.DashboardBuilder {
  const b = newDashboard(QUEUES_UID, 'Queues', 'Depth, oldest message age, consumer lag, throughput and consumers of every queue (RabbitMQ, Kafka, BullMQ).', ['ai-platform', 'queues'])
    .withVariable(labelVariable('namespace', 'Namespace', 'ai:queue_depth'))
    .withVariable(labelVariable('system', 'System', 'ai:queue_depth{namespace=~"$namespace"}'))
    .withVariable(labelVariable('queue', 'Queue', 'ai:queue_depth{namespace=~"$namespace", system=~"$system"}'));
  return layout(b, [
    {
      title: 'Backlog',
      panels: [
        place(timeseriesPanel({ title: 'Queue depth', description: 'Messages no consumer has taken yet (RabbitMQ ready, Kafka consumer lag, BullMQ waiting and prioritized).', unit: 'short', queries: [q(per('ai:queue_depth'), LEGEND)] }), 12, 8),
        place(timeseriesPanel({ title: 'Oldest message age', description: 'Age of the oldest waiting message (RabbitMQ with message timestamps, vigil\'s BullMQ collector); the freshness SLO counts minutes above 5 minutes.', unit: 's', thresholds: [['red', 300]], thresholdLines: true, queries: [q(`max by (${BY_QUEUE.join(', ')}) (ai:queue_oldest_age_seconds${QUEUE})`, LEGEND)] }), 12, 8),
        place(
          timeseriesPanel({
            title: 'Consumer lag (time to drain)',
            description: 'Backlog over the rate messages leave the queue: how long the current backlog takes to drain at the current pace (no value while nothing is consumed).',
            unit: 's',
            queries: [q(`${per('ai:queue_depth')} / (${per('ai:queue_dequeued:rate5m')} > 0)`, LEGEND)],
          }),
          12,
          8,
        ),
        place(timeseriesPanel({ title: 'Messages in flight', description: 'Messages a consumer has taken and not finished (RabbitMQ unacknowledged, BullMQ active).', unit: 'short', queries: [q(per('ai:queue_in_flight'), LEGEND)] }), 12, 8),
      ],
    },
    {
      title: 'Consumers',
      panels: [
        place(timeseriesPanel({ title: 'Dequeue rate', description: 'Messages leaving the queue per second (acknowledged, expired or dead-lettered; Kafka committed offsets).', unit: 'short', queries: [q(per('ai:queue_dequeued:rate5m'), LEGEND)] }), 12, 8),
        place(timeseriesPanel({ title: 'Consumers', description: 'Consumers attached to each queue (Kafka: group members).', unit: 'none', decimals: 0, queries: [q(per('ai:queue_consumers'), LEGEND)] }), 12, 8),
      ],
    },
  ]);
}
