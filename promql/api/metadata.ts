import { ApiError } from './errors.js';
import type { Form } from './form.js';
import { goAtoi } from './params.js';
import type { MetricMetadata, QueryAPIOptions, Reply } from './types.js';

/** optionalInt reads `limit` or `limit_per_metric`: -1 (none) when absent; Prometheus's words when not a number. */
function optionalInt(form: Form, name: string): number {
  const s = form.value(name);
  if (s === '') return -1;
  try {
    return goAtoi(s);
  } catch {
    throw new ApiError('bad_data', `${name} must be a number`);
  }
}

/**
 * metadata serves `/api/v1/metadata`: for each metric family the distinct {type, help, unit} the
 * active targets reported, `{"<family>":[{"type":...,"help":...,"unit":...}]}`. `metric` selects one
 * family; `limit` (>= 0) bounds the number of families (0 gives none, as in Prometheus);
 * `limit_per_metric` (> 0) bounds the entries per family. Prometheus picks the families kept by
 * `limit` in Go's random map order; vigil keeps the first in name order, which is one of its answers.
 */
export function metadata(form: Form, opts: QueryAPIOptions): Reply {
  const limit = optionalInt(form, 'limit');
  const limitPerMetric = optionalInt(form, 'limit_per_metric');
  const metric = form.value('metric');
  const byFamily = new Map<string, Map<string, MetricMetadata>>();
  const add = (family: string, md: MetricMetadata) => {
    let entries = byFamily.get(family);
    if (limitPerMetric > 0 && entries !== undefined && entries.size >= limitPerMetric) return;
    if (entries === undefined) {
      entries = new Map();
      byFamily.set(family, entries);
    }
    const key = `${md.type}\0${md.help}\0${md.unit}`;
    if (!entries.has(key)) entries.set(key, { type: md.type, help: md.help, unit: md.unit });
  };
  for (const target of opts.metadata?.() ?? []) {
    if (metric === '') {
      for (const [family, md] of target) add(family, md);
    } else {
      const md = target.get(metric);
      if (md !== undefined) add(metric, md);
    }
  }
  const out: Record<string, MetricMetadata[]> = {};
  let n = 0;
  for (const family of [...byFamily.keys()].sort()) {
    if (limit >= 0 && n >= limit) break;
    out[family] = [...byFamily.get(family)!.values()];
    n++;
  }
  return { data: JSON.stringify(out) };
}

/** buildInfo serves `/api/v1/status/buildinfo`. */
export function buildInfo(_form: Form, opts: QueryAPIOptions): Reply {
  return { data: JSON.stringify(opts.buildInfo) };
}
