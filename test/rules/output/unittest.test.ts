import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMetricSelector } from '../../../promql/parse.js';
import type { SLO } from '../../../rules/model.js';
import { formatRuleFile } from '../../../rules/output/promfile.js';
import { sampleRegex, selects, synthesize } from '../../../rules/output/synth.js';
import { generateUnitTests } from '../../../rules/output/unittest.js';
import { compileSLOs } from '../../../rules/slo/compile.js';
import { defaultWindows } from '../../../rules/slo/windows.js';
import { testRules } from './promtool.js';

const M = 60_000;
const DAY = 24 * 60 * M;
const dir = mkdtempSync(join(tmpdir(), 'vigil-unittest-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function slo(over: Partial<SLO>): SLO {
  const w = defaultWindows(30 * DAY);
  return {
    service: 'svc',
    name: 'slo',
    description: '',
    objectivePercent: 99.9,
    window: { kind: 'rolling', ms: 30 * DAY },
    sli: { kind: 'events', error: 'req_total{code=~"5.."}', total: 'req_total' },
    grouping: [],
    labels: {},
    alerting: {
      name: 'SLOErrorBudgetBurn',
      labels: {},
      annotations: {},
      runbookUrl: undefined,
      page: { windows: w.page, forMs: 0, labels: {}, annotations: {} },
      ticket: { windows: w.ticket, forMs: 15 * M, labels: {}, annotations: {} },
    },
    noData: { policy: 'alert', forMs: 10 * M },
    lowTraffic: undefined,
    optimize: 'chained',
    ...over,
  };
}

/** generate compiles SLOs into `stem.rules.yml`, writes the generated tests beside it, and returns both. */
async function generate(stem: string, slos: SLO[]) {
  const groups = compileSLOs(slos);
  const rules = join(dir, `${stem}.rules.yml`);
  writeFileSync(rules, formatRuleFile(groups, `${stem}.yaml`));
  const t = await generateUnitTests(slos, groups, `${stem}.rules.yml`, `${stem}.yaml`);
  const test = join(dir, `${stem}.test.yml`);
  if (t.text !== undefined) writeFileSync(test, t.text);
  return { ...t, rules, test };
}

describe('generated promtool tests', () => {
  const shapes: [string, SLO[]][] = [
    ['error and total of one metric', [slo({})]],
    ['error and total of two metrics', [slo({ sli: { kind: 'events', error: 'failures_total{job="a"}', total: 'requests_total{job="a"}' } })]],
    ['good and total of one metric, grouped, with a guard', [slo({ sli: { kind: 'events', good: 'req_total{code!~"5.."}', total: 'req_total' }, grouping: ['model'], lowTraffic: { minEvents: 1000 } })]],
    ['good and total of two metrics', [slo({ sli: { kind: 'events', good: 'ok_total', total: 'all_total' } })]],
    ['a latency histogram grouped by a constrained label', [slo({ sli: { kind: 'latency', histogram: 'ttft_seconds{model=~"llama-.*"}', thresholdSeconds: 1 }, grouping: ['model'], labels: { team: 'ml' } })]],
    ['exact windows, a 28d period and labels', [slo({ optimize: 'exact', window: { kind: 'rolling', ms: 28 * DAY }, labels: { team: 'ml' } })]],
    [
      'two SLOs with the same alert name in one file',
      [slo({ name: 'a', sli: { kind: 'events', error: 'a_total{code="500"}', total: 'a_total' } }), slo({ name: 'b', sli: { kind: 'events', error: 'b_total{code="500"}', total: 'b_total' } })],
    ],
  ];
  it.each(shapes)('pass promtool for %s', async (_what, slos) => {
    const stem = _what.replace(/\W+/g, '-');
    const t = await generate(stem, slos);
    expect(t.skipped).toEqual([]);
    expect(t.tests).toBe(2 * slos.length);
    const r = testRules([t.test]);
    expect(r.output).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it('expect exactly the tiers a total outage can trip: at 90% a 14.4x page never fires', async () => {
    const t = await generate('ninety', [slo({ objectivePercent: 90 })]);
    const text = readFileSync(t.test, 'utf8');
    // 1/budget = 10: above the 6x, 3x and 1x factors, below 14.4x.
    expect(text.match(/long_window: (\w+)/g)).toEqual(['long_window: 6h', 'long_window: 1d', 'long_window: 3d']);
    expect(testRules([t.test]).code).toBe(0);
  });

  it('fail when the compiled rules do not page: the tests test something', async () => {
    const t = await generate('broken', [slo({})]);
    writeFileSync(t.rules, readFileSync(t.rules, 'utf8').replaceAll('/ 0.001 > 14.4', '/ 0.001 > 14400'));
    const r = testRules([t.test]);
    expect(r.code).toBe(1);
    // The eval time is 30m plus the longest `for` (the ticket tier's 15m).
    expect(r.output).toContain('alertname: SLOErrorBudgetBurn, time: 45m');
  });

  it('leave out SLOs they cannot feed, saying why', async () => {
    const t = await generate('skipped', [
      slo({ name: 'q', sli: { kind: 'query', errorQuery: 'sum(rate(e[{{.window}}]))', totalQuery: 'sum(rate(t[{{.window}}]))' } }),
      slo({ name: 'one' }),
      slo({ name: 'two', sli: { kind: 'events', error: 'req_total{code="503"}', total: 'req_total' } }),
    ]);
    expect(t.skipped.map((s) => [s.slo.name, s.reason])).toEqual([
      ['q', 'its SLI is a query query, which vigil cannot feed synthetic series'],
      ['one', 'SLO svc/two selects the same synthetic series, so its alerts would mix in'],
      ['two', 'SLO svc/one selects the same synthetic series, so its alerts would mix in'],
    ]);
    expect(t.text).toBeUndefined();
  });
});

describe('synthetic series', () => {
  const m = parseMetricSelector;
  it('samples simple regular expressions', () => {
    expect(sampleRegex('(5..|429)')).toEqual(['500', '500', '429']);
    expect(sampleRegex('/v1/(chat/)?completions')).toEqual(['/v1/chat/completions']);
    expect(sampleRegex('llama-.*')).toEqual(['llama-0']);
  });

  it('finds labels two selectors select and a third does not', () => {
    const total = m('http_requests_total{job="vllm", handler=~"/v1/(chat/)?completions"}');
    const error = m('http_requests_total{job="vllm", handler=~"/v1/(chat/)?completions", status="5xx"}');
    const bad = synthesize([error, total], {});
    expect(bad).toEqual({ __name__: 'http_requests_total', job: 'vllm', handler: '/v1/chat/completions', status: '5xx' });
    const good = synthesize([total], {}, error);
    expect(good !== undefined && selects(total, good) && !selects(error, good)).toBe(true);
    expect(synthesize([m('x{a="1"}'), m('x{a="2"}')], {})).toBeUndefined();
  });
});
