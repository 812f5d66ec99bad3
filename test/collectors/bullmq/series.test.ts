import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CollectionSeries } from '../../../collectors/bullmq/series.js';
import { Labels } from '../../../model/labels.js';
import { VirtualClock } from '../../../util/clock.js';
import { dump, openTempStore, type TempStore } from '../../support/store.js';

const T0 = 1_700_000_000_000;

describe('CollectionSeries', () => {
  let store: TempStore;
  let series: CollectionSeries;

  beforeEach(async () => {
    store = await openTempStore(new VirtualClock(T0));
    series = new CollectionSeries(Labels.from({ job: 'bullmq', instance: 'redis:6379', queue: 'from-target' }));
  });
  afterEach(async () => {
    await store.cleanup();
  });

  /** collect stores one collection of `queues` -> waiting count at t, committed. */
  function collect(t: number, queues: Record<string, number>): void {
    const app = store.db.appender();
    series.begin();
    for (const [queue, v] of Object.entries(queues)) series.set(app, 'bullmq_queue_jobs', { queue, state: 'waiting' }, t, v);
    series.markVanished(app, t);
    app.commit();
    series.commit();
  }

  it('adds the target labels, which win over a series label of the same name', () => {
    collect(T0, { a: 1 });
    expect(Object.keys(dump(store.db))).toEqual(['bullmq_queue_jobs{instance="redis:6379", job="bullmq", queue="from-target", state="waiting"}']);
  });

  it('marks a series stale once, at the first collection that misses it, and resumes it when it returns', () => {
    series = new CollectionSeries(Labels.from({ job: 'bullmq' }));
    collect(T0, { a: 1, b: 2 });
    collect(T0 + 15_000, { a: 3 });
    collect(T0 + 30_000, { a: 4 });
    collect(T0 + 45_000, { a: 5, b: 6 });
    expect(dump(store.db)).toEqual({
      'bullmq_queue_jobs{job="bullmq", queue="a", state="waiting"}': [[T0, 1], [T0 + 15_000, 3], [T0 + 30_000, 4], [T0 + 45_000, 5]],
      'bullmq_queue_jobs{job="bullmq", queue="b", state="waiting"}': [[T0, 2], [T0 + 15_000, 'stale'], [T0 + 45_000, 6]],
    });
  });

  it('keeps the baseline when a collection is rolled back, and counts samples the store refuses', () => {
    series = new CollectionSeries(Labels.from({ job: 'bullmq' }));
    collect(T0, { a: 1 });
    const app = store.db.appender();
    series.begin();
    series.set(app, 'bullmq_queue_jobs', { queue: 'b', state: 'waiting' }, T0 + 15_000, 1);
    app.rollback();
    series.abandon();
    // An earlier timestamp than the stored sample is out of order; the collection goes on.
    const late = store.db.appender();
    series.begin();
    series.set(late, 'bullmq_queue_jobs', { queue: 'a', state: 'waiting' }, T0 - 1, 9);
    series.markVanished(late, T0 - 1);
    late.commit();
    series.commit();
    expect(series.rejected).toEqual({ out_of_order: 1 });
    expect(dump(store.db)).toEqual({ 'bullmq_queue_jobs{job="bullmq", queue="a", state="waiting"}': [[T0, 1]] });
  });
});
