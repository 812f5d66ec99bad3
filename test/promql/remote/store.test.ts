import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Labels } from '../../../model/labels.js';
import { Matcher } from '../../../model/matcher.js';
import { StaleNaN } from '../../../model/value.js';
import { fetchQueryable, openRemoteStore, RemoteClient, remoteQuery, RemoteError, type RemoteStoreConfig } from '../../../promql/remote/index.js';
import { systemClock } from '../../../util/clock.js';
import { nopLogger } from '../../../util/log.js';
import { startPrometheus, type PrometheusServer } from '../../support/prometheus.js';

// The remote store client against a real Prometheus 2.42 (Debian package) on 127.0.0.1 with its
// remote-write receiver on: what vigil writes (remote write 1.0, snappy) Prometheus stores, and
// what Prometheus answers (/api/v1/query) vigil decodes, staleness markers included.

let prom: PrometheusServer;
let config: RemoteStoreConfig;
beforeAll(async () => {
  prom = await startPrometheus('global: {}\n', { args: ['--web.enable-remote-write-receiver'] });
  config = { url: prom.url, writeURL: `${prom.url}/api/v1/write`, timeoutMs: 10_000, retries: 0, bearerToken: undefined, basicAuth: undefined, headers: {} };
}, 30_000);
afterAll(async () => prom?.stop());

// Whole seconds in the recent past: inside Prometheus's head, and exact in its float-seconds API.
const T = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;

describe('remote store against Prometheus 2.42', () => {
  it('remote-written samples come back from instant queries, and a staleness marker ends the series', async () => {
    const store = openRemoteStore({ config, clock: systemClock, logger: nopLogger });
    const app = store.appendable.appender();
    const a = Labels.from({ __name__: 'vigil_test_recorded', model: 'llama-3-70b', version: 'v1' });
    const b = Labels.from({ __name__: 'vigil_test_recorded', model: 'llama-3-70b', version: 'v2' });
    app.append(a, T, 0.25);
    app.append(b, T, 1.5);
    app.append(a, T + 60_000, 0.5);
    app.append(b, T + 60_000, StaleNaN);
    app.commit();
    // The query awaits the write queue, as the next rule in a group does.
    const at0 = await store.query('vigil_test_recorded', T + 30_000);
    expect(at0.map((s) => [s.metric.toString(), s.v])).toEqual([
      ['{__name__="vigil_test_recorded", model="llama-3-70b", version="v1"}', 0.25],
      ['{__name__="vigil_test_recorded", model="llama-3-70b", version="v2"}', 1.5],
    ]);
    const at1 = await store.query('vigil_test_recorded', T + 90_000);
    expect(at1.map((s) => [s.metric.get('version'), s.v])).toEqual([['v1', 0.5]]);
    expect(prom.version).toMatch(/^2\./);
  });

  it('decodes scalars, NaN and infinities as the engine adapter would', async () => {
    const client = new RemoteClient({ config, clock: systemClock });
    const q = remoteQuery(client);
    expect(await q('scalar(vector(42))', T)).toEqual([{ metric: Labels.EMPTY, v: 42 }]);
    const [nan, inf, ninf] = [await q('vector(0) / 0', T), await q('vector(1) / 0', T), await q('vector(-1) / 0', T)];
    expect(Number.isNaN(nan[0]!.v)).toBe(true);
    expect(inf[0]!.v).toBe(Infinity);
    expect(ninf[0]!.v).toBe(-Infinity);
    await expect(q('"a string"', T)).rejects.toThrow('rule result is a string, not a vector or scalar');
  });

  it('a query Prometheus rejects is a query_error that no retry can help', async () => {
    const q = remoteQuery(new RemoteClient({ config: { ...config, retries: 2 }, clock: systemClock }));
    const err = (await q('sum(', T).catch((e: unknown) => e)) as RemoteError;
    expect(err).toBeInstanceOf(RemoteError);
    expect(err.code).toBe('query_error');
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query: bad_data: /);
  });

  it('fetchQueryable snapshots a range of series for synchronous readers, clipped to each querier', async () => {
    const store = openRemoteStore({ config, clock: systemClock, logger: nopLogger });
    const app = store.appendable.appender();
    const l = Labels.from({ __name__: 'ALERTS_FOR_STATE', alertname: 'GPUPoolSaturated', pool: 'h100' });
    for (let i = 0; i < 5; i++) app.append(l, T + i * 15_000, (T - 600_000) / 1000);
    app.commit();
    await store.close();
    const client = new RemoteClient({ config, clock: systemClock });
    const snap = await fetchQueryable(client, [new Matcher('=', '__name__', 'ALERTS_FOR_STATE')], T + 15_000, T + 60_000);
    const all = snap.querier(0, Number.MAX_SAFE_INTEGER).select([new Matcher('=', 'alertname', 'GPUPoolSaturated')]);
    expect(all.map((s) => s.labels.toString())).toEqual(['{__name__="ALERTS_FOR_STATE", alertname="GPUPoolSaturated", pool="h100"}']);
    const times = (mint: number, maxt: number) => {
      const out: number[] = [];
      for (const s of snap.querier(mint, maxt).select([new Matcher('=', 'pool', 'h100')])) {
        const it = s.samples();
        while (it.next()) out.push(it.t - T);
      }
      return out;
    };
    expect(times(0, Number.MAX_SAFE_INTEGER)).toEqual([15_000, 30_000, 45_000, 60_000]);
    expect(times(T + 30_000, T + 45_000)).toEqual([30_000, 45_000]);
    expect(snap.querier(0, Number.MAX_SAFE_INTEGER).labelValues('alertname')).toEqual(['GPUPoolSaturated']);
  });

  it('without write_url, rule output is dropped and alert state is not looked for', async () => {
    const store = openRemoteStore({ config: { ...config, writeURL: undefined }, clock: systemClock, logger: nopLogger });
    const app = store.appendable.appender();
    app.append(Labels.from({ __name__: 'vigil_test_dropped' }), T, 1);
    app.commit();
    expect(store.writes).toBe(false);
    expect(await store.query('vigil_test_dropped', T)).toEqual([]);
    expect(await store.alertState(T, 3600_000)).toBeUndefined();
  });
});
