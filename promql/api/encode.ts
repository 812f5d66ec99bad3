import { formatPromAPIFloat } from '../../collectors/textparse/format.js';
import { type Labels, METRIC_NAME } from '../../model/labels.js';
import type { Value } from '../value.js';
import { ByteWriter } from './bytes.js';

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
 * The result is written as bytes (ByteWriter): a range query can return millions of points, and
 * objects for JSON.stringify, or one string per point, would cost more than the formatting.
 */

/** formatSampleValue is jsonutil.MarshalFloat without the quotes. */
export function formatSampleValue(v: number): string {
  const abs = Math.abs(v);
  // In this range JavaScript prints the shortest round-trip digits in plain decimal, which is
  // exactly Go's 'f' -1 form; it is the hot path of every matrix.
  if (abs >= 1e-6 && abs < 1e21) return String(v);
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  if (abs !== abs) return 'NaN';
  if (abs === Infinity) return v > 0 ? '+Inf' : '-Inf';
  return goExponent(v);
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
 * writeQueryData writes the `data` of a query response, `{"resultType":...,"result":...}`, to `w`.
 * `limit` > 0 keeps only the first `limit` series of a vector or matrix (Prometheus 3's `limit`
 * parameter); the result says whether any were cut.
 */
export function writeQueryData(w: ByteWriter, value: Value, limit = 0): { truncated: boolean } {
  let truncated = false;
  switch (value.type) {
    case 'scalar': {
      const { t, v } = value.scalar;
      w.ascii(`{"resultType":"scalar","result":[${String(t / 1000)},"${formatPromAPIFloat(v)}"]}`);
      break;
    }
    case 'string': {
      const { t, s } = value.string;
      w.ascii(`{"resultType":"string","result":[${String(t / 1000)},`);
      w.text(JSON.stringify(s));
      w.ascii(']}');
      break;
    }
    case 'vector': {
      let n = value.vector.length;
      if (limit > 0 && n > limit) [n, truncated] = [limit, true];
      w.ascii('{"resultType":"vector","result":[');
      for (let i = 0; i < n; i++) {
        const s = value.vector[i]!;
        w.ascii(i === 0 ? '{"metric":' : ',{"metric":');
        w.text(labelsJSON(s.metric, s.dropName === true));
        w.ascii(`,"value":[${formatTimestamp(s.t)},"${formatSampleValue(s.v)}"]}`);
      }
      w.ascii(']}');
      break;
    }
    case 'matrix': {
      let n = value.matrix.length;
      if (limit > 0 && n > limit) [n, truncated] = [limit, true];
      w.ascii('{"resultType":"matrix","result":[');
      for (let i = 0; i < n; i++) {
        const s = value.matrix[i]!;
        const { ts, vs } = s;
        w.ascii(i === 0 ? '{"metric":' : ',{"metric":');
        w.text(labelsJSON(s.metric, s.dropName === true));
        // Prometheus leaves out "values" for a series without float points.
        if (ts.length > 0) {
          w.ascii(',"values":[');
          for (let j = 0; j < ts.length; j++) w.ascii(`${j === 0 ? '' : ','}[${formatTimestamp(ts[j]!)},"${formatSampleValue(vs[j]!)}"]`);
          w.ascii(']');
        }
        w.ascii('}');
      }
      w.ascii(']}');
      break;
    }
  }
  return { truncated };
}

/** encodeQueryData is writeQueryData into a string (for `vigil query --json` and tests). */
export function encodeQueryData(value: Value, limit = 0): { json: string; truncated: boolean } {
  const w = new ByteWriter();
  const { truncated } = writeQueryData(w, value, limit);
  return { json: w.bytes().toString('utf8'), truncated };
}
