import { Labels } from '../model/labels.js';
import type { Engine } from '../promql/engine.js';
import type { Queryable } from '../model/storage.js';
import type { Alert, NotifyFn, QueryFn } from '../rules/model.js';
import type { Logger } from '../util/log.js';

/**
 * engineQuery adapts the PromQL engine to the rules' QueryFn seam, as Prometheus's
 * EngineQueryFunc: an instant query at t; a vector comes back as is, a scalar as one sample with
 * no labels; any other result (a string, a range vector) is an error.
 */
export function engineQuery(engine: Engine, queryable: Queryable): QueryFn {
  return async (expr, t) => {
    const { value } = await engine.instantQuery(queryable, expr, t);
    switch (value.type) {
      case 'vector':
        return value.vector.map((s) => ({ metric: s.metric, v: s.v }));
      case 'scalar':
        return [{ metric: Labels.EMPTY, v: value.scalar.v }];
      default:
        throw new Error('rule result is not a vector or scalar');
    }
  };
}

/**
 * logNotify is vigil run's NotifyFn until alerting exists: each alert sent is one structured log
 * line, `alert firing` while its endsAt lies ahead of the clock and `alert resolved` once it is
 * the resolution time.
 */
export function logNotify(logger: Logger, now: () => number): NotifyFn {
  return (alerts: readonly Alert[]) => {
    const t = now();
    for (const a of alerts) {
      const resolved = a.endsAt <= t;
      logger.info(resolved ? 'alert resolved' : 'alert firing', {
        alertname: a.labels.get('alertname'),
        labels: a.labels.toRecord(),
        annotations: a.annotations.toRecord(),
        startsAt: new Date(a.startsAt).toISOString(),
        endsAt: new Date(a.endsAt).toISOString(),
        generatorURL: a.generatorURL,
      });
    }
  };
}
