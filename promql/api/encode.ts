import { formatPromAPIFloat } from '../../collectors/textparse/format.js';
import { type Labels, METRIC_NAME } from '../../model/labels.js';
import type { Value } from '../value.js';

/**
 * JSON for query results, written as text the way Prometheus 3 writes it (web/api/v1/json_codec.go,
 * util/jsonutil, promql/value.go), so clients that compare strings see the same thing:
 *
 * - sample values in vectors and matrices are strings in Go's strconv 'f' shortest form, switching
 *   to the 'e' form below 1e-6 and from 1e21 (`"1e-07"`, `"1e+21"`); NaN, +Inf, -Inf as words;
 * - a scalar's value is always the 'f' form (`"0.0000001"`), as promql.Scalar marshals it;
 * - vector and matrix timestamps are Unix seconds written from integer ms (`1700000000.5` is
 *   `1700000000.500`); scalar and string timestamps are float64(ms)/1000 as encoding/json prints it.
 *
 * The result is built as one string: a range query can return millions of points, and building
 * objects for JSON.stringify would allocate several per point.
 */

/** formatSampleValue is jsonutil.MarshalFloat without the quotes. */
export function formatSampleValue(v: number): string {
  const abs = Math.abs(v);
  if (abs !== 0 && Number.isFinite(abs) && (abs < 1e-6 || abs >= 1e21)) return goExponent(v);
  return formatPromAPIFloat(v);
}

/** goExponent is Go's strconv.FormatFloat(v, 'e', -1, 64): shortest digits, two-digit exponent at least. */
function goExponent(v: number): string {
  const e = v.toExponential();
  const at = e.indexOf('e');
  const exp = e.slice(at + 2);
  return `${e.slice(0, at)}e${e[at + 1]}${exp.length < 2 ? '0' + exp : exp}`;
}

/** formatTimestamp is jsonutil.MarshalTimestamp: seconds, then a three-digit fraction unless it is zero. */
export function formatTimestamp(t: number): string {
  if (!Number.isSafeInteger(t)) return String(t / 1000);
  const neg = t < 0;
  const a = neg ? -t : t;
  const frac = a % 1000;
  const sec = (a - frac) / 1000;
  const head = neg ? `-${sec}` : String(sec);
  if (frac === 0) return head;
  return `${head}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}`;
}

/**
 * labelsJSON writes a label set as a JSON object with keys in label order (Go sorts map keys, and
 * Labels are sorted), without `__name__` when `dropName` says the name is to be removed.
 */
export function labelsJSON(labels: Labels, dropName = false): string {
  let out = '{';
  let first = true;
  labels.forEach((name, value) => {
    if (dropName && name === METRIC_NAME) return;
    out += `${first ? '' : ','}${JSON.stringify(name)}:${JSON.stringify(value)}`;
    first = false;
  });
  return out + '}';
}

/**
 * encodeQueryData writes the `data` of a query response: `{"resultType":...,"result":...}`.
 * `limit` > 0 keeps only the first `limit` series of a vector or matrix (Prometheus 3's `limit`
 * parameter); `truncated` reports whether any were cut.
 */
export function encodeQueryData(value: Value, limit = 0): { json: string; truncated: boolean } {
  const parts: string[] = [];
  let truncated = false;
  switch (value.type) {
    case 'scalar': {
      const { t, v } = value.scalar;
      return { json: `{"resultType":"scalar","result":[${String(t / 1000)},"${formatPromAPIFloat(v)}"]}`, truncated };
    }
    case 'string': {
      const { t, s } = value.string;
      return { json: `{"resultType":"string","result":[${String(t / 1000)},${JSON.stringify(s)}]}`, truncated };
    }
    case 'vector': {
      let n = value.vector.length;
      if (limit > 0 && n > limit) [n, truncated] = [limit, true];
      for (let i = 0; i < n; i++) {
        const s = value.vector[i]!;
        parts.push(`{"metric":${labelsJSON(s.metric, s.dropName === true)},"value":[${formatTimestamp(s.t)},"${formatSampleValue(s.v)}"]}`);
      }
      return { json: `{"resultType":"vector","result":[${parts.join(',')}]}`, truncated };
    }
    case 'matrix': {
      let n = value.matrix.length;
      if (limit > 0 && n > limit) [n, truncated] = [limit, true];
      for (let i = 0; i < n; i++) {
        const s = value.matrix[i]!;
        const { ts, vs } = s;
        let points = '';
        for (let j = 0; j < ts.length; j++) {
          points += `${j === 0 ? '' : ','}[${formatTimestamp(ts[j]!)},"${formatSampleValue(vs[j]!)}"]`;
        }
        // Prometheus leaves out "values" for a series without float points.
        parts.push(`{"metric":${labelsJSON(s.metric, s.dropName === true)}${ts.length > 0 ? `,"values":[${points}]` : ''}}`);
      }
      return { json: `{"resultType":"matrix","result":[${parts.join(',')}]}`, truncated };
    }
  }
}
