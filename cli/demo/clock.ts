import { sleepOn, type Clock, type TimerHandle } from '../../util/clock.js';

/**
 * scaledClock is a Clock that runs `speed` times faster than real time: now() is
 * `origin + (real time elapsed since the call) * speed` (integer ms), and a timer set for `ms`
 * fires after `ms / speed` real milliseconds. It is what `vigil demo --speed` runs the simulator
 * and the whole pipeline on, so that every duration (scrape and evaluation intervals, rate
 * windows, `for`, group_wait, repeat_interval, and also timeouts and retry back-offs) passes in
 * scenario time and the data looks as it would at speed 1, only sooner. Real time is read from
 * performance.now(), which never jumps. A timer never fires before now() has reached its time:
 * one that Node wakes early (its timers have millisecond granularity) waits the rest.
 */
export function scaledClock(speed: number, origin: number = Date.now()): Clock {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${speed}`);
  const realStart = performance.now();
  const timers = new Map<number, NodeJS.Timeout>();
  let nextId = 1;
  const now = () => origin + Math.floor((performance.now() - realStart) * speed);
  const arm = (id: number, at: number, fn: () => void) => {
    const wait = Math.max(0, Math.ceil((at - now()) / speed));
    timers.set(
      id,
      setTimeout(() => {
        if (now() < at) return arm(id, at, fn);
        timers.delete(id);
        fn();
      }, wait),
    );
  };
  const clock: Clock = {
    now,
    setTimeout(fn, ms): TimerHandle {
      const id = nextId++;
      arm(id, now() + Math.max(0, ms), fn);
      return { id };
    },
    clearTimeout(handle) {
      const t = timers.get(handle.id);
      if (t !== undefined) clearTimeout(t);
      timers.delete(handle.id);
    },
    sleep: (ms, signal) => sleepOn(clock, ms, signal),
  };
  return clock;
}
