import { engineQuery } from '../../../cli/adapters.js';
import { Labels } from '../../../model/labels.js';
import { Engine } from '../../../promql/engine.js';
import { RuleManager, type RuleManagerOptions } from '../../../rules/eval/index.js';
import type { AlertingRule, Alert, RecordingRule, Rule, RuleGroup } from '../../../rules/model.js';
import { Head } from '../../../tsdb/index.js';
import { VirtualClock } from '../../../util/clock.js';

export const MIN = 60_000;

/** Fixture is a real Head store, the real engine through engineQuery, and a VirtualClock. */
export interface Fixture {
  readonly clock: VirtualClock;
  readonly head: Head;
  readonly sent: Alert[][];
  /** load appends `name{labels}` = value(t) every 15s over [from, to] (ms). */
  load(series: Record<string, string>, from: number, to: number, value: (t: number) => number): void;
  manager(groups: RuleGroup[], opts?: Partial<RuleManagerOptions>): RuleManager;
}

export function fixture(start = 0): Fixture {
  const clock = new VirtualClock(start);
  const head = new Head({ retentionMs: 1e13, clock });
  const sent: Alert[][] = [];
  const queryFn = engineQuery(new Engine({ now: () => clock.now() }), head);
  return {
    clock,
    head,
    sent,
    load(series, from, to, value) {
      const labels = Labels.from(series);
      const app = head.appender();
      for (let t = from; t <= to; t += 15_000) app.append(labels, t, value(t));
      app.commit();
    },
    manager(groups, opts = {}) {
      return new RuleManager({
        groups,
        queryFn,
        appendable: head,
        queryable: head,
        notify: (alerts) => void sent.push([...alerts]),
        clock,
        restore: false,
        externalURL: 'http://vigil.test:9470',
        ...opts,
      });
    },
  };
}

export function group(name: string, rules: Rule[], extra: Partial<RuleGroup> = {}): RuleGroup {
  return { name, intervalMs: MIN, limit: 0, queryOffsetMs: 0, labels: {}, rules, source: { file: '/rules/test.yaml', line: 1, column: 1, path: 'groups[0]' }, ...extra };
}

export function alerting(alert: string, expr: string, extra: Partial<AlertingRule> = {}): AlertingRule {
  return { kind: 'alerting', alert, expr, forMs: 0, keepFiringForMs: 0, labels: {}, annotations: {}, ...extra };
}

export function recording(record: string, expr: string, labels: Record<string, string> = {}): RecordingRule {
  return { kind: 'recording', record, expr, labels };
}
