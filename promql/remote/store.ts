import type { Meter } from '@opentelemetry/api';
import { Matcher } from '../../model/matcher.js';
import type { Appendable, Queryable } from '../../model/storage.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { InstantSample } from './api.js';
import { RemoteClient } from './client.js';
import type { RemoteStoreConfig } from './config.js';
import { redactURL } from './errors.js';
import { otelRemoteWriteMetrics } from './metrics.js';
import { remoteQuery } from './query.js';
import { fetchQueryable } from './queryable.js';
import { RemoteWriter } from './write.js';

export interface RemoteStoreOptions {
  readonly config: RemoteStoreConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly meter?: Meter;
  readonly env?: NodeJS.ProcessEnv;
  readonly userAgent?: string;
}

/**
 * RemoteStore is everything the rule evaluator needs from a remote Prometheus-compatible store, in
 * the shapes the embedded store gives it: a query function, an appendable for what rules write,
 * and a Queryable to restore alert state from.
 */
export interface RemoteStore {
  /** query has the rules' QueryFn signature (expr, t in ms). */
  readonly query: (expr: string, t: number) => Promise<readonly InstantSample[]>;
  /** appendable remote-writes to write_url, or drops everything when there is none (see writes). */
  readonly appendable: Appendable;
  /** writes says whether rule output reaches the store (write_url is set). */
  readonly writes: boolean;
  /**
   * alertState fetches ALERTS_FOR_STATE over [now - toleranceMs, now] for restoring `for` state
   * after a start; undefined when nothing is written remotely, or when the store cannot be read
   * (logged: alerts then start over, as in a fresh Prometheus).
   */
  alertState(now: number, toleranceMs: number): Promise<Queryable | undefined>;
  /** close waits for queued remote writes. */
  close(): Promise<void>;
}

const discard: Appendable = { appender: () => ({ append: () => 0, commit: () => {}, rollback: () => {} }) };

/** openRemoteStore builds the client, the writer (when write_url is set) and the query function. */
export function openRemoteStore(opts: RemoteStoreOptions): RemoteStore {
  const { config, logger } = opts;
  const client = new RemoteClient({
    config,
    clock: opts.clock,
    ...(opts.env === undefined ? {} : { env: opts.env }),
    ...(opts.userAgent === undefined ? {} : { userAgent: opts.userAgent }),
  });
  const writer =
    config.writeURL === undefined
      ? undefined
      : new RemoteWriter({
          client,
          url: config.writeURL,
          logger: logger.with({ component: 'remote-write' }),
          ...(opts.meter === undefined ? {} : otelRemoteWriteMetrics(opts.meter)),
        });
  logger.info('evaluating rules against a remote store', {
    url: redactURL(client.base),
    write_url: config.writeURL === undefined ? 'none (recording rule output is dropped)' : redactURL(new URL(config.writeURL)),
  });
  return {
    query: remoteQuery(client, writer === undefined ? {} : { before: () => writer.flush() }),
    appendable: writer ?? discard,
    writes: writer !== undefined,
    async alertState(now, toleranceMs) {
      if (writer === undefined) return undefined;
      try {
        return await fetchQueryable(client, [new Matcher('=', '__name__', 'ALERTS_FOR_STATE')], now - toleranceMs, now);
      } catch (err) {
        logger.warn('cannot read ALERTS_FOR_STATE from the remote store; alerts start without their restored state', { err: (err as Error).message });
        return undefined;
      }
    },
    close: () => writer?.flush() ?? Promise.resolve(),
  };
}

