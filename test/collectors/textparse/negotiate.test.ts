import { describe, expect, it } from 'vitest';
import { mediaType, newParser, OpenMetricsParser, PromTextParser, SCRAPE_ACCEPT_HEADER } from '../../../collectors/textparse/index.js';

describe('newParser', () => {
  it.each([
    ['application/openmetrics-text; version=1.0.0; charset=utf-8', OpenMetricsParser],
    ['application/openmetrics-text;version=0.0.1', OpenMetricsParser],
    ['Application/OpenMetrics-Text', OpenMetricsParser],
    ['text/plain; version=0.0.4', PromTextParser],
    ['text/plain', PromTextParser],
    ['application/json', PromTextParser],
    ['', PromTextParser],
    [';;;', PromTextParser],
    [undefined, PromTextParser],
  ])('%s', (contentType, want) => {
    expect(newParser('', contentType)).toBeInstanceOf(want);
  });

  it('reads the media type without parameters, in lower case', () => {
    expect(mediaType(' Application/OpenMetrics-Text ; version=1.0.0')).toBe('application/openmetrics-text');
    expect(mediaType(undefined)).toBe('');
  });

  it('sends the Accept header Prometheus 2.42 sends with a scrape', () => {
    // Captured from the Accept header of a Prometheus 2.42 scrape.
    expect(SCRAPE_ACCEPT_HEADER).toBe(
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
    );
  });
});
