import { readFile } from 'node:fs/promises';
import { formatDuration } from '../../util/duration.js';
import { type Field, readYaml, SourceError } from '../../util/yamlreader.js';
import { BATCH_KNOBS, KNOB_SPECS, type KnobValues, MODEL_KNOBS, QUEUE_KNOBS, QUOTA_KNOBS } from './knobs.js';
import { MODELS } from './topology.js';

/**
 * Phase is one step of a scenario's timeline: from `atMs` after the start, the knobs in `set` move
 * to their new values (linearly over `rampMs` for fractional knobs; at once for whole numbers).
 */
export interface Phase {
  readonly name: string;
  readonly atMs: number;
  readonly rampMs: number;
  /** set holds only the knobs this phase changes, by path (see knobs.ts). */
  readonly set: KnobValues;
}

/**
 * Scenario is a validated scenario file: a seeded timeline of phases over the platform of
 * topology.ts. `tickMs` is the model's resolution: counters and histograms advance in steps of
 * it, and a body rendered at time t shows the state of the last tick at or before t, so the same
 * scenario, seed and start give the same values however often they are sampled.
 */
export interface Scenario {
  readonly file: string;
  readonly name: string;
  readonly description: string;
  readonly seed: number;
  readonly tickMs: number;
  /** durationMs is how long the scenario is meant to run (the default of `vigil simulate --duration`). */
  readonly durationMs: number | undefined;
  readonly phases: readonly Phase[];
}

const DEFAULT_TICK_MS = 5_000;
const MIN_TICK_MS = 1_000;
const MAX_TICK_MS = 60_000;

/**
 * parseScenario reads a scenario file's text. Every problem is reported with file:line:column and
 * the field path (unknown keys included, with a suggestion for likely typos), all at once, in a
 * SourceError.
 *
 *   name: bad-rollout                  # required
 *   description: ...                   # optional
 *   seed: 7                            # PRNG seed, default 1
 *   tick: 5s                           # model resolution, 1s..1m, default 5s
 *   duration: 2h                       # how long to run it, optional
 *   phases:                            # required, in time order
 *     - name: rollout                  # required, unique
 *       at: 30m                        # offset from the start, required
 *       ramp: 10m                      # optional, default 0s
 *       set:                           # the knobs that change (knobs.ts lists them all)
 *         models:
 *           llama-3-70b:
 *             v2: {request_rate: 3, error_ratio: 0.04, latency_multiplier: 2.5}
 *         batch: {workers: 2}
 *         queue: {publish_rate: 60, consumers: 1}
 *         quota: {gpu_hard: 12}
 */
export function parseScenario(file: string, text: string): Scenario {
  try {
    return decodeScenario(file, text);
  } catch (err) {
    // Issues are found field by field; a reader fixes a file top to bottom.
    if (err instanceof SourceError) throw new SourceError([...err.issues].sort((a, b) => a.line - b.line || a.column - b.column));
    throw err;
  }
}

function decodeScenario(file: string, text: string): Scenario {
  return readYaml(file, text, (root) => {
    const obj = root.object(['name', 'description', 'seed', 'tick', 'duration', 'phases']);
    if (obj === undefined) {
      // A non-mapping root was reported by object(); an empty file says nothing by itself.
      if (!root.present) root.fail('empty scenario: expected a mapping with name and phases');
      return undefined as never;
    }
    obj.require('name', 'phases');
    const name = obj.get('name').string() ?? '';
    const description = obj.get('description').string() ?? '';
    const seed = obj.get('seed').int({ min: 0 }) ?? 1;
    const tickField = obj.get('tick');
    let tickMs = tickField.duration() ?? DEFAULT_TICK_MS;
    if (tickMs < MIN_TICK_MS || tickMs > MAX_TICK_MS) {
      tickField.fail(`tick must be between ${formatDuration(MIN_TICK_MS)} and ${formatDuration(MAX_TICK_MS)}, got ${formatDuration(tickMs)}`);
      tickMs = DEFAULT_TICK_MS;
    }
    const durationField = obj.get('duration');
    const durationMs = durationField.duration();
    if (durationMs !== undefined && durationMs <= 0) durationField.fail('duration must be positive');
    const phasesField = obj.get('phases');
    const items = phasesField.list((f) => f);
    if (items !== undefined && items.length === 0) phasesField.fail('a scenario needs at least one phase');
    const phases = (items ?? []).map(decodePhase).filter((p): p is DecodedPhase => p !== undefined);
    checkOrder(phases, durationMs);
    return { file, name, description, seed, tickMs, durationMs, phases: phases.map((p) => p.phase) };
  });
}

