import { describe, expect, it } from 'vitest';
import { loadAlertingConfig } from '../../../alerting/config/load.js';
import { buildRouteTree } from '../../../alerting/route/route.js';
import { LabelArgError, parseLabelArgs, routeJSON, routeTest, VERIFY_MISMATCH } from '../../../alerting/route/routetest.js';

describe('parseLabelArgs', () => {
  it('reads name=value, quoted values with escapes, and lets a later name win', () => {
    const labels = parseLabelArgs(['team=ml', 'note="a, b \\"c\\""', 'team=infra', 'empty=', 'x = y ']);
    expect(labels.toRecord()).toEqual({ team: 'infra', note: 'a, b "c"', x: 'y' });
  });

  it('refuses other operators and what does not parse, as amtool does', () => {
    expect(() => parseLabelArgs(['env=~prod'])).toThrow(LabelArgError);
    expect(() => parseLabelArgs(['env=~prod'])).toThrow('Failed to parse labels: labels must be specified as key=value pairs (got "env=~prod")');
    expect(() => parseLabelArgs(['{a=b}'])).toThrow('Failed to parse labels: bad matcher format: {a=b}');
    expect(() => parseLabelArgs(['a="x'])).toThrow('Failed to parse labels: matcher value contains unescaped double quote: "x');
  });
});

describe('routeTest', () => {
  const root = buildRouteTree(
    loadAlertingConfig(
      'am.yml',
      `route:
  receiver: root
  routes:
    - {receiver: a, matchers: [team="ml"], continue: true, group_by: ['...'], mute_time_intervals: [n]}
    - {receiver: b, matchers: [team=~"ml|infra"]}
receivers: [{name: root}, {name: a}, {name: b}]
time_intervals: [{name: n}]
`,
    ).config,
  );
  const ml = parseLabelArgs(['team=ml']);

  it('prints the receivers joined by commas', () => {
    expect(routeTest(root, ml)).toMatchObject({ receivers: ['a', 'b'], stdout: 'a,b\n', verified: true });
  });

  it('prints the matching tree and a blank line first with tree', () => {
    expect(routeTest(root, ml, { tree: true }).stdout).toBe(
      'Matching routes:\n.\n└── default-route\n    ├── {team="ml"}  receiver: a\n    └── {team=~"ml|infra"}  receiver: b\n\n\na,b\n',
    );
  });

  it('verifies the exact comma-joined list; an empty expectation checks nothing', () => {
    expect(routeTest(root, ml, { verify: 'a,b' }).verified).toBe(true);
    expect(routeTest(root, ml, { verify: '' }).verified).toBe(true);
    const wrong = routeTest(root, ml, { verify: 'b,a' });
    expect(wrong.verified).toBe(false);
    expect(wrong.stdout).toBe(`a,b\n${VERIFY_MISMATCH}`);
  });

  it('describes a matched route for --json', () => {
    expect(routeJSON(routeTest(root, ml).routes[0]!)).toEqual({
      receiver: 'a',
      key: '{}/{team="ml"}',
      groupBy: [],
      groupByAll: true,
      groupWait: '30s',
      groupInterval: '5m',
      repeatInterval: '4h',
      muteTimeIntervals: ['n'],
      activeTimeIntervals: [],
      continue: true,
    });
  });
});
