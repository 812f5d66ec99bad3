import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors.js';

/** Go's net/http refuses form bodies larger than this (10 MiB), as "http: POST too large". */
const MAX_FORM_BYTES = 10 << 20;

/**
 * Form is a request's parameters as Go's http.Request.Form holds them: the values of an
 * `application/x-www-form-urlencoded` body first, then those of the URL's query string.
 */
export interface Form {
  /** value is the first value of `name`, or '' (Go's FormValue). */
  value(name: string): string;
  /** values lists every value of `name`, body first (such as the `match[]` list). */
  values(name: string): string[];
}

/**
 * readForm reads the URL's query string and, for POST, PUT and PATCH with a form content type, the
 * body. Other bodies are ignored, as Go does (a JSON body carries no parameters). A body past
 * 10 MiB is a bad_data error.
 */
export async function readForm(req: IncomingMessage, url: URL): Promise<Form> {
  const method = req.method ?? 'GET';
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  let body: URLSearchParams | undefined;
  if ((method === 'POST' || method === 'PUT' || method === 'PATCH') && type === 'application/x-www-form-urlencoded') {
    body = new URLSearchParams(await readBody(req));
  }
  const query = url.searchParams;
  return {
    value(name) {
      return body?.get(name) ?? query.get(name) ?? '';
    },
    values(name) {
      return body === undefined ? query.getAll(name) : [...body.getAll(name), ...query.getAll(name)];
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_FORM_BYTES) throw new ApiError('bad_data', 'error parsing form values: http: POST too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}
