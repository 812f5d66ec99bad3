import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Labels } from '../../../model/labels.js';
import { parseSeriesSelector } from '../../../model/selector.js';
import type { Queryable } from '../../../model/storage.js';
import { queryAPIRoutes, type QueryAPIRoute } from '../../../promql/api/routes.js';
import type { PerQueryOptions, QueryAPIOptions, QueryEngine, QueryOutcome } from '../../../promql/api/types.js';
import { ParseError, PromQLError } from '../../../promql/errors.js';
import { VirtualClock } from '../../../util/clock.js';
import { openTempStore, type TempStore } from '../../support/store.js';

// The handlers against a real store, with a recording engine: these tests pin the parameter
// handling, the envelope and the error mapping, independently of the engine's evaluation. The
// engine-backed behaviour is compared with a real Prometheus in compat.test.ts.

const T0 = 1_700_000_000_000;

interface Call {
  kind: 'instant' | 'range';
  query: string;
  args: number[];
  options: PerQueryOptions;
}

/** RecordingEngine answers with `next` (or throws it) and remembers what it was asked. */
class RecordingEngine {
  calls: Call[] = [];
  next: QueryOutcome | Error = { value: { type: 'vector', vector: [] }, warnings: [], infos: [] };
  internalErrors: unknown[] = [];

  forOptions(options: PerQueryOptions): QueryEngine {
    const answer = async (call: Call) => {
      this.calls.push(call);
      if (this.next instanceof Error) throw this.next;
      return this.next;
    };
    return {
      instantQuery: (_q: Queryable, query: string, t: number) => answer({ kind: 'instant', query, args: [t], options }),
      rangeQuery: (_q: Queryable, query: string, start: number, end: number, step: number) => answer({ kind: 'range', query, args: [start, end, step], options }),
    };
  }
}

/** serve dispatches to the routes as cli/server.ts does: exact paths, then prefixes; 405 on other methods. */
function serve(routes: QueryAPIRoute[]): http.Server {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = routes.find((r) => (r.prefix ? url.pathname.startsWith(r.path) : url.pathname === r.path));
    if (route === undefined) return void res.writeHead(404).end('404 page not found\n');
    if (!route.methods.includes(req.method ?? 'GET')) return void res.writeHead(405).end('Method Not Allowed\n');
    void route.handler(req, res, url);
  });
}

