import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../util/clock.js';

describe('VirtualClock', () => {
  it('fires timers in time order, then insertion order, as time advances', async () => {
    const clock = new VirtualClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 20);
    const cancelled = clock.setTimeout(() => fired.push('never'), 5);
    clock.clearTimeout(cancelled);
    await clock.advance(15);
    expect(fired).toEqual(['a@1010']);
    await clock.advance(100);
    expect(fired).toEqual(['a@1010', 'b@1020', 'c@1020']);
    expect(clock.now()).toBe(1115);
  });

  it('lets promise chains started by a timer settle before the next timer', async () => {
    const clock = new VirtualClock(0);
    const log: string[] = [];
    clock.setTimeout(() => {
      void (async () => {
        for (let i = 0; i < 100; i++) await Promise.resolve();
        log.push('first done');
      })();
    }, 10);
    clock.setTimeout(() => log.push('second'), 20);
    await clock.advance(30);
    expect(log).toEqual(['first done', 'second']);
  });

  it('sleep resolves on time and rejects on abort', async () => {
    const clock = new VirtualClock(0);
    let done = false;
    const p = clock.sleep(50).then(() => (done = true));
    await clock.advance(49);
    expect(done).toBe(false);
    await clock.advance(1);
    await p;
    expect(done).toBe(true);
    const ac = new AbortController();
    const q = clock.sleep(10, ac.signal);
    ac.abort(new Error('stop'));
    await expect(q).rejects.toThrow('stop');
    expect(clock.pending).toBe(0);
  });

  it('runNext steps to the earliest timer only', async () => {
    const clock = new VirtualClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 30);
    clock.setTimeout(() => fired.push(clock.now()), 10);
    expect(clock.nextAt).toBe(10);
    expect(await clock.runNext()).toBe(true);
    expect(fired).toEqual([10]);
    expect(await clock.runNext()).toBe(true);
    expect(fired).toEqual([10, 30]);
    expect(await clock.runNext()).toBe(false);
  });
});
