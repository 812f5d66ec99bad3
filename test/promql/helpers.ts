import { Labels } from '../../model/labels.js';
import type { Sample, Vector } from '../../promql/value.js';

/**
 * Test helpers: label sets and samples written as in promqltest files, e.g.
 * `http_requests{job="api-server", instance="0"}` or `{group="canary"}`.
 */

/** lbl parses `name{a="b", c="d"}`; the values may not contain `"` or `,`. */
export function lbl(series: string): Labels {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(?:\{(.*)\})?$/.exec(series.trim());
  if (m === null) throw new Error(`bad series ${series}`);
  const pairs: [string, string][] = [];
  if (m[1] !== undefined) pairs.push(['__name__', m[1]]);
  const body = (m[2] ?? '').trim();
  if (body !== '') {
    for (const part of body.split(',')) {
      const kv = /^\s*([^=\s]+)\s*=\s*"(.*)"\s*$/.exec(part);
      if (kv === null) throw new Error(`bad label ${part} in ${series}`);
      pairs.push([kv[1]!, kv[2]!]);
    }
  }
  return Labels.from(pairs);
}

/** smp is a sample at time t (default 0). */
export function smp(series: string, v: number, t = 0, dropName = false): Sample {
  return { metric: lbl(series), t, v, dropName };
}

/**
 * vec builds an instant vector from [series, value] rows, sorted by label set as a selector's
 * result comes out of storage (unless keepOrder).
 */
export function vec(rows: readonly (readonly [string, number])[], t = 0, keepOrder = false): Vector {
  const out = rows.map(([s, v]) => smp(s, v, t));
  if (!keepOrder) out.sort((a, b) => a.metric.compare(b.metric));
  return out;
}

/** rows renders a result as [series string, value, dropName] triples, in result order. */
export function rows(v: Vector): [string, number, boolean][] {
  return v.map((s) => [s.metric.toString(), s.v, s.dropName === true]);
}

/** asSet renders a result as series string → value, for order-independent comparison. */
export function asSet(v: Vector): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of v) {
    const k = s.metric.toString();
    if (k in out) throw new Error(`duplicate series ${k}`);
    out[k] = s.v;
  }
  return out;
}

/** expected renders promqltest-style expected rows the same way as asSet. */
export function expected(rowsIn: readonly (readonly [string, number])[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [s, v] of rowsIn) out[lbl(s).toString()] = v;
  return out;
}
