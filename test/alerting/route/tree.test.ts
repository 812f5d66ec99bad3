import { describe, expect, it } from 'vitest';
import { loadAlertingConfig } from '../../../alerting/config/load.js';
import { buildRouteTree } from '../../../alerting/route/route.js';
import { formatMatchingTree, formatRouteTree, renderTree } from '../../../alerting/route/tree.js';
import { Labels } from '../../../model/labels.js';

const root = buildRouteTree(
  loadAlertingConfig(
    'am.yml',
    `route:
  receiver: root
  group_by: [alertname]
  routes:
    - receiver: a
      matchers: [env="prod"]
      continue: true
      routes:
        - {receiver: a1, matchers: [x="1"]}
        - {receiver: a2, matchers: [z="1"]}
    - receiver: b
      matchers: ['env=~"prod|dev"']
    - receiver: c
receivers: [{name: root}, {name: a}, {name: a1}, {name: a2}, {name: b}, {name: c}]
`,
  ).config,
);

// Lines under a non-last child continue with '│' and two no-break spaces, as treeprint draws them.
const BAR = '│\u00a0\u00a0 ';

describe('formatRouteTree (amtool config routes show)', () => {
  it('prints every node with continue and receiver, never the grouping (amtool 0.25)', () => {
    expect(formatRouteTree(root)).toBe(
      [
        '.',
        '└── default-route  receiver: root',
        '    ├── {env="prod"}  continue: true  receiver: a',
        `    ${BAR}├── {x="1"}  receiver: a1`,
        `    ${BAR}└── {z="1"}  receiver: a2`,
        '    ├── {env=~"prod|dev"}  receiver: b',
        '    └── default-route  receiver: c',
        '',
      ].join('\n'),
    );
  });
});

describe('formatMatchingTree (amtool config routes test --tree)', () => {
  it('prints the matched paths, receivers on the matched nodes only', () => {
    expect(formatMatchingTree(root, Labels.from({ env: 'prod', x: '1' }))).toBe(
      ['.', '└── default-route', '    ├── {env="prod"}', `    ${BAR}└── {x="1"}  receiver: a1`, '    └── {env=~"prod|dev"}  receiver: b', ''].join('\n'),
    );
  });

  it('shows a matched catch-all child as default-route', () => {
    expect(formatMatchingTree(root, Labels.EMPTY)).toBe(['.', '└── default-route', '    └── default-route  receiver: c', ''].join('\n'));
  });
});

describe('renderTree', () => {
  it('draws an empty tree as its root alone', () => {
    expect(renderTree([])).toBe('.\n');
  });
});
