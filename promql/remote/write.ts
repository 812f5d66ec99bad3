import type { Labels } from '../../model/labels.js';
import type { Appendable, Appender } from '../../model/storage.js';
import type { Logger } from '../../util/log.js';
import type { RemoteClient } from './client.js';
import { redactURL, RemoteError } from './errors.js';
import { encodeWriteRequest, snappyBlock, type WriteSeries } from './wire.js';

export interface RemoteWriterOptions {
  readonly client: RemoteClient;
  /** url is the remote-write endpoint (storage.remote.write_url). */
  readonly url: string;
  readonly logger: Logger;
  /** sent and failed count samples per request outcome (self-telemetry). */
  readonly onSent?: (samples: number) => void;
  readonly onFailed?: (samples: number, err: RemoteError) => void;
}

/**
 * RemoteWriter is an Appendable whose commits become Prometheus remote-write requests. Appender
 * commits are synchronous and a request is not, so each commit queues one request and requests go
 * out one at a time, in commit order; flush() resolves once every queued request has finished.
 * The remote QueryFn awaits flush() before each query, so within a group a rule reads what the
 * rules before it recorded, as it would in an embedded store. A request that fails after the
 * client's retries is dropped, logged and counted: rule output is recomputed at the next
 * evaluation, and holding it back would only delay the samples that follow.
 */
export class RemoteWriter implements Appendable {
  private readonly url: URL;
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly opts: RemoteWriterOptions) {
    this.url = new URL(opts.url);
  }

  appender(): Appender {
    let pending = new Map<string, { labels: Labels; samples: { t: number; v: number }[] }>();
    let done = false;
    const finish = () => {
      if (done) throw new Error('appender already committed or rolled back');
      done = true;
    };
    return {
      append: (labels, t, v) => {
        let s = pending.get(labels.key);
        if (s === undefined) pending.set(labels.key, (s = { labels, samples: [] }));
        s.samples.push({ t, v });
        return 0;
      },
      commit: () => {
        finish();
        const series = [...pending.values()];
        pending = new Map();
        if (series.length > 0) this.enqueue(series);
      },
      rollback: () => {
        finish();
        pending = new Map();
      },
    };
  }

  /** flush resolves when every request queued so far has been sent or given up on; it never rejects. */
  flush(): Promise<void> {
    return this.tail;
  }

  private enqueue(series: WriteSeries[]): void {
    this.tail = this.tail.then(() => this.send(series));
  }

  private async send(series: WriteSeries[]): Promise<void> {
    const samples = series.reduce((n, s) => n + s.samples.length, 0);
    try {
      const res = await this.opts.client.do({
        url: this.url,
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-protobuf',
          'Content-Encoding': 'snappy',
          'X-Prometheus-Remote-Write-Version': '0.1.0',
        },
        body: snappyBlock(encodeWriteRequest(series)),
      });
      if (res.status < 200 || res.status > 299) {
        // Prometheus answers 400 for samples it refuses (out of order, duplicates): never retried.
        throw new RemoteError('http_status', `POST ${redactURL(this.url)}: HTTP ${res.status}: ${res.body.trim().slice(0, 200)}`, false, res.status);
      }
      this.opts.onSent?.(samples);
    } catch (err) {
      const e = err instanceof RemoteError ? err : new RemoteError('unreachable', (err as Error).message, false);
      this.opts.logger.warn('remote write failed; samples dropped', { code: e.code, err: e.message, samples });
      this.opts.onFailed?.(samples, e);
    }
  }
}
