import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Matcher } from '../../model/matcher.js';
import type { Queryable } from '../../model/storage.js';
import type { Value } from '../value.js';

/** ApiHandler answers one request; `url` is the request's URL (cli/server.ts's Handler has this shape). */
export type ApiHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** Reply is a successful answer: `data` as JSON (text or UTF-8 bytes), and the annotations to report with it. */
export interface Reply {
  readonly data: string | Buffer;
  readonly warnings?: readonly string[];
  readonly infos?: readonly string[];
}

/** QueryOutcome is what an engine returns for one query: its value and annotations. */
export interface QueryOutcome {
  readonly value: Value;
  readonly warnings: readonly string[];
  readonly infos: readonly string[];
}

/**
 * QueryEngine is the part of promql/engine.ts's Engine the API uses. Times are ms. It throws
 * PromQLError: 'bad_data' for a query that does not parse or type-check (before running anything),
 * 'execution', 'timeout' or 'canceled' while running.
 */
export interface QueryEngine {
  instantQuery(queryable: Queryable, query: string, t: number): Promise<QueryOutcome>;
  rangeQuery(queryable: Queryable, query: string, start: number, end: number, stepMs: number): Promise<QueryOutcome>;
}

/** PerQueryOptions are what one request may set: its timeout and, when given, its lookback delta. */
export interface PerQueryOptions {
  /** timeoutMs: the query fails with a timeout past this (may be <= 0: it times out at once). */
  readonly timeoutMs: number;
  readonly lookbackDeltaMs?: number;
}

/** MetricMetadata is what a target said about a metric family in HELP, TYPE and UNIT lines. */
export interface MetricMetadata {
  readonly type: string;
  readonly help: string;
  readonly unit: string;
}

/** BuildInfo is `/api/v1/status/buildinfo`'s data, with Prometheus's field names. */
export interface BuildInfo {
  readonly version: string;
  readonly revision: string;
  readonly branch: string;
  readonly buildUser: string;
  readonly buildDate: string;
  /** goVersion is the runtime's version; vigil reports Node.js's here. */
  readonly goVersion: string;
}

/** QueryAPIOptions connect the API to a store, an engine and the scrape loops' metadata. */
export interface QueryAPIOptions {
  readonly queryable: Queryable;
  /** engine returns the engine for one request's options (engines are cheap to make). */
  engine(options: PerQueryOptions): QueryEngine;
  /** parseMetricSelector reads a `match[]` selector; it throws ParseError with a position. */
  parseMetricSelector(text: string): Matcher[];
  /** queryTimeoutMs bounds every query, as Prometheus's --query.timeout (default 2m). */
  readonly queryTimeoutMs?: number;
  /** now is the default evaluation time of an instant query, in ms (default Date.now). */
  now?(): number;
  /** metadata lists each active target's metadata by metric family (default: none). */
  metadata?(): Iterable<ReadonlyMap<string, MetricMetadata>>;
  readonly buildInfo: BuildInfo;
}
