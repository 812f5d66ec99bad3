import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineQuery } from '../../cli/adapters.js';
import { loadScenario, writeOpenMetrics } from '../../collectors/simulate/index.js';
import { buildDashboards } from '../../dashboards/catalog.js';
import { substitute, substitutions } from '../../dashboards/lint/variables.js';
import { Matcher } from '../../model/matcher.js';
import { Engine } from '../../promql/engine.js';
import { OpenMetricsStream } from '../../rules/backtest/openmetrics.js';
import { overlayQueryable } from '../../rules/backtest/overlay.js';
import { runBacktest, shadowedNames } from '../../rules/backtest/run.js';
import { loadRuleFiles } from '../../rules/load/loader.js';
import { sourcePackPaths } from '../../rules/packs/index.js';
import { loadRuleGroups } from '../../rules/unittest/load.js';
import { exportOpenMetrics } from '../../tsdb/export.js';
import { Head } from '../../tsdb/index.js';
import { VirtualClock } from '../../util/clock.js';
import { type PrometheusServer, startPrometheus } from '../support/prometheus.js';

/**
 * Every panel query of every generated dashboard, variables substituted as on a fresh load ("All"
 * everywhere), evaluated by vigil's engine over two simulated hours of the bad-rollout scenario
 * (sampled every minute on a virtual clock, the source packs, the ai-platform alerts and the
 * compiled SLOs evaluated over it as a backtest does), must return data, and must return the same
 * series and values in a real Prometheus (2.42, Debian) loaded with the same samples through
 * `promtool tsdb create-blocks-from openmetrics`.
 */

const START = Date.UTC(2025, 0, 1);
const STEP_MS = 60_000;
const DURATION_MS = 2 * 3_600_000;
const END = START + DURATION_MS;
/**
 * AT is the evaluation time: off the minute, so no range or lookback boundary falls on a sample
 * and Prometheus 2.42's closed ranges select what vigil's (Prometheus 3's) left-open ones do.
 */
const AT = END - 53_000;
const CENTURY_MS = 100 * 365 * 24 * 3_600_000;
const TIME = { rateInterval: '5m', intervalMs: 60_000, rangeMs: 3_600_000, end: AT };

/**
 * QUIET are the queries allowed to come back empty: the alerts of an SLO that neither burns nor
 * lacks data in this scenario (bad-rollout breaks the models, not the queues).
 */
const QUIET = new Set(['slo-ai-queues-freshness/Alerts of this SLO']);

interface PanelQuery {
  readonly key: string;
  readonly expr: string;
}

const rulePaths = [...sourcePackPaths(), 'rules/packs/ai-platform'];
const dashboards = buildDashboards(loadRuleFiles(['rules/packs/ai-platform/slos.yaml']).ruleSet.slos);
const queries: PanelQuery[] = dashboards.flatMap((d) => {
  const values = substitutions((d.json.templating?.list ?? []) as never, TIME);
  return (d.json.panels ?? []).flatMap((p) =>
    ((p as { targets?: { expr?: string; refId?: string }[] }).targets ?? []).map((t) => ({ key: `${d.uid}/${p.title ?? ''}`, expr: substitute(t.expr ?? '', values), refId: t.refId })),
  );
});

type Result = Map<string, number>;
let vigilResults: Map<string, Result>;
let prometheus: PrometheusServer;
let dir: string;

function key(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

beforeAll(async () => {
  const scenario = await loadScenario('examples/scenarios/bad-rollout.yaml');
  const history = new Head({ retentionMs: CENTURY_MS, clock: new VirtualClock(END) });
  const stream = new OpenMetricsStream(history);
  await writeOpenMetrics(scenario, { from: START, to: END, step: STEP_MS }, (text) => stream.write(text));
  stream.end();
  const { groups } = loadRuleGroups(rulePaths);
  const recorded = new Head({ retentionMs: CENTURY_MS, clock: new VirtualClock(END) });
  const engine = new Engine({ lookbackDeltaMs: 5 * 60_000, noStepSubqueryIntervalMs: 60_000, delayedNameRemoval: true });
  const data = overlayQueryable(history, recorded, shadowedNames(groups));
  await runBacktest({ groups, queryFn: engineQuery(engine, data), appendable: recorded, start: START, end: END });

  vigilResults = new Map();
  for (const q of queries) {
    const { value } = await engine.instantQuery(data, q.expr, AT);
    const r: Result = new Map();
    if (value.type === 'vector') for (const s of value.vector) r.set(key(s.metric.toRecord()), s.v);
    else if (value.type === 'scalar') r.set(key({}), value.scalar.v);
    vigilResults.set(q.expr, r);
  }

  // The same samples, raw and recorded, as Prometheus blocks.
  dir = mkdtempSync(join(tmpdir(), 'vigil-dash-data-'));
  let text = '';
  exportOpenMetrics(data, [new Matcher('=~', '__name__', '.+')], START, END, (t) => (text += t));
  writeFileSync(join(dir, 'data.om'), text);
  execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'data.om'), join(dir, 'data')], { stdio: 'pipe' });
  prometheus = await startPrometheus('global: {}\n', { dataDir: join(dir, 'data') });
}, 180_000);

afterAll(async () => {
  await prometheus?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** promValue reads a sample value as Prometheus's API writes it ("+Inf", "-Inf", "NaN", decimals). */
function promValue(text: string): number {
  return text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
}

function same(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

describe('dashboard queries over simulated data', () => {
  it('has queries from every dashboard', () => {
    expect(new Set(queries.map((q) => q.key.split('/')[0])).size).toBe(dashboards.length);
    expect(queries.length).toBeGreaterThan(100);
  });

  it('every panel query returns data in vigil', () => {
    const empty = queries.filter((q) => (vigilResults.get(q.expr)?.size ?? 0) === 0).map((q) => q.key);
    expect(empty.filter((k) => !QUIET.has(k))).toEqual([]);
    // The allowance is for quiet SLOs only: their queries are there and read ALERTS.
    expect([...new Set(empty)].sort()).toEqual([...QUIET].sort());
  });

  it('every panel query gives the same series and values in Prometheus 2.42', async () => {
    const mismatches: string[] = [];
    for (const q of queries) {
      const body = await prometheus.api<{ resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] | [number, string] }>('/api/v1/query', { query: q.expr, time: String(AT / 1000) });
      const theirs: Result = new Map();
      if (body.resultType === 'vector') for (const s of body.result as { metric: Record<string, string>; value: [number, string] }[]) theirs.set(key(s.metric), promValue(s.value[1]));
      else if (body.resultType === 'scalar') theirs.set(key({}), promValue((body.result as [number, string])[1]));
      const ours = vigilResults.get(q.expr)!;
      const labelSets = [...new Set([...ours.keys(), ...theirs.keys()])];
      for (const k of labelSets) {
        const [a, b] = [ours.get(k), theirs.get(k)];
        if (a === undefined || b === undefined || !same(a, b)) mismatches.push(`${q.key}: ${q.expr}\n  ${k}: vigil ${a} prometheus ${b}`);
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
  });
});
