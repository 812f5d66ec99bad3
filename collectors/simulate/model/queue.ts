import type { Rng } from '../prng.js';
import { QUEUE } from '../topology.js';

/** IN_TRANSIT_S is how long a message waits before a keeping-up consumer takes it. */
const IN_TRANSIT_S = 0.2;

interface Batch {
  /** t is the publish time (ms) of the messages in this batch. */
  t: number;
  n: number;
}

/**
 * EmbeddingsQueue is the `embeddings` queue as RabbitMQ counts it. Published messages wait in
 * FIFO order; each tick the consumers take what their rate allows. The head message's publish
 * time is tracked exactly, so the oldest message's age (now minus
 * `rabbitmq_queue_head_message_timestamp`) grows by one second per second while consumers fall
 * behind, and drops back once they catch up.
 */
export class EmbeddingsQueue {
  private readonly backlog: Batch[] = [];
  ready = 0;
  unacked = 0;
  consumers = 0;
  utilisation = 0;
  published = 0;
  delivered = 0;
  acked = 0;
  redelivered = 0;
  reductions: number;

  constructor(private readonly rng: Rng) {
    // The broker has been up for weeks: the counters start where that left them, the queue empty.
    this.published = Math.round(4e6 + rng.next() * 5e6);
    this.delivered = this.published;
    this.acked = this.published;
    this.redelivered = Math.round(this.published * 0.0002);
    this.reductions = Math.round(1e8 + rng.next() * 5e8);
  }

  step(t: number, dtS: number, knobs: { publishRate: number; consumers: number; consumerRate: number }): void {
    const rng = this.rng;
    const published = rng.count(knobs.publishRate * dtS);
    if (published > 0) this.backlog.push({ t, n: published });
    this.published += published;
    this.ready += published;
    this.consumers = knobs.consumers;
    const capacityRate = knobs.consumers * knobs.consumerRate;
    // Messages published in the last moment are still on their way to a consumer that keeps up.
    const inTransit = Math.min(this.ready, rng.round(knobs.publishRate * IN_TRANSIT_S));
    const deliverable = Math.max(0, this.ready - inTransit);
    const take = Math.min(deliverable, rng.count(capacityRate * dtS));
    this.takeFromHead(take);
    this.delivered += take;
    // Deliveries are acknowledged within the tick; redeliveries are rare.
    this.acked += take;
    this.redelivered += rng.count(take * 0.0002);
    const busy = this.ready > inTransit;
    this.unacked = knobs.consumers === 0 ? 0 : busy ? knobs.consumers * QUEUE.prefetch : Math.min(knobs.consumers * QUEUE.prefetch, rng.round(knobs.publishRate * 0.5));
    const load = capacityRate <= 0 ? Infinity : knobs.publishRate / capacityRate;
    this.utilisation = knobs.consumers === 0 ? 0 : Math.round(Math.max(0.01, Math.min(1, load < 1 ? 1 - 0.5 * load : 0.5 / load)) * 10_000) / 10_000;
    this.reductions += rng.count((published + take) * 60);
  }

  /** headTimestampS is the publish time of the oldest ready message in whole seconds, if any. */
  headTimestampS(): number | undefined {
    const head = this.backlog[0];
    return head === undefined ? undefined : Math.floor(head.t / 1000);
  }

  private takeFromHead(n: number): void {
    let left = n;
    while (left > 0 && this.backlog.length > 0) {
      const head = this.backlog[0]!;
      const k = Math.min(left, head.n);
      head.n -= k;
      left -= k;
      if (head.n === 0) this.backlog.shift();
    }
    this.ready -= n - left;
  }
}
