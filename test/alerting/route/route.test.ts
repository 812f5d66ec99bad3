import { describe, expect, it } from 'vitest';
import { loadAlertingConfig } from '../../../alerting/config/load.js';
import { buildRouteTree } from '../../../alerting/route/route.js';
import type { Route } from '../../../alerting/route/types.js';
import { Labels } from '../../../model/labels.js';

function tree(yaml: string): Route {
  return buildRouteTree(loadAlertingConfig('am.yml', yaml).config);
}

const receivers = (root: Route, labels: Record<string, string>) => root.match(Labels.from(labels)).map((r) => r.opts.receiver);

describe('buildRouteTree: inheritance (Alertmanager NewRoute)', () => {
  const root = tree(`route:
  receiver: root
  group_by: [cluster, alertname]
  group_wait: 10s
  repeat_interval: 1h
  routes:
    - matchers: [team="ml"]
      group_interval: 2m
      mute_time_intervals: [nights]
      routes:
        - matchers: [severity="page"]
          receiver: pager
        - matchers: [severity="ticket"]
          group_by: ['...']
          active_time_intervals: [days]
          routes:
            - matchers: [env="prod"]
              group_by: [namespace, alertname, cluster]
receivers: [{name: root}, {name: pager}]
time_intervals: [{name: nights}, {name: days}]
`);
  const ml = root.routes[0]!;
  const page = ml.routes[0]!;
  const ticket = ml.routes[1]!;
  const prod = ticket.routes[0]!;

  it('gives the root Alertmanager defaults for what it leaves unset', () => {
    expect(root.opts).toEqual({
      receiver: 'root',
      groupBy: ['alertname', 'cluster'],
      groupByAll: false,
      groupWait: 10_000,
      groupInterval: 300_000,
      repeatInterval: 3_600_000,
      muteTimeIntervals: [],
      activeTimeIntervals: [],
    });
  });

  it('inherits receiver, group_by and timers from the parent when unset', () => {
    expect(ml.opts).toMatchObject({ receiver: 'root', groupBy: ['alertname', 'cluster'], groupWait: 10_000, groupInterval: 120_000, repeatInterval: 3_600_000 });
    expect(page.opts).toMatchObject({ receiver: 'pager', groupInterval: 120_000 });
  });

  it('never inherits mute or active time intervals', () => {
    expect(ml.opts.muteTimeIntervals).toEqual(['nights']);
    expect(page.opts.muteTimeIntervals).toEqual([]);
    expect(ticket.opts.activeTimeIntervals).toEqual(['days']);
    expect(prod.opts.activeTimeIntervals).toEqual([]);
    expect(prod.opts.muteTimeIntervals).toEqual([]);
  });

  it("group_by ['...'] sets groupByAll and keeps the parent's labels; naming labels again clears it", () => {
    expect(ticket.opts).toMatchObject({ groupByAll: true, groupBy: ['alertname', 'cluster'] });
    expect(prod.opts).toMatchObject({ groupByAll: false, groupBy: ['alertname', 'cluster', 'namespace'] });
  });

  it('links each node to its parent', () => {
    expect(root.parent).toBeUndefined();
    expect(prod.parent).toBe(ticket);
  });
});

describe('Route.key', () => {
  it('is the chain of matcher sets from the root, sorted within a node', () => {
    const root = tree(`route:
  receiver: r
  routes:
    - matchers: [team="ml"]
      routes:
        - match: {severity: page}
          matchers: ['alertname=~"GPU.*"']
    - {}
receivers: [{name: r}]
`);
    expect(root.key).toBe('{}');
    expect(root.routes[0]!.key).toBe('{}/{team="ml"}');
    expect(root.routes[0]!.routes[0]!.key).toBe('{}/{team="ml"}/{alertname=~"GPU.*",severity="page"}');
    expect(root.routes[1]!.key).toBe('{}/{}');
  });

  it('escapes backslash, newline and quote in values, and shows match_re anchored', () => {
    const root = tree(`route:
  receiver: r
  routes:
    - matchers: ['note="say \\"hi\\" \\n"']
    - match_re: {path: '/api/.*'}
receivers: [{name: r}]
`);
    expect(root.routes[0]!.key).toBe('{}/{note="say \\"hi\\" \\n"}');
    expect(root.routes[1]!.key).toBe('{}/{path=~"^(?:/api/.*)$"}');
  });
});

describe('Route.match (R2)', () => {
  const root = tree(`route:
  receiver: root
  routes:
    - receiver: a
      matchers: [env="prod"]
      continue: true
      routes:
        - {receiver: a-gpu, matchers: ['gpu=~"a100|h100"']}
        - {receiver: a-nogpu, matchers: ['gpu=""']}
    - receiver: b
      matchers: ['env=~"prod|staging"', 'severity!="info"']
      continue: true
    - {receiver: a, matchers: [tier="gold"]}
    - {receiver: never, matchers: [env="prod"]}
receivers: [{name: root}, {name: a}, {name: a-gpu}, {name: a-nogpu}, {name: b}, {name: never}]
`);

  it('returns the deepest matches in depth-first order; continue goes on to later siblings', () => {
    expect(receivers(root, { env: 'prod', gpu: 'h100' })).toEqual(['a-gpu', 'b', 'never']);
  });

  it('anchors regular expressions and falls back to the parent when no child matches', () => {
    expect(receivers(root, { env: 'prod', gpu: 'h100x' })).toEqual(['a', 'b', 'never']);
  });

  it('matches an absent label as ""', () => {
    expect(receivers(root, { env: 'prod' })).toEqual(['a-nogpu', 'b', 'never']);
    expect(receivers(root, { env: 'staging' })).toEqual(['b']);
  });

  it('keeps duplicates, and a match without continue stops its later siblings', () => {
    expect(receivers(root, { env: 'prod', tier: 'gold' })).toEqual(['a-nogpu', 'b', 'a']);
  });

  it('returns the root when nothing below matches', () => {
    expect(receivers(root, { env: 'staging', severity: 'info' })).toEqual(['root']);
    expect(receivers(root, {})).toEqual(['root']);
  });

  it('returns [] from a node whose own matchers fail', () => {
    expect(root.routes[0]!.match(Labels.from({ env: 'dev' }))).toEqual([]);
  });
});
