import { OpenMetricsParser } from './openmetrics.js';
import type { Parser } from './parser.js';
import { PromTextParser } from './promtext.js';

/**
 * SCRAPE_ACCEPT_HEADER is the Accept header Prometheus (2.42 and later, without protobuf
 * negotiation) sends with a scrape: OpenMetrics 1.0.0 first, then OpenMetrics 0.0.1, then the text
 * format 0.0.4, then anything. Captured from a Prometheus 2.42 scrape.
 */
export const SCRAPE_ACCEPT_HEADER =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

export const OPENMETRICS_MEDIA_TYPE = 'application/openmetrics-text';

/**
 * newParser picks the parser for a scrape body from its Content-Type, as Prometheus's
 * textparse.New does: the OpenMetrics parser for the `application/openmetrics-text` media type
 * (any version or charset parameter, any letter case), the text-format parser for everything
 * else, including a missing or malformed header.
 */
export function newParser(body: string, contentType: string | undefined): Parser {
  return mediaType(contentType) === OPENMETRICS_MEDIA_TYPE ? new OpenMetricsParser(body) : new PromTextParser(body);
}

/** mediaType is the lower-cased type/subtype of a Content-Type header, without parameters. */
export function mediaType(contentType: string | undefined): string {
  if (contentType === undefined) return '';
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}
