import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../cli/config.js';
import { isolatedTelemetry } from '../../../cli/telemetry.js';
import { startVigil, type Vigil } from '../../../cli/vigil.js';
import { nopLogger } from '../../../util/log.js';
import { vigilCli } from '../../support/cli.js';
import { prometheusVersion, type PrometheusServer, startPrometheus } from '../../support/prometheus.js';

/*
 * The query API against a real Prometheus (the Debian package, 2.42): the same generated data is
 * loaded into both (`vigil tsdb import`; `promtool tsdb create-blocks-from openmetrics`), the same
 * requests go to both, and the answers are compared field by field.
 *
 * Compared, for every request: the HTTP status code, `status` and `errorType`. For answers:
 * `resultType`, and the result: label sets (vectors in a canonical order, since an instant
 * vector's order is the engine's), timestamps exactly, values as equal floats (NaN equals NaN; a
 * relative 1e-9 apart for finite values, since the two engines may add in another order). Series,
 * label names and label values: the lists, exactly. Error texts by kind of request:
 * - 'exact': errors raised by the API layer before any PromQL runs (bad time, step, limits,
 *   match[] rules): the same words, since vigil promises Prometheus's wording there.
 * - 'position': parse errors: the `line:column` both name, and the `invalid parameter "query"`
 *   prefix for instant queries; the reason after it is the parser's own wording and may differ.
 *   (Prometheus 2.42 leaves the prefix out for range queries; 3.x adds it, as vigil does.)
 * - 'kind': engine errors at run time: status and errorType only.
 * Not compared: `warnings` and `infos` (Prometheus 3 annotations that 2.42 does not produce), and
 * requests where 2.42 and 3.x differ by design (`limit` and `lookback_delta` on queries, which 2.42
 * ignores; UTF-8 label names in /label/<name>/values, which 2.42 refuses).
 *
 * Sample timestamps sit at x.217s and every query time and range bound is a whole second, so no
 * sample ever falls on a range boundary: 2.42's ranges are left-closed, vigil's (like 3.x's)
 * left-open, and only a sample on the boundary would tell them apart.
 */

const MIN = 60_000;
// Minute-aligned and recent: Prometheus's head and retention care about "now".
const BASE = Math.floor((Date.now() - 3 * 3600_000) / MIN) * MIN;
const OFFSET = 3217;
const STEP = 15_000;
const POINTS = 700; // about 2h55m of samples

const sec = (ms: number) => String(ms / 1000);
const T1 = BASE + 60 * MIN; // one hour into the data
const T2 = BASE + 170 * MIN; // near its end
const RANGE = { start: sec(BASE + 20 * MIN), end: sec(BASE + 170 * MIN), step: '60' };

