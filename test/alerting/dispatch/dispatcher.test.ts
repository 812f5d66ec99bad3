import { describe, expect, it } from 'vitest';
import { loadAlertingConfig } from '../../../alerting/config/load.js';
import { groupKey, groupLabels } from '../../../alerting/dispatch/dispatcher.js';
import { buildRouteTree } from '../../../alerting/route/route.js';
import { Labels } from '../../../model/labels.js';
import { mulberry32 } from '../../support/prng.js';

const root = buildRouteTree(
  loadAlertingConfig(
    'am.yml',
    `route:
  receiver: r
  group_by: [namespace, alertname]
  routes:
    - matchers: [team="ml"]
      group_by: ['...']
    - matchers: [team="infra"]
      group_by: []
receivers: [{ name: r }]
`,
  ).config,
);

describe('groupKey', () => {
  it("is the route's key and groupLabels(...).toString(), for group_by lists, '...' and none", () => {
    const rnd = mulberry32(11);
    const values = ['', 'ml', 'infra', 'x', 'say "hi"', 'a\nb', 'C:\\temp', 'é', ' spaced '];
    const pick = () => values[Math.floor(rnd() * values.length)]!;
    let checked = 0;
    for (let i = 0; i < 400; i++) {
      const labels = Labels.from({ alertname: pick(), namespace: pick(), team: pick(), zone: pick() });
      for (const route of root.match(labels)) {
        expect(groupKey(route, labels)).toBe(`${route.key}:${groupLabels(labels, route.opts).toString()}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(400);
  });
});