/** loadScenario reads and validates a scenario file; it throws SourceError, or an Error when unreadable. */
export async function loadScenario(file: string): Promise<Scenario> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new Error(`cannot read scenario ${file}: ${err.code ?? err.message}`);
  });
  return parseScenario(file, text);
}


interface DecodedPhase {
  readonly phase: Phase;
  readonly field: Field;
  readonly atField: Field;
}

function decodePhase(f: Field): DecodedPhase | undefined {
  const obj = f.object(['name', 'at', 'ramp', 'set']);
  if (obj === undefined) return f.present ? undefined : f.expected('a phase (a mapping with name and at)');
  obj.require('name', 'at');
  const name = obj.get('name').string();
  const atField = obj.get('at');
  const atMs = atField.duration();
  const rampMs = obj.get('ramp').duration() ?? 0;
  const set = new Map<string, number>();
  decodeSet(obj.get('set'), set);
  if (name === undefined || atMs === undefined) return undefined;
  return { phase: { name, atMs, rampMs, set }, field: f, atField };
}

function decodeSet(f: Field, out: Map<string, number>): void {
  const obj = f.object(['models', 'batch', 'queue', 'quota']);
  if (obj === undefined) return;
  const models = obj.get('models').object(MODELS.map((m) => m.model));
  for (const m of MODELS) {
    const versions = models?.get(m.model).object(m.versions.map((v) => v.version));
    for (const v of m.versions) decodeKnobs(versions?.get(v.version), `models.${m.model}.${v.version}.`, MODEL_KNOBS, out);
  }
  decodeKnobs(obj.get('batch'), 'batch.', BATCH_KNOBS, out);
  decodeKnobs(obj.get('queue'), 'queue.', QUEUE_KNOBS, out);
  decodeKnobs(obj.get('quota'), 'quota.', QUOTA_KNOBS, out);
}

function decodeKnobs(f: Field | undefined, prefix: string, names: readonly string[], out: Map<string, number>): void {
  const obj = f?.object(names);
  if (obj === undefined) return;
  for (const name of names) {
    const field = obj.get(name);
    const value = field.number();
    if (value === undefined) continue;
    const spec = KNOB_SPECS.get(prefix + name)!;
    if (spec.integer && !Number.isInteger(value)) {
      field.expected(`a whole number for ${name}`);
      continue;
    }
    if (value < spec.min || value > spec.max) {
      field.fail(`${name} must be between ${spec.min} and ${spec.max}, got ${value}`);
      continue;
    }
    out.set(prefix + name, value);
  }
}

/** checkOrder: phases start in time order, have unique names, and start within the duration. */
function checkOrder(phases: readonly DecodedPhase[], durationMs: number | undefined): void {
  const names = new Set<string>();
  let previous: DecodedPhase | undefined;
  for (const p of phases) {
    if (names.has(p.phase.name)) p.field.fail(`phase name ${JSON.stringify(p.phase.name)} is used twice`);
    names.add(p.phase.name);
    if (previous !== undefined && p.phase.atMs < previous.phase.atMs) {
      p.atField.fail(`phase ${JSON.stringify(p.phase.name)} starts at ${formatDuration(p.phase.atMs)}, before the previous phase (${formatDuration(previous.phase.atMs)}): list phases in time order`);
    }
    if (durationMs !== undefined && p.phase.atMs >= durationMs) {
      p.atField.fail(`phase ${JSON.stringify(p.phase.name)} starts at ${formatDuration(p.phase.atMs)}, not before the scenario's duration (${formatDuration(durationMs)})`);
    }
    previous = p;
  }
}