/** generate writes an OpenMetrics backfill file: counters (one with a reset), gauges, a histogram, special values. */
function generate(): string {
  const lines: string[] = [];
  const family = (name: string, type: string, series: [string, (i: number) => number, number?][]) => {
    lines.push(`# TYPE ${name} ${type}`);
    for (const [labels, fn, until] of series) {
      const sample = type === 'counter' ? `${name}_total` : name;
      for (let i = 0; i < (until ?? POINTS); i++) {
        const v = fn(i);
        const text = Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v);
        lines.push(`${sample}{${labels}} ${text} ${(BASE + OFFSET + i * STEP) / 1000}`);
      }
    }
  };
  family('gen_requests', 'counter', [
    ['code="200",instance="a:9100",job="api"', (i) => i * 7],
    ['code="200",instance="b:9100",job="api"', (i) => i * 5 + (i % 3)],
    ['code="500",instance="a:9100",job="api"', (i) => Math.floor(i / 4)],
    ['code="500",instance="b:9100",job="api"', (i) => (i < 300 ? i * 2 : (i - 300) * 2)], // a counter reset
    ['code="200",instance="c:9100",job="batch"', (i) => i * 11, 500], // ends early: gone after the lookback
  ]);
  // Same labels as one gen_requests series: a query selecting both and dropping names must fail.
  family('gen_errors', 'counter', [['code="200",instance="a:9100",job="api"', (i) => i]]);
  family('gen_gpu_util', 'gauge', [
    ['UUID="GPU-0",gpu="0",model="llama-3.1-70b"', (i) => Math.round(50 + 40 * Math.sin(i / 30)) / 100],
    ['UUID="GPU-1",gpu="1",model="llama-3.1-70b"', (i) => Math.round(50 + 40 * Math.cos(i / 20)) / 100],
    ['UUID="GPU-2",gpu="2",model="mistral-7b"', (i) => (i % 10) / 10],
  ]);
  family('gen_odd', 'gauge', [
    ['k="nan"', () => NaN],
    ['k="inf"', () => Infinity],
    ['k="ninf"', () => -Infinity],
    ['k="tiny"', () => 1.5e-7],
    ['k="huge"', () => 2e21],
    ['k="neg"', (i) => -0.25 * i],
  ]);
  const buckets = ['0.1', '0.25', '0.5', '1.0', '+Inf'];
  family(
    'gen_latency_seconds',
    'histogram',
    buckets.map((le, b) => [`job="api",le="${le}"`, (i: number) => i * (b + 1) * 3 + (b === 4 ? i : 0)]),
  );
  lines.push('# EOF', '');
  return lines.join('\n');
}

type Compare = 'exact' | 'position' | 'kind';

interface Case {
  readonly name: string;
  readonly path: string;
  readonly params?: Record<string, string | string[]>;
  readonly method?: 'GET' | 'POST';
  /** compare says how errors are compared (answers are always compared in full). */
  readonly compare?: Compare;
  /**
   * subset, for a list answer, says why vigil may answer a subset of Prometheus's list: Prometheus
   * takes label names and values from the index of every block that overlaps the time range,
   * vigil from the series that have samples in it.
   */
  readonly subset?: string;
}

const q = (name: string, query: string, time = T2): Case => ({ name, path: '/api/v1/query', params: { query, time: sec(time) } });
const r = (name: string, query: string, extra: Record<string, string> = {}): Case => ({ name, path: '/api/v1/query_range', params: { query, ...RANGE, ...extra } });

