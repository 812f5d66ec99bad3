// A loopback HTTP server for webhook tests: it records each request with its JSON body and answers
// 200 unless a reply was scripted.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
  /** body is the parsed JSON body, or undefined when the body is not JSON. */
  readonly body: unknown;
}

/** Reply is a scripted answer; 'stall' never answers (until the sink closes). */
export type Reply = { readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: string } | 'stall';

/** WebhookSink is a running server at `url`; `replyNext` queues answers for the next requests. */
export class WebhookSink {
  readonly requests: ReceivedRequest[] = [];
  private readonly replies: Reply[] = [];
  private readonly stalled: ServerResponse[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(path = '/hook'): Promise<WebhookSink> {
    let sink: WebhookSink | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          body = undefined;
        }
        sink!.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, body });
        const reply = sink!.replies.shift() ?? { status: 200 };
        if (reply === 'stall') {
          sink!.stalled.push(res);
          return;
        }
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body ?? '');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    sink = new WebhookSink(server, `http://127.0.0.1:${port}${path}`);
    return sink;
  }

  /** replyNext queues the answer to the next request that has none scripted yet. */
  replyNext(reply: Reply): void {
    this.replies.push(reply);
  }

  /** close stops listening (connections are then refused) and drops stalled requests. */
  close(): Promise<void> {
    for (const res of this.stalled.splice(0)) res.destroy();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
