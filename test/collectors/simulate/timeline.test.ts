import { describe, expect, it } from 'vitest';
import { defaultKnobs, KNOB_SPECS } from '../../../collectors/simulate/knobs.js';
import { parseScenario } from '../../../collectors/simulate/scenario.js';
import { Timeline } from '../../../collectors/simulate/timeline.js';

const MIN = 60_000;

const timeline = new Timeline(
  parseScenario(
    's.yaml',
    `name: t
phases:
  - name: start
    at: 0s
  - name: up
    at: 10m
    ramp: 10m
    set:
      models:
        mistral-7b:
          v1: {request_rate: 32, replicas: 3}
  - name: turn
    at: 15m
    ramp: 10m
    set:
      models:
        mistral-7b:
          v1: {request_rate: 2}
      queue: {consumers: 0}
`,
  ),
);
const rate = (minutes: number) => timeline.knobsAt(minutes * MIN).model('mistral-7b', 'v1').requestRate;

describe('Timeline', () => {
  it('holds every knob at its default until a phase sets it', () => {
    const k = timeline.knobsAt(5 * MIN);
    for (const [path, v] of defaultKnobs()) expect(k.values.get(path), path).toBe(v);
    expect(k.model('mistral-7b', 'v1')).toEqual({ requestRate: 12, errorRatio: 0.001, latencyMultiplier: 1, replicas: 1 });
  });

  it('ramps fractional knobs linearly and steps whole-number knobs at the phase start', () => {
    expect(rate(10)).toBe(12);
    expect(rate(12.5)).toBeCloseTo(17, 9);
    expect(timeline.knobsAt(10 * MIN).model('mistral-7b', 'v1').replicas).toBe(3);
    expect(timeline.knobsAt(10 * MIN - 1).model('mistral-7b', 'v1').replicas).toBe(1);
  });

  it('starts a later ramp from where an unfinished earlier one had got to', () => {
    // At 15m the first ramp had reached 22; the second goes from 22 to 2 over 10 minutes.
    expect(rate(15)).toBeCloseTo(22, 9);
    expect(rate(20)).toBeCloseTo(12, 9);
    expect(rate(25)).toBe(2);
    expect(rate(600)).toBe(2);
    expect(timeline.knobsAt(15 * MIN).queue.consumers).toBe(0);
  });

  it('names the phase in force', () => {
    expect(timeline.phaseAt(-1)).toBeUndefined();
    expect(timeline.phaseAt(0)).toBe('start');
    expect(timeline.phaseAt(14 * MIN)).toBe('up');
    expect(timeline.phaseAt(60 * MIN)).toBe('turn');
  });

  it('has a default inside the bounds of every knob', () => {
    for (const k of KNOB_SPECS.values()) {
      expect(k.defaultValue, k.path).toBeGreaterThanOrEqual(k.min);
      expect(k.defaultValue, k.path).toBeLessThanOrEqual(k.max);
      if (k.integer) expect(Number.isInteger(k.defaultValue), k.path).toBe(true);
    }
  });
});