const CASES: Case[] = [
  // Instant queries.
  q('selector', 'gen_requests_total'),
  q('selector with matchers', 'gen_requests_total{code=~"5..",job="api"}'),
  q('selector after a series ended', 'gen_requests_total{job="batch"}'),
  q('selector while it still ran', 'gen_requests_total{job="batch"}', T1),
  q('rate', 'rate(gen_requests_total[5m])'),
  q('rate across a counter reset', 'rate(gen_requests_total{code="500"}[30m])', BASE + 80 * MIN),
  q('increase', 'increase(gen_requests_total[1h])'),
  q('error ratio', 'sum(rate(gen_requests_total{code=~"5.."}[5m])) / sum(rate(gen_requests_total[5m]))'),
  q('sum by', 'sum by (job, code) (rate(gen_requests_total[5m]))'),
  q('histogram_quantile', 'histogram_quantile(0.9, sum by (le) (rate(gen_latency_seconds_bucket[5m])))'),
  q('avg_over_time', 'avg_over_time(gen_gpu_util[10m])'),
  q('max by', 'max by (model) (gen_gpu_util)'),
  q('comparison filter', 'gen_gpu_util > 0.5'),
  q('bool comparison', 'gen_gpu_util > bool 0.5'),
  q('count', 'count(gen_gpu_util)'),
  q('topk', 'topk(2, gen_gpu_util)'),
  q('label_replace', 'label_replace(gen_gpu_util, "card", "c$1", "gpu", "(.*)")'),
  q('deriv', 'deriv(gen_gpu_util[10m])'),
  q('absent', 'absent(gen_nothing)'),
  q('special values', 'gen_odd'),
  q('special values through arithmetic', 'gen_odd * 2'),
  q('range vector', 'gen_gpu_util{gpu="0"}[2m]'),
  q('subquery', 'max_over_time(rate(gen_requests_total{code="200"}[5m])[30m:1m])'),
  q('offset', 'gen_gpu_util offset 1h'),
  q('scalar', '1 + 2'),
  q('scalar function', 'scalar(count(gen_gpu_util))'),
  q('time', 'time()'),
  q('tiny scalar', '1e-7'),
  q('tiny vector value', 'vector(1e-7)'),
  q('string', '"hello"'),
  q('empty result', 'gen_nothing'),
  { name: 'instant query by POST', path: '/api/v1/query', method: 'POST', params: { query: 'sum(gen_gpu_util)', time: sec(T1) } },
  { name: 'instant query at an RFC 3339 time', path: '/api/v1/query', params: { query: 'count(gen_gpu_util)', time: new Date(T1).toISOString() } },
  // Range queries.
  r('range: rate', 'rate(gen_requests_total[5m])'),
  r('range: sum by', 'sum by (code) (rate(gen_requests_total[5m]))'),
  r('range: gauge', 'gen_gpu_util'),
  r('range: scalar', 'time() * 2'),
  r('range: series ending in the window', 'gen_requests_total{job="batch"}'),
  r('range: histogram_quantile', 'histogram_quantile(0.5, rate(gen_latency_seconds_bucket[10m]))', { step: '5m' }),
  r('range: step as a duration', 'count(gen_gpu_util)', { step: '15m' }),
  { name: 'range query by POST', path: '/api/v1/query_range', method: 'POST', params: { query: 'avg(gen_gpu_util)', ...RANGE } },
  // Series, label names, label values.
  { name: 'series', path: '/api/v1/series', params: { 'match[]': 'gen_requests_total' } },
  { name: 'series, several match[]', path: '/api/v1/series', params: { 'match[]': ['gen_gpu_util{gpu="1"}', 'gen_odd{k=~"n.*"}', 'gen_gpu_util'] } },
  { name: 'series in a window', path: '/api/v1/series', params: { 'match[]': '{job=~".+"}', start: sec(T2 - 10 * MIN), end: sec(T2) } },
  { name: 'series by POST', path: '/api/v1/series', method: 'POST', params: { 'match[]': 'gen_errors_total' } },
  { name: 'label names', path: '/api/v1/labels' },
  { name: 'label names of matches', path: '/api/v1/labels', params: { 'match[]': ['gen_gpu_util', 'gen_odd'] } },
  { name: 'label names by POST', path: '/api/v1/labels', method: 'POST', params: { 'match[]': 'gen_latency_seconds_bucket' } },
  { name: 'label values', path: '/api/v1/label/job/values' },
  { name: 'metric names', path: '/api/v1/label/__name__/values' },
  { name: 'label values of matches', path: '/api/v1/label/instance/values', params: { 'match[]': 'gen_requests_total{code="500"}' } },
  {
    name: 'label values in a window',
    path: '/api/v1/label/job/values',
    params: { start: sec(T2 - 10 * MIN), end: sec(T2) },
    subset: 'job="batch" ended 35 minutes before the window, in a block that overlaps it',
  },
  { name: 'values of an unknown label', path: '/api/v1/label/nothing/values' },
  // Malformed requests: parameters.
  { ...q('bad time', 'up'), params: { query: 'up', time: 'yesterday' }, compare: 'exact' },
  { ...q('bad timeout', 'up'), params: { query: 'up', timeout: 'soon' }, compare: 'exact' },
  { ...r('no start', 'up'), params: { query: 'up' }, compare: 'exact' },
  { ...r('no end', 'up'), params: { query: 'up', start: '1' }, compare: 'exact' },
  { ...r('no step', 'up'), params: { query: 'up', start: '1', end: '2' }, compare: 'exact' },
  { ...r('bad start', 'up', { start: '2020-13-01T00:00:00Z' }), compare: 'exact' },
  { ...r('end before start', 'up', { start: '100', end: '50' }), compare: 'exact' },
  { ...r('zero step', 'up', { step: '0' }), compare: 'exact' },
  { ...r('negative step', 'up', { step: '-15' }), compare: 'exact' },
  { ...r('bad step', 'up', { step: 'fast' }), compare: 'exact' },
  { ...r('step overflowing', 'up', { step: '1e30' }), compare: 'exact' },
  { ...r('too many points', 'up', { start: '0', end: '11001', step: '1' }), compare: 'exact' },
  { name: 'series without match[]', path: '/api/v1/series', compare: 'exact' },
  { name: 'series with a bad start', path: '/api/v1/series', params: { 'match[]': 'up', start: 'x' }, compare: 'exact' },
  { name: 'series with empty matchers', path: '/api/v1/series', params: { 'match[]': '{job=""}' }, compare: 'exact' },
  { name: 'labels with empty matchers', path: '/api/v1/labels', params: { 'match[]': ['up', '{job=~".*"}'] }, compare: 'exact' },
  { name: 'label values with a bad end', path: '/api/v1/label/job/values', params: { end: 'never' }, compare: 'exact' },
  { name: 'metadata with a bad limit', path: '/api/v1/metadata', params: { limit: 'ten' }, compare: 'exact' },
  { name: 'label values by POST', path: '/api/v1/label/job/values', method: 'POST', compare: 'exact' },
  { name: 'a path under /label that is not one', path: '/api/v1/label/job/other', compare: 'exact' },
  // Malformed requests: PromQL.
  { ...q('unclosed parenthesis', 'sum(gen_gpu_util'), compare: 'position' },
  { ...q('unclosed braces', 'gen_gpu_util{'), compare: 'position' },
  { ...q('missing matcher value', 'gen_gpu_util{gpu=}'), compare: 'position' },
  { ...q('dangling operator', '1 +'), compare: 'position' },
  { ...q('function argument type', 'rate(gen_gpu_util)'), compare: 'position' },
  { ...q('unknown function', 'frobnicate(gen_gpu_util)'), compare: 'position' },
  { ...q('empty query', ''), compare: 'position' },
  { ...r('range: syntax error', 'sum(rate(gen_requests_total[5m])'), compare: 'position' },
  { ...r('range: range vector', 'gen_gpu_util[5m]'), compare: 'kind' },
  { ...r('range: string', '"hello"'), compare: 'kind' },
  { name: 'series with a broken selector', path: '/api/v1/series', params: { 'match[]': 'gen_gpu_util{' }, compare: 'position' },
  { name: 'labels with a broken selector', path: '/api/v1/labels', params: { 'match[]': 'gen_gpu_util{gpu=}' }, compare: 'position' },
  { name: 'metadata (no targets)', path: '/api/v1/metadata' },
  // Engine errors.
  { ...q('zero timeout', 'count_over_time(gen_requests_total[3h])'), params: { query: 'count_over_time(gen_requests_total[3h])', time: sec(T2), timeout: '0' }, compare: 'kind' },
  { ...q('same label set twice after dropping names', 'rate({__name__=~"gen_(requests|errors)_total"}[5m])'), compare: 'kind' },
];

