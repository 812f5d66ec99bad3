import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';

/** PostResult is the part of an answer the webhook integration reads. */
export interface PostResult {
  readonly status: number;
  readonly retryAfter: string | null;
}

/** Post is one request under way: its answer, and a way to abandon it. */
export interface Post {
  readonly result: Promise<PostResult>;
  /** abort destroys the request; result then rejects with `reason`. */
  abort(reason: Error): void;
}

// Keep-alive agents shared by every webhook: a receiver gets many small POSTs, and a new
// connection (and TLS handshake) per notification costs more than the notification.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

/**
 * startPost POSTs `body` to `url` with node:http, reading and discarding the answer's body so the
 * connection goes back to the pool. The result rejects with the socket's error (its `code` says
 * what failed) or the abort's reason. Aborting destroys the request directly rather than through
 * an AbortSignal option, which costs node:http a listener and a stream wrapper per request.
 */
export function startPost(target: PostTarget, headers: Record<string, string>, body: string): Post {
  let req: http.ClientRequest;
  const result = new Promise<PostResult>((resolve, reject) => {
    const options = { ...target.options, method: 'POST', agent: target.agent, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } };
    req = (target.https ? https : http).request(options, (res) => {
      res.on('error', reject);
      res.resume();
      res.on('end', () => {
        const ra = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, retryAfter: typeof ra === 'string' ? ra : null });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
  return { result, abort: (reason) => req.destroy(reason) };
}

/** PostTarget is a parsed http or https URL with its agent, made once per URL (postTarget). */
export interface PostTarget {
  readonly https: boolean;
  readonly options: http.RequestOptions;
  readonly agent: http.Agent;
}

/** postTarget parses an absolute http(s) URL for startPost; undefined for anything else. */
export function postTarget(url: string): PostTarget | undefined {
  if (!URL.canParse(url)) return undefined;
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  const https_ = u.protocol === 'https:';
  return { https: https_, options: urlToHttpOptions(u), agent: https_ ? agents['https:'] : agents['http:'] };
}
