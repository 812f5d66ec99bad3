import http from 'node:http';
import https from 'node:https';

/** PostResult is the part of an answer the webhook integration reads. */
export interface PostResult {
  readonly status: number;
  readonly retryAfter: string | null;
}

// Keep-alive agents shared by every webhook: a receiver gets many small POSTs, and a new
// connection (and TLS handshake) per notification costs more than the notification.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

/**
 * postBody POSTs `body` to `url` with node:http, reading and discarding the answer's body so the
 * connection goes back to the pool. It rejects with the socket's error (its `code` says what
 * failed) and with the signal's reason when `signal` aborts.
 */
export function postBody(url: URL, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
    const req = transport.request(
      url,
      { method: 'POST', agent, signal, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } },
      (res) => {
        res.on('error', reject);
        res.resume();
        res.on('end', () => {
          const ra = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, retryAfter: typeof ra === 'string' ? ra : null });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