interface Answer {
  status: number;
  text: string;
  /** body is the parsed JSON (undefined for a text answer), inspected field by field. */
  body: any;
}

async function ask(base: string, c: Case): Promise<Answer> {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(c.params ?? {})) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
  const res =
    c.method === 'POST'
      ? await fetch(`${base}${c.path}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() })
      : await fetch(`${base}${c.path}?${form}`);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, text, body };
}

/** num reads an API value string ("NaN", "+Inf", "1e-07"). */
const num = (s: string) => (s === '+Inf' ? Infinity : s === '-Inf' ? -Infinity : Number(s));

function sameValue(a: string, b: string): boolean {
  const x = num(a);
  const y = num(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (!Number.isFinite(x) || !Number.isFinite(y) || x === 0 || y === 0) return x === y;
  return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}

const key = (m: Record<string, string>) => JSON.stringify(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** diffResult lists the differences between two successful query results (empty when they agree). */
function diffResult(type: string, want: any, got: any): string[] {
  const out: string[] = [];
  const point = (where: string, w: [number, string], g: [number, string]) => {
    if (w[0] !== g[0]) out.push(`${where}: time ${g[0]}, Prometheus ${w[0]}`);
    else if (!sameValue(w[1], g[1])) out.push(`${where}: value ${g[1]}, Prometheus ${w[1]}`);
  };
  if (type === 'scalar') {
    point('scalar', want, got);
    return out;
  }
  if (type === 'string') {
    if (want[0] !== got[0] || want[1] !== got[1]) out.push(`string ${JSON.stringify(got)}, Prometheus ${JSON.stringify(want)}`);
    return out;
  }
  const byKey = (list: any[]) => new Map(list.map((s) => [key(s.metric), s]));
  const w = byKey(want);
  const g = byKey(got);
  const wKeys = [...w.keys()].sort();
  const gKeys = [...g.keys()].sort();
  if (JSON.stringify(wKeys) !== JSON.stringify(gKeys)) return [`series ${gKeys.join(' ')}; Prometheus ${wKeys.join(' ')}`];
  for (const k of wKeys) {
    const ws = w.get(k);
    const gs = g.get(k);
    if (type === 'vector') point(k, ws.value, gs.value);
    else if (ws.values.length !== gs.values.length) out.push(`${k}: ${gs.values.length} points, Prometheus ${ws.values.length}`);
    else ws.values.forEach((p: [number, string], i: number) => point(`${k}[${i}]`, p, gs.values[i]));
  }
  return out;
}

const POSITION = /^(invalid parameter "(?:query|match\[\])": )?(\d+:\d+):/;

/** diff lists how vigil's answer differs from Prometheus's for a case (empty when they agree). */
function diff(c: Case, want: Answer, got: Answer): string[] {
  const out: string[] = [];
  if (want.status !== got.status) out.push(`HTTP ${got.status}, Prometheus ${want.status} (${want.text.trim().slice(0, 200)} / ${got.text.trim().slice(0, 200)})`);
  if (want.body === undefined || got.body === undefined) {
    if (want.text !== got.text) out.push(`body ${JSON.stringify(got.text)}, Prometheus ${JSON.stringify(want.text)}`);
    return out;
  }
  for (const f of ['status', 'errorType']) if (want.body[f] !== got.body[f]) out.push(`${f} ${got.body[f]}, Prometheus ${want.body[f]}`);
  if (out.length > 0) return out;
  if (want.body.status === 'error') {
    const compare = c.compare ?? 'exact';
    if (compare === 'exact' && want.body.error !== got.body.error) out.push(`error ${JSON.stringify(got.body.error)}, Prometheus ${JSON.stringify(want.body.error)}`);
    if (compare === 'position') {
      const wm = POSITION.exec(want.body.error);
      const gm = POSITION.exec(got.body.error);
      // Prometheus 2.42 leaves the parameter prefix out of range query parse errors (3.x has it).
      const prefixMatters = c.path !== '/api/v1/query_range';
      if (wm === null || gm === null || wm[2] !== gm[2] || (prefixMatters && wm[1] !== gm[1])) {
        out.push(`error ${JSON.stringify(got.body.error)}, Prometheus ${JSON.stringify(want.body.error)}`);
      }
    }
    return out;
  }
  const data = want.body.data;
  if (data !== null && typeof data === 'object' && 'resultType' in data) {
    if (data.resultType !== got.body.data.resultType) return [`resultType ${got.body.data.resultType}, Prometheus ${data.resultType}`];
    return diffResult(data.resultType, data.result, got.body.data.result);
  }
  if (c.subset !== undefined && Array.isArray(data) && Array.isArray(got.body.data)) {
    const theirs = new Set(data.map((x) => JSON.stringify(x)));
    if (got.body.data.length === 0 || !got.body.data.every((x: unknown) => theirs.has(JSON.stringify(x)))) {
      out.push(`data ${JSON.stringify(got.body.data)} is not a non-empty subset of Prometheus's ${JSON.stringify(data)}`);
    }
    return out;
  }
  if (JSON.stringify(data) !== JSON.stringify(got.body.data)) out.push(`data ${JSON.stringify(got.body.data)}, Prometheus ${JSON.stringify(data)}`);
  return out;
}