describe('query API handlers', () => {
  let store: TempStore;
  let server: http.Server;
  let base = '';
  const engine = new RecordingEngine();
  let ready = true;
  let metadata: Map<string, { type: string; help: string; unit: string }>[] = [];

  beforeAll(async () => {
    const clock = new VirtualClock(T0);
    store = await openTempStore(clock);
    const app = store.db.appender();
    const series = [
      { __name__: 'up', job: 'api', instance: 'a:1' },
      { __name__: 'up', job: 'api', instance: 'b:1' },
      { __name__: 'up', job: 'db', instance: 'c:1' },
      { __name__: 'gpu_util', job: 'dcgm', gpu: '0', 'UUID': 'GPU-0' },
    ];
    for (const s of series) for (let i = 0; i < 10; i++) app.append(Labels.from(s), T0 - 600_000 + i * 15_000, i);
    // A series that exists only long before: time ranges must leave it out.
    app.append(Labels.from({ __name__: 'old', job: 'gone' }), T0 - 3_600_000, 1);
    app.commit();
    const options: QueryAPIOptions = {
      queryable: store.db,
      engine: (o) => engine.forOptions(o),
      parseMetricSelector: parseSeriesSelector,
      queryTimeoutMs: 60_000,
      now: () => T0,
      metadata: () => metadata,
      buildInfo: { version: '9.9.9', revision: 'r', branch: 'b', buildUser: 'u', buildDate: 'd', goVersion: 'v20' },
    };
    server = serve(queryAPIRoutes(() => (ready ? options : undefined), (err) => engine.internalErrors.push(err)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await store?.cleanup();
  });

  async function get(path: string, params: Record<string, string | string[]> = {}) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) qs.append(k, x);
    const res = await fetch(`${base}${path}?${qs}`);
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), text, body: text.startsWith('{') ? JSON.parse(text) : undefined };
  }
  async function post(path: string, form: string, query = '', contentType = 'application/x-www-form-urlencoded') {
    const res = await fetch(`${base}${path}${query}`, { method: 'POST', headers: { 'Content-Type': contentType }, body: form });
    return { status: res.status, body: (await res.json()) as any }; // JSON, inspected field by field
  }
  const last = () => engine.calls.at(-1)!;
  const ok = (outcome: Partial<QueryOutcome> & Pick<QueryOutcome, 'value'>) => (engine.next = { warnings: [], infos: [], ...outcome });

  describe('/api/v1/query', () => {
    it('evaluates at `time`, or now, and answers in the envelope', async () => {
      ok({ value: { type: 'vector', vector: [{ metric: Labels.from({ __name__: 'up', job: 'api' }), t: T0, v: 1 }] } });
      const r = await get('/api/v1/query', { query: 'up', time: '1700000000.5' });
      expect(r.status).toBe(200);
      expect(r.type).toBe('application/json');
      expect(last()).toMatchObject({ kind: 'instant', query: 'up', args: [T0 + 500], options: { timeoutMs: 60_000 } });
      expect(r.text).toBe('{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"api"},"value":[1700000000,"1"]}]}}');
      await get('/api/v1/query', { query: 'up' });
      expect(last().args).toEqual([T0]);
      await get('/api/v1/query', { query: 'up', time: '2023-11-14T22:13:20.250Z' });
      expect(last().args).toEqual([T0 + 250]);
    });

    it('reports warnings and infos only when there are some', async () => {
      ok({ value: { type: 'scalar', scalar: { t: T0, v: 2 } }, warnings: ['w1', 'w1'], infos: ['i1'] });
      const r = await get('/api/v1/query', { query: '2' });
      expect(r.body).toEqual({ status: 'success', data: { resultType: 'scalar', result: [1700000000, '2'] }, warnings: ['w1'], infos: ['i1'] });
    });

    it('reads a form body first, then the URL, as Go does; other bodies carry no parameters', async () => {
      ok({ value: { type: 'scalar', scalar: { t: 5000, v: 1 } } });
      const r = await post('/api/v1/query', 'query=1%2B1&time=5', '?time=7&timeout=10s');
      expect(r.status).toBe(200);
      expect(last()).toMatchObject({ query: '1+1', args: [5000], options: { timeoutMs: 10_000 } });
      await post('/api/v1/query', '{"query":"1"}', '?time=7', 'application/json');
      expect(last()).toMatchObject({ query: '', args: [7000] });
      await get('/api/v1/query', { query: ['a', 'b'] });
      expect(last().query).toBe('a');
    });

    it('passes the request timeout (never past the server\'s) and lookback_delta to the engine', async () => {
      ok({ value: { type: 'vector', vector: [] } });
      await get('/api/v1/query', { query: 'up', timeout: '1.5' });
      expect(last().options).toEqual({ timeoutMs: 1500 });
      await get('/api/v1/query', { query: 'up', timeout: '1h' });
      expect(last().options).toEqual({ timeoutMs: 60_000 });
      await get('/api/v1/query', { query: 'up', timeout: '0' });
      expect(last().options).toEqual({ timeoutMs: 0 });
      await get('/api/v1/query', { query: 'up', lookback_delta: '1m' });
      expect(last().options).toEqual({ timeoutMs: 60_000, lookbackDeltaMs: 60_000 });
      await get('/api/v1/query', { query: 'up', lookback_delta: '-5' });
      expect(last().options).toEqual({ timeoutMs: 60_000 });
    });

    it('keeps `limit` series and warns that it cut', async () => {
      const v = (i: string) => ({ metric: Labels.from({ i }), t: T0, v: 1 });
      ok({ value: { type: 'vector', vector: [v('a'), v('b'), v('c')] } });
      const r = await get('/api/v1/query', { query: 'x', limit: '2' });
      expect(r.body.data.result).toHaveLength(2);
      expect(r.body.warnings).toEqual(['results truncated due to limit']);
      const all = await get('/api/v1/query', { query: 'x', limit: '0' });
      expect(all.body.data.result).toHaveLength(3);
      expect(all.body.warnings).toBeUndefined();
    });

    it("refuses bad parameters with Prometheus's words, in Prometheus's order", async () => {
      const before = engine.calls.length;
      const cases: [Record<string, string>, string][] = [
        [{ query: 'up', time: 'x' }, `invalid parameter "time": Invalid time value for 'time': cannot parse "x" to a valid timestamp`],
        [{ query: 'up', timeout: 'abc' }, 'invalid parameter "timeout": cannot parse "abc" to a valid duration'],
        [{ query: 'up', lookback_delta: 'abc' }, 'error parsing lookback delta duration: cannot parse "abc" to a valid duration'],
        [{ query: 'up', limit: 'abc' }, 'invalid parameter "limit": strconv.Atoi: parsing "abc": invalid syntax'],
        [{ query: 'up', limit: '-1' }, 'invalid parameter "limit": limit must be non-negative'],
        [{ query: 'up', limit: 'x', time: 'x' }, 'invalid parameter "limit": strconv.Atoi: parsing "x": invalid syntax'],
        [{ query: 'up', time: 'x', timeout: 'x' }, `invalid parameter "time": Invalid time value for 'time': cannot parse "x" to a valid timestamp`],
      ];
      for (const [params, error] of cases) {
        const r = await get('/api/v1/query', params);
        expect(r.status, error).toBe(400);
        expect(r.body).toEqual({ status: 'error', errorType: 'bad_data', error });
      }
      expect(engine.calls.length).toBe(before);
    });

    it('maps what the engine throws to status and errorType', async () => {
      const cases: [Error, number, string, string][] = [
        [new ParseError({ start: 6, end: 6 }, 1, 7, 'unclosed left parenthesis'), 400, 'bad_data', 'invalid parameter "query": 1:7: parse error: unclosed left parenthesis'],
        [new PromQLError('execution', 'vector cannot contain metrics with the same labelset'), 422, 'execution', 'vector cannot contain metrics with the same labelset'],
        [new PromQLError('timeout', 'query timed out in query execution'), 503, 'timeout', 'query timed out in query execution'],
        [new PromQLError('canceled', 'query was canceled in query execution'), 499, 'canceled', 'query was canceled in query execution'],
        [new Error('store is closed'), 500, 'internal', 'store is closed'],
      ];
      for (const [err, status, errorType, error] of cases) {
        engine.next = err;
        const r = await get('/api/v1/query', { query: 'sum(up' });
        expect(r.status, error).toBe(status);
        expect(r.body).toEqual({ status: 'error', errorType, error });
      }
      expect(engine.internalErrors).toHaveLength(1);
    });
  });

  describe('/api/v1/query_range', () => {
    const range = (extra: Record<string, string>) => ({ query: 'up', start: '1', end: '2', step: '1', ...extra });

    it('passes start, end and the step in ms', async () => {
      ok({ value: { type: 'matrix', matrix: [{ metric: Labels.from({ a: 'b' }), ts: [1000, 2000], vs: [1, 2] }] } });
      const r = await get('/api/v1/query_range', range({ step: '500ms' }));
      expect(r.text).toBe('{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"b"},"values":[[1,"1"],[2,"2"]]}]}}');
      expect(last()).toMatchObject({ kind: 'range', args: [1000, 2000, 500] });
      await get('/api/v1/query_range', range({ start: '2023-11-14T22:13:20Z', end: '1700000060', step: '15' }));
      expect(last().args).toEqual([T0, T0 + 60_000, 15_000]);
      const viaPost = await post('/api/v1/query_range', 'query=up&start=1&end=3&step=2');
      expect(viaPost.status).toBe(200);
      expect(last().args).toEqual([1000, 3000, 2000]);
    });

    it('allows 11,000 points per series and no more (Go integer division of the range)', async () => {
      ok({ value: { type: 'matrix', matrix: [] } });
      expect((await get('/api/v1/query_range', range({ start: '0', end: '11000', step: '1' }))).status).toBe(200);
      expect((await get('/api/v1/query_range', range({ start: '0', end: '11000.999', step: '1' }))).status).toBe(200);
      const over = await get('/api/v1/query_range', range({ start: '0', end: '11001', step: '1' }));
      expect(over.body).toEqual({
        status: 'error',
        errorType: 'bad_data',
        error: 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
      });
    });

    it("refuses bad parameters with Prometheus's words", async () => {
      const cases: [Record<string, string>, string][] = [
        [{ query: 'up' }, 'invalid parameter "start": cannot parse "" to a valid timestamp'],
        [{ query: 'up', start: '1' }, 'invalid parameter "end": cannot parse "" to a valid timestamp'],
        [{ query: 'up', start: '1', end: '2' }, 'invalid parameter "step": cannot parse "" to a valid duration'],
        [range({ start: 'x' }), 'invalid parameter "start": cannot parse "x" to a valid timestamp'],
        [range({ start: '2', end: '1' }), 'invalid parameter "end": end timestamp must not be before start time'],
        [range({ step: '0' }), 'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer'],
        [range({ step: '-1' }), 'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer'],
        [range({ step: 'abc' }), 'invalid parameter "step": cannot parse "abc" to a valid duration'],
        [range({ step: '1e30' }), 'invalid parameter "step": cannot parse "1e30" to a valid duration. It overflows int64'],
        [range({ step: '0.0001' }), 'invalid parameter "step": query resolution step widths under 1ms are not accepted'],
        [range({ timeout: 'soon' }), 'invalid parameter "timeout": cannot parse "soon" to a valid duration'],
        [range({ limit: 'many' }), 'invalid parameter "limit": strconv.Atoi: parsing "many": invalid syntax'],
        // Wrong in two ways: told of the one Prometheus looks at first.
        [range({ start: 'x', step: '0' }), 'invalid parameter "start": cannot parse "x" to a valid timestamp'],
        [range({ start: '5', end: '1', step: 'x' }), 'invalid parameter "end": end timestamp must not be before start time'],
      ];
      for (const [params, error] of cases) {
        const r = await get('/api/v1/query_range', params);
        expect(r.body, error).toEqual({ status: 'error', errorType: 'bad_data', error });
        expect(r.status).toBe(400);
      }
    });
  });

  describe('/api/v1/series', () => {
    const names = (data: Record<string, string>[]) => data.map((l) => `${l['__name__']}/${l['instance'] ?? l['gpu']}`);

    it('lists matching series, sorted, merging several match[] without duplicates', async () => {
      const one = await get('/api/v1/series', { 'match[]': 'up{job="api"}' });
      expect(one.body).toEqual({
        status: 'success',
        data: [
          { __name__: 'up', instance: 'a:1', job: 'api' },
          { __name__: 'up', instance: 'b:1', job: 'api' },
        ],
      });
      const two = await get('/api/v1/series', { 'match[]': ['gpu_util', 'up', 'up{job="db"}'] });
      expect(names(two.body.data)).toEqual(['gpu_util/0', 'up/a:1', 'up/b:1', 'up/c:1']);
      const viaPost = await post('/api/v1/series', 'match[]=gpu_util', '?match[]=up%7Bjob%3D%22db%22%7D');
      expect(names(viaPost.body.data)).toEqual(['gpu_util/0', 'up/c:1']);
    });

    it('keeps to start and end', async () => {
      const all = await get('/api/v1/series', { 'match[]': '{job=~".+"}' });
      expect(all.body.data).toHaveLength(5);
      const recent = await get('/api/v1/series', { 'match[]': '{job=~".+"}', start: String((T0 - 700_000) / 1000) });
      expect(recent.body.data).toHaveLength(4);
      const backwards = await get('/api/v1/series', { 'match[]': 'up', start: '10', end: '5' });
      expect(backwards.body).toEqual({ status: 'success', data: [] });
    });

    it('keeps `limit` series and warns', async () => {
      const r = await get('/api/v1/series', { 'match[]': 'up', limit: '2' });
      expect(r.body.data).toHaveLength(2);
      expect(r.body.warnings).toEqual(['results truncated due to limit']);
    });

    it("refuses bad requests with Prometheus's words", async () => {
      expect((await get('/api/v1/series')).body).toEqual({ status: 'error', errorType: 'bad_data', error: 'no match[] parameter provided' });
      const empty = await get('/api/v1/series', { 'match[]': '{a=""}' });
      expect(empty.body.error).toBe('invalid parameter "match[]": match[] must contain at least one non-empty matcher');
      const broken = await get('/api/v1/series', { 'match[]': 'up{' });
      expect(broken.status).toBe(400);
      expect(broken.body.error).toMatch(/^invalid parameter "match\[\]": 1:\d+: /);
      const start = await get('/api/v1/series', { 'match[]': 'up', start: 'x' });
      expect(start.body.error).toBe(`invalid parameter "start": Invalid time value for 'start': cannot parse "x" to a valid timestamp`);
    });
  });

  describe('/api/v1/labels and /api/v1/label/<name>/values', () => {
    it('lists label names, of all series or of the matching ones', async () => {
      expect((await get('/api/v1/labels')).body.data).toEqual(['UUID', '__name__', 'gpu', 'instance', 'job']);
      expect((await get('/api/v1/labels', { 'match[]': 'up' })).body.data).toEqual(['__name__', 'instance', 'job']);
      expect((await get('/api/v1/labels', { 'match[]': ['up', 'gpu_util'] })).body.data).toEqual(['UUID', '__name__', 'gpu', 'instance', 'job']);
      const limited = await get('/api/v1/labels', { limit: '1' });
      expect(limited.body).toEqual({ status: 'success', data: ['UUID'], warnings: ['results truncated due to limit'] });
      expect((await post('/api/v1/labels', 'match[]=gpu_util')).body.data).toEqual(['UUID', '__name__', 'gpu', 'job']);
    });

    it('lists label values, of all series or of the matching ones', async () => {
      expect((await get('/api/v1/label/job/values')).body.data).toEqual(['api', 'db', 'dcgm', 'gone']);
      expect((await get('/api/v1/label/job/values', { start: String((T0 - 700_000) / 1000) })).body.data).toEqual(['api', 'db', 'dcgm']);
      expect((await get('/api/v1/label/instance/values', { 'match[]': 'up{job="api"}' })).body.data).toEqual(['a:1', 'b:1']);
      expect((await get('/api/v1/label/__name__/values', { 'match[]': ['up', 'old'] })).body.data).toEqual(['old', 'up']);
      expect((await get('/api/v1/label/nothing/values')).body.data).toEqual([]);
      // Prometheus 3's escaping of names that are not identifiers: U__ then _<hex>_ for a code point.
      expect((await get('/api/v1/label/U__UUID/values')).body.data).toEqual(['GPU-0']);
      expect((await get('/api/v1/label/U__j_6f_b/values')).body.data).toEqual(['api', 'db', 'dcgm', 'gone']);
    });

    it("refuses bad requests with Prometheus's words (no parameter prefix for match[] here)", async () => {
      expect((await get('/api/v1/labels', { 'match[]': '{a=""}' })).body.error).toBe('match[] must contain at least one non-empty matcher');
      expect((await get('/api/v1/label/job/values', { 'match[]': '{a=""}' })).body.error).toBe('match[] must contain at least one non-empty matcher');
      expect((await get('/api/v1/label/job/values', { end: 'x' })).body.error).toBe(
        `invalid parameter "end": Invalid time value for 'end': cannot parse "x" to a valid timestamp`,
      );
      expect((await get('/api/v1/labels', { 'match[]': 'up{' })).body.error).toMatch(/^1:\d+: /);
      expect((await get('/api/v1/label/U__/values')).body).toEqual({ status: 'error', errorType: 'bad_data', error: 'invalid label name: ""' });
      const other = await get('/api/v1/label/job/other');
      expect([other.status, other.text]).toEqual([404, '404 page not found\n']);
      expect((await get('/api/v1/label/a%ZZ/values')).status).toBe(400);
    });
  });

  describe('/api/v1/metadata and /api/v1/status/buildinfo', () => {
    it('merges the targets\' metadata per family, with limit, limit_per_metric and metric', async () => {
      const gauge = { type: 'gauge', help: 'GPU utilization.', unit: '' };
      metadata = [
        new Map([
          ['gpu_util', gauge],
          ['up', { type: 'gauge', help: 'up', unit: '' }],
        ]),
        new Map([
          ['gpu_util', gauge],
          ['queue_depth', { type: 'gauge', help: 'Jobs waiting.', unit: '' }],
        ]),
        new Map([['gpu_util', { type: 'gauge', help: 'Utilization (0-1).', unit: 'ratio' }]]),
      ];
      const all = await get('/api/v1/metadata');
      expect(all.body.data).toEqual({
        gpu_util: [gauge, { type: 'gauge', help: 'Utilization (0-1).', unit: 'ratio' }],
        queue_depth: [{ type: 'gauge', help: 'Jobs waiting.', unit: '' }],
        up: [{ type: 'gauge', help: 'up', unit: '' }],
      });
      expect(Object.keys((await get('/api/v1/metadata', { limit: '2' })).body.data)).toEqual(['gpu_util', 'queue_depth']);
      expect((await get('/api/v1/metadata', { limit: '0' })).body.data).toEqual({});
      expect((await get('/api/v1/metadata', { limit: '-1' })).body.data).toEqual(all.body.data);
      expect((await get('/api/v1/metadata', { limit_per_metric: '1' })).body.data['gpu_util']).toEqual([gauge]);
      expect((await get('/api/v1/metadata', { metric: 'queue_depth' })).body.data).toEqual({ queue_depth: [{ type: 'gauge', help: 'Jobs waiting.', unit: '' }] });
      expect((await get('/api/v1/metadata', { metric: 'nope' })).body.data).toEqual({});
      expect((await get('/api/v1/metadata', { limit: 'x' })).body).toEqual({ status: 'error', errorType: 'bad_data', error: 'limit must be a number' });
      expect((await get('/api/v1/metadata', { limit_per_metric: 'x' })).body.error).toBe('limit_per_metric must be a number');
    });

    it('reports the build', async () => {
      expect((await get('/api/v1/status/buildinfo')).body).toEqual({
        status: 'success',
        data: { version: '9.9.9', revision: 'r', branch: 'b', buildUser: 'u', buildDate: 'd', goVersion: 'v20' },
      });
    });
  });

  it('answers 503 before the store is open, and 204 to OPTIONS', async () => {
    ready = false;
    try {
      const r = await get('/api/v1/query', { query: '1' });
      expect([r.status, r.text]).toEqual([503, 'Service Unavailable\n']);
    } finally {
      ready = true;
    }
    const res = await fetch(`${base}/api/v1/query_range`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
  });
});
