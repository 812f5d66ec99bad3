import { defaultKnobs, KNOB_SPECS, Knobs } from './knobs.js';
import type { Scenario } from './scenario.js';

/** Segment is one knob's move: from `from` at `at` to `to` at `at + ramp` (ms from the start). */
interface Segment {
  readonly at: number;
  readonly ramp: number;
  readonly from: number;
  readonly to: number;
}

/**
 * Timeline answers "what is every knob at this offset from the scenario's start". A knob starts at
 * its default and follows the phases that set it; a ramp starts from wherever the knob is when
 * its phase begins (even mid-way through an earlier ramp), so phases compose.
 */
export class Timeline {
  private readonly segments = new Map<string, Segment[]>();
  private readonly phaseStarts: readonly { name: string; at: number }[];

  constructor(scenario: Scenario) {
    for (const [path, v] of defaultKnobs()) this.segments.set(path, [{ at: -Infinity, ramp: 0, from: v, to: v }]);
    for (const phase of scenario.phases) {
      for (const [path, to] of phase.set) {
        const list = this.segments.get(path)!;
        const integer = KNOB_SPECS.get(path)?.integer ?? false;
        list.push({ at: phase.atMs, ramp: integer ? 0 : phase.rampMs, from: valueAt(list, phase.atMs), to });
      }
    }
    this.phaseStarts = scenario.phases.map((p) => ({ name: p.name, at: p.atMs }));
  }

  /** knobsAt is every knob at `offsetMs` after the start (negative offsets read the defaults' side). */
  knobsAt(offsetMs: number): Knobs {
    const values = new Map<string, number>();
    for (const [path, list] of this.segments) values.set(path, valueAt(list, offsetMs));
    return new Knobs(values);
  }

  /** phaseAt is the name of the phase in force at `offsetMs`, or undefined before the first. */
  phaseAt(offsetMs: number): string | undefined {
    let name: string | undefined;
    for (const p of this.phaseStarts) if (p.at <= offsetMs) name = p.name;
    return name;
  }
}

function valueAt(list: readonly Segment[], t: number): number {
  for (let i = list.length - 1; i >= 0; i--) {
    const s = list[i]!;
    if (s.at > t) continue;
    if (s.ramp <= 0 || t >= s.at + s.ramp) return s.to;
    return s.from + ((s.to - s.from) * (t - s.at)) / s.ramp;
  }
  return list[0]!.to;
}
