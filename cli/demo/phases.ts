import type { Scenario } from '../../collectors/simulate/index.js';
import type { Clock, TimerHandle } from '../../util/clock.js';
import { formatDuration } from '../../util/duration.js';

/**
 * announcePhases tells `say` about each phase of the scenario as it starts on `clock` (the
 * scenario's time zero is `start`), and once when the scenario's duration is over; phases already
 * begun are announced at once. Each line starts with the scenario clock's time, as the console
 * receiver's lines do, so the two read as one timeline:
 *
 *   10:20:00Z phase 2/17 training-job-starts (+20m)
 *
 * It returns a function that cancels the announcements still to come.
 */
export function announcePhases(scenario: Scenario, clock: Clock, start: number, say: (line: string) => void): () => void {
  const total = scenario.phases.length;
  const events = scenario.phases.map((p, i) => ({ at: p.atMs, line: `phase ${i + 1}/${total} ${p.name} (+${formatDuration(p.atMs)})` }));
  if (scenario.durationMs !== undefined) {
    events.push({ at: scenario.durationMs, line: `scenario ${scenario.name} is over (+${formatDuration(scenario.durationMs)}): the platform keeps its last state; Ctrl-C stops the demo` });
  }
  let timer: TimerHandle | undefined;
  let next = 0;
  const fire = () => {
    timer = undefined;
    while (next < events.length && start + events[next]!.at <= clock.now()) {
      say(`${clockTime(clock.now())} ${events[next]!.line}`);
      next++;
    }
    if (next < events.length) timer = clock.setTimeout(fire, start + events[next]!.at - clock.now());
  };
  fire();
  return () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    next = events.length;
  };
}

function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19) + 'Z';
}
