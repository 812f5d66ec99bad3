import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { vigilCli } from '../../support/cli.js';

const MIN = 60_000;
/** T0 is the history's first sample: 2024-05-01T00:00:00Z. */
const T0 = Date.UTC(2024, 4, 1);
const iso = (offsetMin: number) => new Date(T0 + offsetMin * MIN).toISOString().replace('.000Z', 'Z');

/**
 * The incident: 10 req/s for 4h; from 1h to 2h half the requests fail. The 5m error ratio is
 * above 5% from the first evaluation whose window holds a failing increment (61m) to the last
 * (123m: the increment ending at 120m leaves the left-open window (t-5m, t] at 124m).
 */
function history(): string {
  const lines = ['# TYPE http_requests counter'];
  let ok = 0;
  let failed = 0;
  const samples: string[] = [];
  for (let i = 0; i <= 240; i++) {
    if (i > 60 && i <= 120) {
      ok += 300;
      failed += 300;
    } else ok += 600;
    const ts = (T0 + i * MIN) / 1000;
    samples.push(`http_requests_total{code="200",service="checkout"} ${ok} ${ts}`);
    samples.push(`http_requests_total{code="500",service="checkout"} ${failed} ${ts}`);
  }
  // Series recorded by an older version of the rules (a vigil export): the backtest must not read them.
  for (let i = 0; i <= 240; i++) samples.push(`slo:error_ratio:rate5m{service="checkout"} 1 ${(T0 + i * MIN) / 1000}`);
  return [...lines, ...samples.filter((s) => s.startsWith('http')), '# TYPE slo:error_ratio:rate5m gauge', ...samples.filter((s) => s.startsWith('slo')), '# EOF', ''].join('\n');
}

const RULES = `groups:
- name: checkout-ratios
  rules:
  - record: slo:error_ratio:rate5m
    expr: sum by (service) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m]))
- name: checkout-alerts
  rules:
  - alert: CheckoutErrors
    expr: slo:error_ratio:rate5m > 0.05
    for: 5m
    labels:
      severity: page
`;

