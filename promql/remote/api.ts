import { Labels } from '../../model/labels.js';
import type { RemoteClient } from './client.js';
import { redactURL, RemoteError } from './errors.js';

/** InstantSample is one sample of an instant query result; a scalar is one sample with no labels. */
export interface InstantSample {
  readonly metric: Labels;
  readonly v: number;
}

/** RangeSeries is one series of a range-vector result; times in ms, ascending. */
export interface RangeSeries {
  readonly metric: Labels;
  readonly samples: readonly { readonly t: number; readonly v: number }[];
}

/** QueryValue is a decoded `/api/v1/query` result. */
export type QueryValue =
  | { readonly type: 'vector'; readonly vector: readonly InstantSample[] }
  | { readonly type: 'scalar'; readonly scalar: InstantSample }
  | { readonly type: 'matrix'; readonly matrix: readonly RangeSeries[] }
  | { readonly type: 'string'; readonly string: string };

/**
 * instantQuery runs `expr` at `t` (ms) through `POST <base>/api/v1/query` (form-encoded, so long
 * rule expressions never meet a URL length limit) and decodes the result. Times go as Unix
 * seconds with millisecond precision, as Prometheus's own clients send them.
 */
export async function instantQuery(client: RemoteClient, expr: string, t: number): Promise<QueryValue> {
  const url = client.api('api/v1/query');
  const body = new URLSearchParams({ query: expr, time: (t / 1000).toFixed(3) }).toString();
  const res = await client.do({ url, method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
  return decodeQueryResponse(res.status, res.body, `POST ${redactURL(url)}`);
}

/** decodeQueryResponse reads Prometheus's JSON envelope; a non-success status or body is a RemoteError. */
export function decodeQueryResponse(status: number, text: string, where: string): QueryValue {
  let body: { status?: unknown; data?: { resultType?: unknown; result?: unknown }; errorType?: unknown; error?: unknown } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  if (body?.status === 'error') {
    throw new RemoteError('query_error', `${where}: ${String(body.errorType ?? 'error')}: ${String(body.error ?? '')}`, status >= 500 || status === 429, status);
  }
  if (status < 200 || status > 299) throw new RemoteError('http_status', `${where}: HTTP ${status}`, status >= 500 || status === 429, status);
  if (body?.status !== 'success' || typeof body.data !== 'object' || body.data === null) {
    throw new RemoteError('bad_response', `${where}: the body is not a Prometheus API response`, false, status);
  }
  const { resultType, result } = body.data;
  const bad = () => new RemoteError('bad_response', `${where}: malformed ${String(resultType)} result`, false, status);
  switch (resultType) {
    case 'vector':
      if (!Array.isArray(result)) throw bad();
      return { type: 'vector', vector: result.map((s: { metric?: unknown; value?: unknown }) => ({ metric: labels(s.metric, bad), v: sampleValue(s.value, bad).v })) };
    case 'scalar':
      return { type: 'scalar', scalar: { metric: Labels.EMPTY, v: sampleValue(result, bad).v } };
    case 'matrix':
      if (!Array.isArray(result)) throw bad();
      return {
        type: 'matrix',
        matrix: result.map((s: { metric?: unknown; values?: unknown }) => {
          if (!Array.isArray(s.values)) throw bad();
          return { metric: labels(s.metric, bad), samples: s.values.map((p: unknown) => sampleValue(p, bad)) };
        }),
      };
    case 'string':
      if (!Array.isArray(result) || typeof result[1] !== 'string') throw bad();
      return { type: 'string', string: result[1] };
    default:
      throw bad();
  }
}

function labels(m: unknown, bad: () => RemoteError): Labels {
  if (typeof m !== 'object' || m === null) throw bad();
  for (const v of Object.values(m)) if (typeof v !== 'string') throw bad();
  return Labels.from(m as Record<string, string>);
}

/** sampleValue decodes `[<unix seconds>, "<value>"]`; values are Go float strings (NaN, +Inf, -Inf). */
function sampleValue(p: unknown, bad: () => RemoteError): { t: number; v: number } {
  if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'string') throw bad();
  return { t: Math.round(p[0] * 1000), v: parseGoFloat(p[1], bad) };
}

function parseGoFloat(s: string, bad: () => RemoteError): number {
  switch (s) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return NaN;
  }
  const v = Number(s);
  if (s.trim() === '' || Number.isNaN(v)) throw bad();
  return v;
}
