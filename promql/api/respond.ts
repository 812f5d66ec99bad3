import type { ServerResponse } from 'node:http';
import { type ApiError, httpStatus } from './errors.js';

/** Prometheus 3 reports at most this many warnings and this many infos, then says how many it left out. */
const MAX_ANNOTATIONS = 10;

/**
 * annotationStrings dedupes (Prometheus keeps annotations in a set) and caps a list, adding
 * "N more warning annotations omitted" as annotations.AsStrings does.
 */
export function annotationStrings(list: readonly string[], kind: 'warning' | 'info'): string[] {
  const unique = [...new Set(list)];
  if (unique.length <= MAX_ANNOTATIONS) return unique;
  const kept = unique.slice(0, MAX_ANNOTATIONS);
  kept.push(`${unique.length - MAX_ANNOTATIONS} more ${kind} annotations omitted`);
  return kept;
}

/**
 * writeSuccess sends `{"status":"success","data":<data>}` with `warnings` and `infos` when there
 * are any (Prometheus omits empty ones). `data` is already JSON, as text or UTF-8 bytes.
 */
export function writeSuccess(res: ServerResponse, data: string | Buffer, warnings: readonly string[] = [], infos: readonly string[] = []): void {
  let tail = '';
  const w = annotationStrings(warnings, 'warning');
  const i = annotationStrings(infos, 'info');
  if (w.length > 0) tail += `,"warnings":${JSON.stringify(w)}`;
  if (i.length > 0) tail += `,"infos":${JSON.stringify(i)}`;
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.write('{"status":"success","data":');
  res.write(data);
  res.end(tail + '}');
}

/** writeError sends `{"status":"error","errorType":...,"error":...}` with the errorType's HTTP status. */
export function writeError(res: ServerResponse, err: ApiError): void {
  res.writeHead(httpStatus(err.type), { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ status: 'error', errorType: err.type, error: err.message }));
}
