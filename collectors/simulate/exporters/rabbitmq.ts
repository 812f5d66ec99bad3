import type { EmbeddingsQueue } from '../model/queue.js';
import { QUEUE } from '../topology.js';
import { erlangNumber } from './format.js';
import { TextBody } from './text.js';

const GIB = 1024 ** 3;

/**
 * renderRabbitmq writes RabbitMQ's `GET :15692/metrics/per-object` body for the broker holding the
 * `embeddings` queue, in the format of /work/shared/fixtures/metrics/rabbitmq.per-object.prom
 * (prometheus.erl: TYPE before HELP, labels `vhost, queue` in that order). It adds the per-queue
 * families of the `queue_metrics` and `queue_delivery_metrics` groups that the per-object endpoint
 * also serves (rabbitmq_prometheus's core metrics collector): the head message's timestamp (the
 * basis of the oldest message's age; absent while the queue is empty) and delivered/acked totals.
 */
export function renderRabbitmq(q: EmbeddingsQueue): string {
  const body = new TextBody(true);
  const queue = [
    ['vhost', QUEUE.vhost],
    ['queue', QUEUE.queue],
  ] as const;
  const one = (name: string, help: string, type: 'gauge' | 'counter', value: number, labels: readonly (readonly [string, string])[] = queue) =>
    body.family(name, help, type).sample(name, labels, erlangNumber(value));

  body.family('rabbitmq_build_info', 'RabbitMQ & Erlang/OTP version info', 'gauge');
  body.sample(
    'rabbitmq_build_info',
    [
      ['rabbitmq_version', '4.1.2'],
      ['prometheus_plugin_version', '4.1.2'],
      ['prometheus_client_version', '4.11.0'],
      ['erlang_version', '27.3.4'],
    ],
    '1',
  );
  body.family('rabbitmq_identity_info', 'RabbitMQ node & cluster identity info', 'gauge');
  body.sample(
    'rabbitmq_identity_info',
    [
      ['rabbitmq_node', QUEUE.rabbitmqNode],
      ['rabbitmq_cluster', QUEUE.cluster],
      ['rabbitmq_cluster_permanent_id', QUEUE.clusterId],
    ],
    '1',
  );
  one('rabbitmq_queue_messages_ready', 'Messages ready to be delivered to consumers', 'gauge', q.ready);
  one('rabbitmq_queue_messages_unacked', 'Messages delivered to consumers but not yet acknowledged', 'gauge', q.unacked);
  one('rabbitmq_queue_messages', 'Sum of ready and unacknowledged messages - total queue depth', 'gauge', q.ready + q.unacked);
  one('rabbitmq_queue_process_reductions_total', 'Total number of queue process reductions', 'counter', q.reductions);
  one('rabbitmq_queue_consumers', 'Consumers on a queue', 'gauge', q.consumers);
  one('rabbitmq_queue_consumer_utilisation', 'Consumer utilisation', 'gauge', q.utilisation);
  one('rabbitmq_queue_messages_bytes', 'Size in bytes of ready and unacknowledged messages', 'gauge', (q.ready + q.unacked) * QUEUE.messageBytes);
  body.family('rabbitmq_queue_head_message_timestamp', 'Timestamp of the first message in the queue, if any', 'gauge');
  const head = q.headTimestampS();
  if (head !== undefined) body.sample('rabbitmq_queue_head_message_timestamp', queue, erlangNumber(head));
  one('rabbitmq_queue_messages_published_total', 'Total number of messages published to queues', 'counter', q.published);
  one('rabbitmq_queue_messages_delivered_ack_total', 'Total number of messages delivered from a queue to consumers in manual acknowledgement mode', 'counter', q.delivered);
  one('rabbitmq_queue_messages_redelivered_total', 'Total number of messages redelivered from a queue to consumers', 'counter', q.redelivered);
  one('rabbitmq_queue_messages_acked_total', 'Total number of messages acknowledged by consumers on a queue', 'counter', q.acked);
  one('rabbitmq_queues', 'Queues available', 'gauge', 1, []);
  one('rabbitmq_consumers', 'Consumers currently connected', 'gauge', q.consumers, []);
  one('rabbitmq_connections', 'Connections currently open', 'gauge', q.consumers + 2, []);
  const protocol = [['protocol', 'amqp091']] as const;
  one('rabbitmq_global_messages_received_total', 'Total number of messages received from publishers', 'counter', q.published, protocol);
  one('rabbitmq_global_messages_delivered_total', 'Total number of messages delivered to consumers', 'counter', q.delivered, protocol);
  one('rabbitmq_global_messages_acknowledged_total', 'Total number of messages acknowledged by consumers', 'counter', q.acked, protocol);
  one('rabbitmq_global_messages_redelivered_total', 'Total number of messages redelivered to consumers', 'counter', q.redelivered, protocol);
  body.family('rabbitmq_global_messages_dead_lettered_rejected_total', 'Total number of messages dead-lettered due to basic.reject or basic.nack', 'counter');
  body.sample('rabbitmq_global_messages_dead_lettered_rejected_total', [['queue_type', 'rabbit_classic_queue'], ['dead_letter_strategy', 'at_most_once']], '0');
  body.sample('rabbitmq_global_messages_dead_lettered_rejected_total', [['queue_type', 'rabbit_quorum_queue'], ['dead_letter_strategy', 'at_least_once']], '0');
  one('rabbitmq_resident_memory_limit_bytes', 'Memory high watermark in bytes', 'gauge', Math.round(3.2 * GIB), []);
  one('rabbitmq_process_resident_memory_bytes', 'Memory used in bytes', 'gauge', 612_368_384 + (q.ready + q.unacked) * 7_168, []);
  one('rabbitmq_disk_space_available_bytes', 'Disk space available in bytes', 'gauge', 48_318_382_080 - q.ready * QUEUE.messageBytes, []);
  return body.toString();
}
