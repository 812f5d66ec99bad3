import { describe, expect, it } from 'vitest';
import { parseMatcher } from '../../../alerting/config/matchers.js';
import type { InhibitRuleConfig } from '../../../alerting/config/types.js';
import { fingerprint } from '../../../alerting/fingerprint.js';
import { Inhibitor } from '../../../alerting/inhibit/inhibitor.js';
import type { Alert } from '../../../alerting/types.js';
import { Labels } from '../../../model/labels.js';

const T0 = Date.UTC(2024, 4, 1, 12);
const MIN = 60_000;

function rule(source: string[], target: string[], equal: string[] = []): InhibitRuleConfig {
  return { position: { line: 1, column: 1 }, sourceMatchers: source.map(parseMatcher), targetMatchers: target.map(parseMatcher), equal };
}

function alert(labels: Record<string, string>, endsAt = T0 + 5 * MIN): Alert {
  return { labels: Labels.from(labels), annotations: Labels.EMPTY, startsAt: T0 - MIN, endsAt, generatorURL: '', updatedAt: T0, timeout: false };
}

const L = (r: Record<string, string>) => Labels.from(r);

describe('Inhibitor (I1)', () => {
  const critical = rule(['severity="critical"'], ['severity="warning"'], ['alertname', 'cluster']);

  it('mutes a target when a firing source matches and every equal label is equal', () => {
    const ih = new Inhibitor([critical]);
    ih.observe(alert({ alertname: 'Down', cluster: 'eu', severity: 'critical' }));
    expect(ih.mutes(L({ alertname: 'Down', cluster: 'eu', severity: 'warning' }), T0)).toBe(true);
    expect(ih.mutes(L({ alertname: 'Down', cluster: 'us', severity: 'warning' }), T0)).toBe(false); // cluster differs
    expect(ih.mutes(L({ alertname: 'Down', cluster: 'eu', severity: 'info' }), T0)).toBe(false); // not a target
    expect(ih.mutes(L({ alertname: 'Down', cluster: 'eu', severity: 'critical' }), T0)).toBe(false); // the source itself
  });

  it('treats an absent equal label as "": absent on both sides is equal, absent on one side is not', () => {
    const ih = new Inhibitor([critical]);
    ih.observe(alert({ alertname: 'Down', severity: 'critical' })); // no cluster
    expect(ih.mutes(L({ alertname: 'Down', severity: 'warning' }), T0)).toBe(true);
    expect(ih.mutes(L({ alertname: 'Down', cluster: '', severity: 'warning' }), T0)).toBe(true);
    expect(ih.mutes(L({ alertname: 'Down', cluster: 'eu', severity: 'warning' }), T0)).toBe(false);
  });

  it('applies a rule without equal labels to every target', () => {
    const ih = new Inhibitor([rule(['alertname="ClusterDown"'], ['alertname!="ClusterDown"'])]);
    ih.observe(alert({ alertname: 'ClusterDown' }));
    expect(ih.mutes(L({ alertname: 'HighLatency', job: 'api' }), T0)).toBe(true);
    expect(ih.mutes(L({ alertname: 'ClusterDown' }), T0)).toBe(false);
  });

  it('stops inhibiting when the source resolves, and forgets it on forget()', () => {
    const ih = new Inhibitor([critical]);
    const source = { alertname: 'Down', cluster: 'eu', severity: 'critical' };
    const target = L({ alertname: 'Down', cluster: 'eu', severity: 'warning' });
    ih.observe(alert(source, T0 + 5 * MIN));
    expect(ih.mutes(target, T0 + 5 * MIN - 1)).toBe(true);
    expect(ih.mutes(target, T0 + 5 * MIN)).toBe(false); // endsAt <= now: resolved
    // An update that resolves the source (as the alert store sends it) ends the inhibition at once.
    ih.observe(alert(source, T0));
    expect(ih.mutes(target, T0)).toBe(false);
    ih.observe(alert(source, T0 + 10 * MIN)); // fires again
    expect(ih.mutes(target, T0)).toBe(true);
    ih.forget(fingerprint(L(source)));
    expect(ih.mutes(target, T0)).toBe(false);
  });

  it('uses regex source and target matchers, anchored', () => {
    const ih = new Inhibitor([rule(['alertname=~"Node(Down|Unreachable)"'], ['alertname=~"Disk.*"'], ['instance'])]);
    ih.observe(alert({ alertname: 'NodeDown', instance: 'db1' }));
    ih.observe(alert({ alertname: 'XNodeDown', instance: 'db2' })); // not a source: anchored
    expect(ih.mutes(L({ alertname: 'DiskFull', instance: 'db1' }), T0)).toBe(true);
    expect(ih.mutes(L({ alertname: 'DiskFull', instance: 'db2' }), T0)).toBe(false);
  });
});