const dir = mkdtempSync(join(tmpdir(), 'vigil-backtest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = (name: string) => join(dir, name);
writeFileSync(path('history.om'), history());
writeFileSync(path('rules.yml'), RULES);
writeFileSync(path('bad.yml'), 'groups:\n- name: g\n  rules:\n  - alert: A\n    expr: x > 3 +\n');
writeFileSync(path('bad.om'), '# TYPE x gauge\nx{ 1 0\n# EOF\n');

type Event = { time: string; timeMs: number; event: string; alertname: string; labels: Record<string, string> };

/** expectNear checks an event time is the expected one within one evaluation interval (1m). */
function expectNear(e: Event | undefined, event: string, offsetMin: number): void {
  expect(e?.event).toBe(event);
  expect(Math.abs(e!.timeMs - (T0 + offsetMin * MIN))).toBeLessThanOrEqual(MIN);
}

describe('vigil backtest', () => {
  it('prints when the alert went pending, fired and resolved over an OpenMetrics history', async () => {
    const res = await vigilCli(['backtest', '--rules', path('rules.yml'), '--data', path('history.om')]);
    expect(res.code, res.stderr).toBe(0);
    const alert = 'CheckoutErrors{service="checkout", severity="page"}';
    expect(res.stdout).toContain(`Backtest of 2 rule groups from ${iso(0)} to ${iso(240)} (4h), every 1m: 482 group evaluations.\n`);
    expect(res.stdout).toContain(
      [
        'Timeline:',
        `  ${iso(61)}  pending    ${alert}`,
        `  ${iso(66)}  firing     ${alert}`,
        `  ${iso(124)}  resolved   ${alert}  after firing 58m`,
        '',
        'Summary:',
        `  CheckoutErrors (1 label set): fired 1 time, first at ${iso(66)}, 58m firing in total`,
        '  1 alert fired, 58m firing in total.',
      ].join('\n'),
    );
    // Not a terminal: plain progress lines, one per tenth.
    const progress = res.stderr.split('\n').filter((l) => l.startsWith('backtest: '));
    expect(progress.length).toBeLessThanOrEqual(11);
    expect(progress.at(-1)).toBe('backtest: 100% (4h of 4h)');
  });

  it('reports loading a large history in at most one line per tenth', async () => {
    const lines = ['# TYPE big gauge'];
    for (let s = 0; s < 50; s++) for (let i = 0; i <= 1440; i++) lines.push(`big{s="${s}"} ${i} ${(T0 + i * MIN) / 1000}`);
    writeFileSync(path('big.om'), [...lines, '# EOF', ''].join('\n'));
    const res = await vigilCli(['backtest', '--rules', path('rules.yml'), '--data', path('big.om'), '--end', iso(10)]);
    expect(res.code, res.stderr).toBe(0);
    const loading = res.stderr.split('\n').filter((l) => l.startsWith('loading '));
    expect(loading.length).toBeGreaterThan(0);
    expect(loading.length).toBeLessThanOrEqual(10);
    expect(loading.at(-1)).toMatch(/: \d+ of 72050 samples$/);
  });

  it('prints the timeline as JSON', async () => {
    const res = await vigilCli(['backtest', '--json', '--rules', path('rules.yml'), '--data', path('history.om')]);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    const events: Event[] = out.events;
    expect(events.map((e) => e.alertname)).toEqual(['CheckoutErrors', 'CheckoutErrors', 'CheckoutErrors']);
    expect(events[0]!.labels).toEqual({ alertname: 'CheckoutErrors', service: 'checkout', severity: 'page' });
    expectNear(events[0], 'pending', 61);
    expectNear(events[1], 'firing', 66);
    expectNear(events[2], 'resolved', 124);
    expect(out.summary).toEqual({
      alerts: [{ alertname: 'CheckoutErrors', labelSets: 1, fired: 1, pendingWithoutFiring: 0, firingSeconds: 58 * 60, firstFiredAt: iso(66) }],
      fired: 1,
      firingSeconds: 58 * 60,
    });
    expect(out.ruleErrors).toEqual([]);
  });

  it('reads a data directory, under its lock, to the same timeline', async () => {
    const data = path('data');
    const imported = await vigilCli(['tsdb', 'import', path('history.om'), '--data', data]);
    expect(imported.code, imported.stderr).toBe(0);
    const res = await vigilCli(['backtest', '--json', '--rules', path('rules.yml'), '--data', data]);
    expect(res.code, res.stderr).toBe(0);
    const events: Event[] = JSON.parse(res.stdout).events;
    expect(events.map((e) => [e.event, e.time])).toEqual([
      ['pending', iso(61)],
      ['firing', iso(66)],
      ['resolved', iso(124)],
    ]);
    // Another live process holds the directory: the backtest refuses it.
    writeFileSync(join(data, 'lock'), `${process.ppid}\n`);
    const locked = await vigilCli(['backtest', '--rules', path('rules.yml'), '--data', data]);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain(`data directory ${data} is in use by process ${process.ppid}`);
    rmSync(join(data, 'lock'));
  });

  it('evaluates over --start and --end, with alert state empty at the start, at --interval', async () => {
    const res = await vigilCli(['backtest', '--json', '--rules', path('rules.yml'), '--data', path('history.om'), '--start', iso(90), '--end', String((T0 + 180 * MIN) / 1000), '--interval', '2m']);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout);
    expect([out.start, out.end, out.evaluations]).toEqual([iso(90), iso(180), 2 * 46]);
    expect(out.groups).toEqual([
      { name: 'checkout-ratios', intervalSeconds: 120 },
      { name: 'checkout-alerts', intervalSeconds: 120 },
    ]);
    // Every 2m from 90m: pending at 90m, firing at 96m (the first evaluation 5m after), resolved at 124m.
    expect(out.events.map((e: Event) => [e.event, e.time])).toEqual([
      ['pending', iso(90)],
      ['firing', iso(96)],
      ['resolved', iso(124)],
    ]);
  });

  it('pages within 2 minutes of a total outage under a 99.9%/30d SLO (examples/rules/vllm-availability.yaml)', async () => {
    const lines = ['# TYPE http_requests counter'];
    let ok = 0;
    let failed = 0;
    const series = (status: string, v: number, ts: number) =>
      `http_requests_total{handler="/v1/completions",job="vllm",namespace="team-a",status="${status}"} ${v} ${ts}`;
    for (let i = 0; i <= 240; i++) {
      // 10 req/s; every request fails from 2h to 2h30m.
      if (i > 120 && i <= 150) failed += 600;
      else ok += 600;
      const ts = (T0 + i * MIN) / 1000;
      lines.push(series('2xx', ok, ts), series('5xx', failed, ts));
    }
    writeFileSync(path('vllm.om'), [...lines, '# EOF', ''].join('\n'));
    const slo = resolve(import.meta.dirname, '../../../examples/rules/vllm-availability.yaml');
    const res = await vigilCli(['backtest', '--json', '--rules', slo, '--data', path('vllm.om')]);
    expect(res.code, res.stderr).toBe(0);
    const events: Event[] = JSON.parse(res.stdout).events;
    const pages = events.filter((e) => e.labels['tier'] === 'page' && e.labels['namespace'] === 'team-a');
    const firstPage = pages.find((e) => e.event === 'firing');
    expect(firstPage).toBeDefined();
    expect(firstPage!.timeMs - (T0 + 120 * MIN)).toBeGreaterThan(0);
    expect(firstPage!.timeMs - (T0 + 120 * MIN)).toBeLessThanOrEqual(2 * MIN);
    // Every page resolves once the outage is over, and nothing paged before it.
    const fired = pages.filter((e) => e.event === 'firing').length;
    expect(pages.filter((e) => e.event === 'resolved')).toHaveLength(fired);
    expect(events.some((e) => e.labels['tier'] === 'page' && e.timeMs < T0 + 120 * MIN)).toBe(false);
  });

  it('exits 1 with the reason when the rules or the data cannot be read', async () => {
    const badRules = await vigilCli(['backtest', '--rules', path('bad.yml'), '--data', path('history.om')]);
    expect(badRules.code).toBe(1);
    expect(badRules.stderr).toMatch(new RegExp(`${path('bad.yml')}:5:\\d+: `));
    const missing = await vigilCli(['backtest', '--rules', path('rules.yml'), '--data', path('nope.om')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`--data ${path('nope.om')}: ENOENT\n`);
    const malformed = await vigilCli(['backtest', '--rules', path('rules.yml'), '--data', path('bad.om')]);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(new RegExp(`^${path('bad.om')}:2:\\d+: `));
  });

  it('exits 2 on a bad command line', async () => {
    expect((await vigilCli(['backtest', '--data', path('history.om')])).code).toBe(2);
    expect((await vigilCli(['backtest', '--rules', path('rules.yml')])).code).toBe(2);
    const interval = await vigilCli(['backtest', '--rules', path('rules.yml'), '--data', path('history.om'), '--interval', '1 minute']);
    expect(interval.code).toBe(2);
    expect(interval.stderr).toContain('--interval: "1 minute"');
    const range = await vigilCli(['backtest', '--rules', path('rules.yml'), '--data', path('history.om'), '--start', iso(10), '--end', iso(5)]);
    expect(range.code).toBe(2);
    expect(range.stderr).toContain('--end is before --start');
  });
});
