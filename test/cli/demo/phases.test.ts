import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../collectors/simulate/index.js';
import { announcePhases } from '../../../cli/demo/phases.js';
import { VirtualClock } from '../../../util/clock.js';

const START = Date.UTC(2025, 0, 1, 10);
const SCENARIO = parseScenario(
  'phases.yaml',
  'name: three\nduration: 1h\nphases:\n  - {name: calm, at: 0s}\n  - {name: storm, at: 20m, ramp: 5m}\n  - {name: after, at: 40m}\n',
);

describe('announcePhases', () => {
  it('announces each phase as it starts on the clock, then the end of the scenario', async () => {
    const clock = new VirtualClock(START);
    const lines: string[] = [];
    announcePhases(SCENARIO, clock, START, (l) => lines.push(l));
    expect(lines).toEqual(['10:00:00Z phase 1/3 calm (+0s)']);
    await clock.advance(20 * 60_000 - 1);
    expect(lines).toHaveLength(1);
    await clock.advance(1);
    expect(lines[1]).toBe('10:20:00Z phase 2/3 storm (+20m)');
    await clock.advance(40 * 60_000);
    expect(lines.slice(2)).toEqual([
      '10:40:00Z phase 3/3 after (+40m)',
      '11:00:00Z scenario three is over (+1h): the platform keeps its last state; Ctrl-C stops the demo',
    ]);
    expect(clock.pending).toBe(0);
  });

  it('announces the phases already begun at once, and nothing after it is cancelled', async () => {
    const clock = new VirtualClock(START + 25 * 60_000);
    const lines: string[] = [];
    const cancel = announcePhases(SCENARIO, clock, START, (l) => lines.push(l));
    expect(lines).toEqual(['10:25:00Z phase 1/3 calm (+0s)', '10:25:00Z phase 2/3 storm (+20m)']);
    cancel();
    expect(clock.pending).toBe(0);
    await clock.advance(3600_000);
    expect(lines).toHaveLength(2);
  });
});
