import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { scaledClock } from '../../../cli/demo/clock.js';

// The demo's clock against vitest's fake timers (setTimeout and performance.now), so real time is
// as virtual as the scenario's.

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const ORIGIN = Date.UTC(2025, 0, 1);

describe('scaledClock', () => {
  it('runs `speed` times faster than real time from its origin, in whole milliseconds', () => {
    const clock = scaledClock(30, ORIGIN);
    expect(clock.now()).toBe(ORIGIN);
    vi.advanceTimersByTime(2_000);
    expect(clock.now()).toBe(ORIGIN + 60_000);
    vi.advanceTimersByTime(0.5);
    expect(clock.now()).toBe(ORIGIN + 60_015);
    expect(Number.isInteger(scaledClock(0.3, ORIGIN).now())).toBe(true);
  });

  it('fires a timer after ms / speed of real time, never before the clock reaches its time, in time order', () => {
    const clock = scaledClock(60, ORIGIN);
    const fired: [string, number][] = [];
    clock.setTimeout(() => fired.push(['late', clock.now()]), 120_000);
    clock.setTimeout(() => fired.push(['early', clock.now()]), 60_000);
    const cancelled = clock.setTimeout(() => fired.push(['cancelled', clock.now()]), 90_000);
    clock.clearTimeout(cancelled);
    vi.advanceTimersByTime(999);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([['early', ORIGIN + 60_000]]);
    vi.advanceTimersByTime(1_000);
    expect(fired.map(([name]) => name)).toEqual(['early', 'late']);
    expect(fired[1]![1]).toBeGreaterThanOrEqual(ORIGIN + 120_000);
  });

  it('rounds a timer’s real wait up: at speed 7, 10ms of scenario time is 2ms of real time', () => {
    const clock = scaledClock(7, ORIGIN);
    let at: number | undefined;
    clock.setTimeout(() => (at = clock.now()), 10);
    vi.advanceTimersByTime(1);
    expect(at).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(at).toBe(ORIGIN + 14);
  });

  it('sleeps, and an abort ends the sleep with the signal’s reason', async () => {
    const clock = scaledClock(10, ORIGIN);
    const slept = clock.sleep(5_000);
    vi.advanceTimersByTime(500);
    await expect(slept).resolves.toBeUndefined();
    const abort = new AbortController();
    const aborted = clock.sleep(5_000, abort.signal);
    abort.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
  });

  it('refuses a speed that is not a positive number', () => {
    for (const speed of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => scaledClock(speed)).toThrow(RangeError);
  });
});
