import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../collectors/simulate/scenario.js';
import { SourceError, type SourceIssue } from '../../../util/yamlreader.js';
import { SCENARIOS, scenario } from './helpers.js';

/** issues parses `text` and returns what it rejected, as `line:column: path: message`. */
function issues(text: string): string[] {
  try {
    parseScenario('s.yaml', text);
  } catch (err) {
    if (err instanceof SourceError) return err.issues.map((i: SourceIssue) => `${i.line}:${i.column}: ${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}

describe('scenario files', () => {
  it('finds the seven example scenarios', () => {
    expect(SCENARIOS).toEqual(['all-in-sequence', 'bad-rollout', 'cost-runaway', 'gpu-starvation', 'observability-gap', 'queue-overload', 'steady']);
  });

  it.each(SCENARIOS)('loads examples/scenarios/%s.yaml', async (name) => {
    const s = await scenario(name);
    expect(s.name).toBe(name);
    expect(s.description).not.toBe('');
    expect(s.durationMs).toBeGreaterThan(0);
    expect(s.phases[0]!.atMs).toBe(0);
    for (const p of s.phases) expect(p.atMs).toBeLessThan(s.durationMs!);
  });

  it('reads phases, ramps and knobs by path, with defaults for seed and tick', () => {
    const s = parseScenario(
      's.yaml',
      `name: x
phases:
  - name: a
    at: 0s
  - name: b
    at: 1h30m
    ramp: 10m
    set:
      models:
        mistral-7b:
          v2: {request_rate: 7.5, replicas: 2}
      queue: {consumers: 0}
`,
    );
    expect(s.seed).toBe(1);
    expect(s.tickMs).toBe(5000);
    expect(s.durationMs).toBeUndefined();
    expect(s.phases.map((p) => [p.name, p.atMs, p.rampMs])).toEqual([
      ['a', 0, 0],
      ['b', 5_400_000, 600_000],
    ]);
    expect([...s.phases[1]!.set]).toEqual([
      ['models.mistral-7b.v2.request_rate', 7.5],
      ['models.mistral-7b.v2.replicas', 2],
      ['queue.consumers', 0],
    ]);
  });

  it('rejects unknown keys with their line and column, suggesting the likely one', () => {
    expect(
      issues(`name: x
phases:
  - name: a
    at: 0s
    set:
      models:
        llama-3-70b:
          v1: {request_rat: 2}
          v3: {replicas: 2}
        gpt-4: {}
      batch: {worker: 1}
`),
    ).toEqual([
      '8:16: phases[0].set.models.llama-3-70b.v1.request_rat: unknown field "request_rat" (did you mean "request_rate"?)',
      '9:11: phases[0].set.models.llama-3-70b.v3: unknown field "v3" (did you mean "v1"?)',
      '10:9: phases[0].set.models.gpt-4: unknown field "gpt-4"',
      '11:15: phases[0].set.batch.worker: unknown field "worker" (did you mean "workers"?)',
    ]);
  });

  it('rejects values out of range and fractions where a whole number is needed', () => {
    expect(
      issues(`name: x
phases:
  - name: a
    at: 0s
    set:
      models:
        mistral-7b:
          v1: {error_ratio: 1.5, replicas: 2.5, request_rate: fast}
      quota: {gpu_hard: -1}
`),
    ).toEqual([
      '8:29: phases[0].set.models.mistral-7b.v1.error_ratio: error_ratio must be between 0 and 1, got 1.5',
      '8:44: phases[0].set.models.mistral-7b.v1.replicas: got 2.5, expected a whole number for replicas',
      '8:63: phases[0].set.models.mistral-7b.v1.request_rate: got "fast", expected a number',
      '9:25: phases[0].set.quota.gpu_hard: gpu_hard must be between 0 and 1000, got -1',
    ]);
  });

  it('rejects phases out of time order, duplicate names, phases past the duration and bad durations', () => {
    expect(
      issues(`name: x
duration: 1h
tick: 90s
phases:
  - name: a
    at: 30m
  - name: b
    at: 10m
  - name: a
    at: 2h
    ramp: soon
`),
    ).toEqual([
      '3:7: tick: tick must be between 1s and 1m, got 1m30s',
      '8:9: phases[1].at: phase "b" starts at 10m, before the previous phase (30m): list phases in time order',
      '9:5: phases[2]: phase name "a" is used twice',
      '10:9: phases[2].at: phase "a" starts at 2h, not before the scenario\'s duration (1h)',
      '11:11: phases[2].ramp: got "soon", expected a duration such as 30s, 5m or 1h30m',
    ]);
  });

  it('requires a name and phases, and says so for an empty file or an empty phase list', () => {
    expect(issues('description: nothing\n')).toEqual(['1:1: : field "name" is required', '1:1: : field "phases" is required']);
    expect(issues('')).toEqual(['1:1: : empty scenario: expected a mapping with name and phases']);
    expect(issues('name: x\nphases: []\n')).toEqual(['2:9: phases: a scenario needs at least one phase']);
    expect(issues('name: x\nphases:\n  - at: 0s\n')).toEqual(['3:5: phases[0]: field "name" is required']);
  });

  it('reports YAML syntax errors with their position', () => {
    const found = issues('name: x\nphases:\n  - name: a\n    at: [0s\n');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^\d+:\d+: : /);
  });
});
