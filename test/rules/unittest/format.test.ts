import { describe, expect, it } from 'vitest';
import { Labels } from '../../../model/labels.js';
import { compareAlerts, compareSamples, expectedAlerts } from '../../../rules/unittest/compare.js';
import { alertFailureText, exprErrorText, exprFailureText, goFloatE, goTimeDuration, promDuration, ruleErrorText } from '../../../rules/unittest/format.js';

describe('promtool 2.42 text', () => {
  it('formats floats as strconv.FormatFloat(v, E, -1, 64)', () => {
    expect([11, 10, 1, 0, -0, 0.3333, 1 / 3, 4.997501249375321e-4, 1e21, -2.5e-7, NaN, Infinity, -Infinity].map(goFloatE)).toEqual([
      '1.1E+01',
      '1E+01',
      '1E+00',
      '0E+00',
      '-0E+00',
      '3.333E-01',
      '3.333333333333333E-01',
      '4.997501249375321E-04',
      '1E+21',
      '-2.5E-07',
      'NaN',
      '+Inf',
      '-Inf',
    ]);
  });

  it('formats durations as Go time.Duration (rule errors) and model.Duration (eval times)', () => {
    expect([0, 500, 1500, 60_000, 90_000, 3_900_000, 86_400_000].map(goTimeDuration)).toEqual(['0s', '500ms', '1.5s', '1m0s', '1m30s', '1h5m0s', '24h0m0s']);
    expect([0, 330_000, 3_900_000, 86_400_000].map(promDuration)).toEqual(['0s', '5m30s', '1h5m', '1d']);
  });

  it('renders an alert failure exactly as promtool does (measured: /work/shared/reference/promtool.md)', () => {
    const exp = expectedAlerts('SLOErrorBudgetBurnFast', [{ labels: { service: 'checkout', severity: 'page' }, annotations: {} }]);
    expect(alertFailureText('', 'SLOErrorBudgetBurnFast', 65 * 60_000, exp, [])).toBe(
      [
        '    alertname: SLOErrorBudgetBurnFast, time: 1h5m, ',
        '        exp:[',
        '            0:',
        '              Labels:{alertname="SLOErrorBudgetBurnFast", service="checkout", severity="page"}',
        '              Annotations:{}',
        '            ], ',
        '        got:[]',
      ].join('\n'),
    );
  });

  it('numbers several alerts and names the test group, as promtool 2.42 printed them', () => {
    const a = { labels: Labels.from({ alertname: 'A', job: 'a' }), annotations: Labels.EMPTY };
    const b = { labels: Labels.from({ alertname: 'A', job: 'b' }), annotations: Labels.from({ summary: 'x "y"' }) };
    expect(alertFailureText('grp', 'A', 330_000, [a], [a, b])).toBe(
      [
        '    name: grp,',
        '    alertname: A, time: 5m30s, ',
        '        exp:[',
        '            0:',
        '              Labels:{alertname="A", job="a"}',
        '              Annotations:{}',
        '            ], ',
        '        got:[',
        '            0:',
        '              Labels:{alertname="A", job="a"}',
        '              Annotations:{},',
        '            1:',
        '              Labels:{alertname="A", job="b"}',
        '              Annotations:{summary="x \\"y\\""}',
        '            ]',
      ].join('\n'),
    );
  });

  it('renders expression failures and errors as promtool does', () => {
    const l = Labels.from({ __name__: 'job:x', job: 'a' });
    expect(exprFailureText('job:x', 600_000, [{ labels: l, value: 11 }], [{ labels: l, value: 10 }])).toBe(
      '    expr: "job:x", time: 10m,\n        exp: {__name__="job:x", job="a"} 1.1E+01\n        got: {__name__="job:x", job="a"} 1E+01',
    );
    expect(exprFailureText('ALERTS', 600_000, [], [{ labels: l, value: 1 }])).toContain('exp: nil\n');
    expect(exprErrorText('x', 60_000, 'boom')).toBe('    expr: "x", time: 1m, err: boom');
    expect(ruleErrorText('bad', 0, 'many-to-many')).toBe('    rule: bad, time: 0s, err: many-to-many');
  });
});

describe('comparison', () => {
  it('ignores order, adds alertname, and compares annotations in full', () => {
    const exp = expectedAlerts('A', [{ labels: { job: 'b' }, annotations: {} }, { labels: { job: 'a' }, annotations: { s: '1' } }]);
    const got = [
      { labels: Labels.from({ alertname: 'A', job: 'a' }), annotations: Labels.from({ s: '1' }) },
      { labels: Labels.from({ alertname: 'A', job: 'b' }), annotations: Labels.EMPTY },
    ];
    expect(compareAlerts(exp, got).equal).toBe(true);
    const wrongAnnotation = [got[0]!, { ...got[1]!, annotations: Labels.from({ s: '2' }) }];
    expect(compareAlerts(exp, wrongAnnotation).equal).toBe(false);
    expect(compareAlerts(exp, got.slice(1)).equal).toBe(false);
    expect(compareAlerts([], []).equal).toBe(true);
  });

  it('compares values exactly: NaN never equals NaN, and the last bit counts (promtool 2.42)', () => {
    const l = Labels.from({ job: 'a' });
    expect(compareSamples([{ labels: l, value: 0.3 }], [{ labels: l, value: 0.3 }]).equal).toBe(true);
    expect(compareSamples([{ labels: l, value: 0.3 }], [{ labels: l, value: 0.1 + 0.2 }]).equal).toBe(false);
    expect(compareSamples([{ labels: l, value: NaN }], [{ labels: l, value: NaN }]).equal).toBe(false);
    expect(compareSamples([{ labels: l, value: 0 }], [{ labels: l, value: -0 }]).equal).toBe(true);
    expect(compareSamples([{ labels: Labels.from({ __name__: 'x', job: 'a' }), value: 1 }], [{ labels: l, value: 1 }]).equal).toBe(false);
  });
});
