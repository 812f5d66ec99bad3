import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isolatedTelemetry } from '../../../cli/telemetry.js';
import { groupOffsetNs, slotAtOrBefore } from '../../../rules/eval/slot.js';
import type { QueryFn } from '../../../rules/model.js';
import type { RuleMetrics } from '../../../rules/telemetry.js';
import { alerting, fixture, group, MIN, recording } from './fixture.js';

describe('group slots', () => {
  it('match Prometheus: a group `slotcheck` in /tmp/promcheck/rules.yml with a 10s interval evaluates at 4.823s past each 10s (measured on Prometheus 2.42)', () => {
    const offset = groupOffsetNs('/tmp/promcheck/rules.yml', 'slotcheck', 10_000);
    const slot = slotAtOrBefore(offset, 10_000, 1_795_794_920_000);
    expect(slot).toBe(1_795_794_914_823);
  });
});

function recordingMetrics(): RuleMetrics & { calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const add = (k: string, n = 1) => (calls[k] = (calls[k] ?? 0) + n);
  return {
    calls,
    groupAdded: () => add('groupAdded'),
    groupRemoved: () => add('groupRemoved'),
    iterations: (_g, n) => add('iterations', n),
    missed: (_g, n) => add('missed', n),
    slow: () => add('slow'),
    groupEvaluated: () => add('groupEvaluated'),
    ruleEvaluated: (_g, _s, failed) => add(failed ? 'failed' : 'ok'),
  };
}

describe('group loop on the clock', () => {
  const T0 = 1_700_000_000_000;

  it('evaluates at every slot of the group, the first one after start', async () => {
    const f = fixture(T0);
    f.load({ __name__: 'x' }, T0 - 5 * MIN, T0 + 10 * MIN, () => 1);
    const m = f.manager([group('g', [recording('x_copy', 'x')])]);
    const g = m.groups()[0]!;
    const first = g.evalSlot(T0) + MIN;
    m.start();
    await f.clock.advanceTo(first + 3 * MIN);
    await m.stop();
    const times = Object.values((await import('../../support/store.js')).dump(f.head, 'x_copy'))[0]!.map(([t]) => t);
    expect(times).toEqual([first, first + MIN, first + 2 * MIN, first + 3 * MIN]);
    expect(g.lastEvalTimestamp).toBe(first + 3 * MIN);
  });

  it('skips and counts the slots an evaluation overran, and counts it as slow', async () => {
    const f = fixture(T0);
    const metrics = recordingMetrics();
    let slowOnce = true;
    const seen: number[] = [];
    const queryFn: QueryFn = async (_expr, t) => {
      seen.push(t);
      if (slowOnce) {
        slowOnce = false;
        await f.clock.sleep(150_000); // 2.5 intervals
      }
      return [];
    };
    const m = f.manager([group('g', [recording('r', 'vector(1)')])], { queryFn, metrics });
    const first = m.groups()[0]!.evalSlot(T0) + MIN;
    m.start();
    await f.clock.advanceTo(first + 4 * MIN);
    await m.stop();
    expect(seen).toEqual([first, first + 2 * MIN, first + 3 * MIN, first + 4 * MIN]);
    expect(metrics.calls.missed).toBe(1);
    expect(metrics.calls.iterations).toBe(5); // 4 run + 1 missed, as Prometheus counts them
    expect(metrics.calls.slow).toBe(1);
  });

  it('exports vigil_rule_* telemetry through the Meter', async () => {
    const f = fixture(T0);
    f.load({ __name__: 'x' }, T0 - 5 * MIN, T0 + 5 * MIN, () => 1);
    const telemetry = isolatedTelemetry();
    const m = f.manager([group('g', [recording('ok', 'x'), recording('broken', 'x{a="1"} + on(b) group_left x')])], { meter: telemetry.meter });
    await m.evalGroupAt('g', T0);
    const server = http.createServer((req, res) => telemetry.handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const body = await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`)).text();
      for (const name of [
        'vigil_rule_evaluations_total',
        'vigil_rule_group_iterations_total',
        'vigil_rule_group_duration_seconds_bucket',
        'vigil_rule_evaluation_duration_seconds_bucket',
        'vigil_rule_group_last_duration_seconds',
        'vigil_rule_group_last_evaluation_timestamp_seconds',
        'vigil_rule_group_last_evaluation_samples',
        'vigil_rule_group_interval_seconds',
        'vigil_rule_group_rules',
      ]) {
        expect(body).toContain(name);
      }
      expect(body).toMatch(/vigil_rule_evaluations_total\{rule_group="\/rules\/test.yaml;g"\} 2/);
      expect(body).toMatch(/vigil_rule_group_rules\{rule_group="\/rules\/test.yaml;g"\} 2/);
    } finally {
      server.close();
      await telemetry.shutdown();
    }
  });

  it('restores `for` state after a restart from ALERTS_FOR_STATE (a second manager on the same store)', async () => {
    const f = fixture(T0);
    f.load({ __name__: 'errors', job: 'api' }, T0 - 5 * MIN, T0 + 120 * MIN, () => 10);
    const rule = alerting('Slow', 'errors > 5', { forMs: 30 * MIN });
    const first = f.manager([group('g', [rule])], { restore: true });
    first.start();
    await f.clock.advance(10 * MIN + 1);
    const before = first.groups()[0]!.alertingRules()[0]!.activeAlerts()[0]!;
    const lastEval = first.groups()[0]!.lastEvalTimestamp!;
    await first.stop();
    // ALERTS are written only once restored (after the second evaluation), as Prometheus does.
    const { dump } = await import('../../support/store.js');
    const forState = Object.values(dump(f.head, 'ALERTS_FOR_STATE'))[0]!;
    expect(forState.at(-1)).toEqual([lastEval, Math.floor(before.activeAt / 1000)]);

    await f.clock.advance(5 * MIN); // vigil is down for 5 minutes
    const second = f.manager([group('g', [rule])], { restore: true });
    second.start();
    const g = second.groups()[0]!;
    const slot1 = g.evalSlot(f.clock.now()) + MIN;
    await f.clock.advanceTo(slot1 + MIN); // two evaluations, then the restore
    const restoreAt = slot1 + MIN;
    const restored = g.alertingRules()[0]!.activeAlerts()[0]!;
    const downAt = Math.trunc(lastEval / 1000) * 1000;
    expect(restored.activeAt).toBe(Math.floor(before.activeAt / 1000) * 1000 + (restoreAt - downAt));
    await second.stop();
  });
});