describe('Inhibitor (I2: alerts matching both sides)', () => {
  // Every alert with severity set is both a source and a target of this rule.
  const both = rule(['severity=~".+"'], ['severity=~".+"'], ['cluster']);

  it('an alert matching both sides is not inhibited by itself or by alerts that also match both sides', () => {
    const ih = new Inhibitor([both]);
    const a = { alertname: 'A', cluster: 'eu', severity: 'page' };
    const b = { alertname: 'B', cluster: 'eu', severity: 'page' };
    ih.observe(alert(a));
    ih.observe(alert(b));
    expect(ih.mutes(L(a), T0)).toBe(false);
    expect(ih.mutes(L(b), T0)).toBe(false);
  });

  it('but is inhibited by a source that matches only the source side', () => {
    const ih = new Inhibitor([rule(['alertname=~"Down|Degraded"'], ['alertname="Degraded"'], ['cluster'])]);
    // Degraded matches both sides; Down matches only the source side.
    ih.observe(alert({ alertname: 'Degraded', cluster: 'eu' }));
    expect(ih.mutes(L({ alertname: 'Degraded', cluster: 'eu' }), T0)).toBe(false);
    ih.observe(alert({ alertname: 'Down', cluster: 'eu' }));
    expect(ih.mutes(L({ alertname: 'Degraded', cluster: 'eu' }), T0)).toBe(true);
    expect(ih.inhibitedBy(L({ alertname: 'Degraded', cluster: 'eu' }), T0)).toEqual([fingerprint(L({ alertname: 'Down', cluster: 'eu' }))]);
  });

  it('a target that matches only the target side is inhibited by a two-sided source', () => {
    const ih = new Inhibitor([rule(['alertname=~"Down|Degraded"'], ['alertname=~"Degraded|Slow"'], ['cluster'])]);
    ih.observe(alert({ alertname: 'Degraded', cluster: 'eu' }));
    expect(ih.mutes(L({ alertname: 'Slow', cluster: 'eu' }), T0)).toBe(true);
  });
});

describe('Inhibitor.inhibitedBy', () => {
  it('lists every firing source fingerprint across rules, sorted and unique', () => {
    const ih = new Inhibitor([
      rule(['severity="critical"'], ['severity="warning"'], ['cluster']),
      rule(['alertname="ClusterDown"'], ['severity="warning"'], ['cluster']),
    ]);
    const s1 = { alertname: 'ClusterDown', cluster: 'eu', severity: 'critical' }; // source of both rules
    const s2 = { alertname: 'Other', cluster: 'eu', severity: 'critical' };
    const resolved = { alertname: 'Old', cluster: 'eu', severity: 'critical' };
    ih.observe(alert(s1));
    ih.observe(alert(s2));
    ih.observe(alert(resolved, T0 - 1));
    const target = L({ alertname: 'Slow', cluster: 'eu', severity: 'warning' });
    expect(ih.inhibitedBy(target, T0)).toEqual([fingerprint(L(s1)), fingerprint(L(s2))].sort());
    expect(ih.inhibitedBy(L({ alertname: 'Slow', cluster: 'us', severity: 'warning' }), T0)).toEqual([]);
  });

  it('an inhibitor without rules mutes nothing', () => {
    const ih = new Inhibitor([]);
    ih.observe(alert({ alertname: 'A' }));
    expect(ih.mutes(L({ alertname: 'A' }), T0)).toBe(false);
  });
});
