import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createGunzip } from 'node:zlib';
import { readSecret } from '../../util/secret.js';
import { SCRAPE_ACCEPT_HEADER } from '../textparse/index.js';
import type { ScrapeConfig } from './config.js';

/** ScrapeResponse is a fetched exposition body. */
export interface ScrapeResponse {
  readonly body: string;
  /** contentType is the response's Content-Type header, which picks the parser. */
  readonly contentType: string | undefined;
}

/**
 * Scraper fetches one target's body. It MUST give up when `signal` aborts, and reject with a
 * ScrapeError whose message is what the target's health page shows.
 */
export interface Scraper {
  scrape(signal: AbortSignal): Promise<ScrapeResponse>;
}

/** ScrapeError is a failed fetch; the message follows Prometheus's wording where there is one. */
export class ScrapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScrapeError';
  }
}

export const USER_AGENT = 'vigil/0.1.0';

/**
 * httpScraper fetches a target over HTTP(S) the way Prometheus does: its Accept header, gzip,
 * the X-Prometheus-Scrape-Timeout-Seconds hint, credentials read from their file or variable on
 * every scrape (so rotation needs no reload), and the body size limit counted after decompression.
 */
export function httpScraper(url: string, cfg: ScrapeConfig, agents: Agents): Scraper {
  const target = new URL(url);
  const isHttps = target.protocol === 'https:';
  return {
    scrape(signal) {
      return new Promise<ScrapeResponse>((resolve, reject) => {
        const headers: Record<string, string> = {
          Accept: SCRAPE_ACCEPT_HEADER,
          'Accept-Encoding': cfg.enableCompression ? 'gzip' : 'identity',
          'User-Agent': USER_AGENT,
          'X-Prometheus-Scrape-Timeout-Seconds': String(cfg.scrapeTimeoutMs / 1000),
        };
        try {
          if (cfg.basicAuth !== undefined) {
            const password = cfg.basicAuth.password === undefined ? '' : readSecret(cfg.basicAuth.password);
            headers['Authorization'] = 'Basic ' + Buffer.from(`${cfg.basicAuth.username}:${password}`).toString('base64');
          } else if (cfg.authorization !== undefined) {
            headers['Authorization'] = `${cfg.authorization.type} ${readSecret(cfg.authorization.credentials)}`;
          }
        } catch (err) {
          reject(new ScrapeError((err as Error).message));
          return;
        }
        const options: https.RequestOptions = {
          method: 'GET',
          headers,
          signal,
          agent: isHttps ? agents.https(cfg) : agents.http,
        };
        const req = (isHttps ? https : http).request(target, options, (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new ScrapeError(`server returned HTTP status ${res.statusCode} ${res.statusMessage ?? ''}`.trimEnd()));
            return;
          }
          const gzipped = /gzip/i.test(String(res.headers['content-encoding'] ?? ''));
          const stream = gzipped ? res.pipe(createGunzip()) : res;
          const chunks: Buffer[] = [];
          let size = 0;
          let failed = false;
          const fail = (err: Error) => {
            if (failed) return;
            failed = true;
            res.destroy();
            reject(err instanceof ScrapeError ? err : new ScrapeError(describe(err, signal)));
          };
          stream.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (cfg.bodySizeLimitBytes > 0 && size > cfg.bodySizeLimitBytes) {
              fail(new ScrapeError(`body size limit exceeded: the target's body is larger than ${cfg.bodySizeLimitBytes} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          stream.on('error', fail);
          res.on('error', fail);
          stream.on('end', () => {
            if (failed) return;
            const ct = res.headers['content-type'];
            resolve({ body: Buffer.concat(chunks, size).toString('utf8'), contentType: ct });
          });
        });
        req.on('error', (err) => reject(new ScrapeError(describe(err, signal))));
        req.end();
      });
    },
  };
}

function describe(err: Error, signal: AbortSignal): string {
  if (signal.aborted) return signal.reason instanceof Error ? signal.reason.message : 'context deadline exceeded';
  const code = (err as NodeJS.ErrnoException).code;
  return code !== undefined && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
}

/** Agents keeps connections to targets alive between scrapes, one pool per scheme and TLS setting. */
export class Agents {
  readonly http = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly tls = new Map<string, https.Agent>();

  https(cfg: ScrapeConfig): https.Agent {
    const key = `${cfg.tlsInsecureSkipVerify}|${cfg.tlsCaFile ?? ''}`;
    let agent = this.tls.get(key);
    if (agent === undefined) {
      agent = new https.Agent({
        keepAlive: true,
        maxSockets: 64,
        rejectUnauthorized: !cfg.tlsInsecureSkipVerify,
        ...(cfg.tlsCaFile === undefined ? {} : { ca: readFileSync(cfg.tlsCaFile) }),
      });
      this.tls.set(key, agent);
    }
    return agent;
  }

  destroy(): void {
    this.http.destroy();
    for (const a of this.tls.values()) a.destroy();
    this.tls.clear();
  }
}