describe(`query API compared with Prometheus ${prometheusVersion()}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-api-compat-'));
  let prom: PrometheusServer;
  let vigil: Vigil;

  beforeAll(async () => {
    const file = join(dir, 'data.om');
    writeFileSync(file, generate());
    const imported = await vigilCli(['tsdb', 'import', file, '--data', join(dir, 'vigil')]);
    expect(imported.code, imported.stderr).toBe(0);
    execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, join(dir, 'prom')], { stdio: 'pipe' });
    prom = await startPrometheus('global: {scrape_interval: 1m}\n', { dataDir: join(dir, 'prom'), args: ['--storage.tsdb.retention.time=10y'] });
    const config = parseConfig(join(dir, 'vigil.yaml'), `storage: {embedded: {path: vigil, retention: 10d}}\n`);
    vigil = await startVigil({ config, logger: nopLogger, telemetry: isolatedTelemetry(), listenAddress: '127.0.0.1:0' });
  });
  afterAll(async () => {
    await vigil?.close();
    await prom?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every request as Prometheus does', async () => {
    const differences: string[] = [];
    for (const c of CASES) {
      const [want, got] = await Promise.all([ask(prom.url, c), ask(vigil.url, c)]);
      for (const d of diff(c, want, got)) differences.push(`${c.name}: ${d}`);
    }
    expect(differences).toEqual([]);
  });

  it('notices a difference in any compared field', () => {
    const answer = (body: unknown, status = 200): Answer => ({ status, text: JSON.stringify(body), body });
    const vec = (v: string, labels: Record<string, string> = { a: '1' }) =>
      answer({ status: 'success', data: { resultType: 'vector', result: [{ metric: labels, value: [1, v] }] } });
    const c: Case = { name: 'x', path: '/api/v1/query', compare: 'position' };
    expect(diff(c, vec('1'), vec('1'))).toEqual([]);
    expect(diff(c, vec('NaN'), vec('NaN'))).toEqual([]);
    expect(diff(c, vec('1'), vec('1.000001'))).toHaveLength(1);
    expect(diff(c, vec('1'), vec('NaN'))).toHaveLength(1);
    expect(diff(c, vec('1'), vec('1', { a: '2' }))).toHaveLength(1);
    const err = (error: string, status = 400) => answer({ status: 'error', errorType: 'bad_data', error }, status);
    expect(diff(c, err('invalid parameter "query": 1:5: parse error: a'), err('invalid parameter "query": 1:5: parse error: b'))).toEqual([]);
    expect(diff(c, err('invalid parameter "query": 1:5: parse error: a'), err('invalid parameter "query": 1:6: parse error: a'))).toHaveLength(1);
    expect(diff({ ...c, compare: 'exact' }, err('a'), err('b'))).toHaveLength(1);
    expect(diff(c, err('a'), err('a', 422))).toHaveLength(1);
  });

  it('has data to compare: the good queries are not all empty', async () => {
    let nonEmpty = 0;
    for (const c of CASES.filter((c) => c.compare === undefined && c.path.startsWith('/api/v1/query'))) {
      const a = await ask(vigil.url, c);
      const result = a.body?.data?.result;
      if (Array.isArray(result) && result.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(30);
  });
});
