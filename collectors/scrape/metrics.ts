import { metrics, type Attributes, type Meter } from '@opentelemetry/api';

/** ScrapeMetrics is the scrape loops' self-telemetry. */
export interface ScrapeMetrics {
  /** scraped records one scrape attempt of a target. */
  scraped(job: string, instance: string, ok: boolean, durationSeconds: number): void;
  /** rejected counts samples the store refused (out of order, duplicate, too old). */
  rejected(job: string, reason: string, count: number): void;
}

/** otelScrapeMetrics reports through an OpenTelemetry Meter; vigil serves it on /metrics. */
export function otelScrapeMetrics(meter: Meter = metrics.getMeter('vigil-scrape')): ScrapeMetrics {
  const scrapes = meter.createCounter('vigil_scrapes', { description: 'Scrape attempts per target, by result.' });
  const duration = meter.createHistogram('vigil_scrape_duration_seconds', {
    description: 'Duration of scrapes per target, fetch and append.',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] },
  });
  const rejected = meter.createCounter('vigil_scrape_samples_rejected', {
    description: 'Scraped samples the store refused, by reason.',
  });
  return {
    scraped(job, instance, ok, seconds) {
      const attrs: Attributes = { job, instance };
      scrapes.add(1, { ...attrs, result: ok ? 'ok' : 'failed' });
      duration.record(seconds, attrs);
    },
    rejected(job, reason, count) {
      rejected.add(count, { job, reason });
    },
  };
}
