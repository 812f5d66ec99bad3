import type { IncomingMessage } from 'node:http';

/** BodyTooLarge is a request body over the endpoint's limit (answered with 413). */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.name = 'BodyTooLarge';
  }
}

/** readJSONBody reads at most `limit` bytes and parses them as JSON (a SyntaxError when malformed). */
export async function readJSONBody(req: IncomingMessage, limit: number): Promise<unknown> {
  return JSON.parse(await readTextBody(req, limit));
}

/**
 * readTextBody reads at most `limit` bytes as UTF-8 text. It listens for the stream's events
 * rather than iterating it with for-await: an async iterator and its end-of-stream watcher cost
 * more than the rest of a small request's reading. Past the limit the request is destroyed, as
 * leaving an iteration early does, so an unbounded body is not read to its end.
 */
export function readTextBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.destroy();
      reject(new BodyTooLarge(limit));
    };
    req.on('data', onData);
    req.once('error', reject);
    // A client gone before the end: the promise must still settle (a settled one ignores this).
    req.once('close', () => reject(new Error('request closed before its body ended')));
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
  });
}
