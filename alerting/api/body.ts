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

/** readTextBody reads at most `limit` bytes as UTF-8 text. */
export async function readTextBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
