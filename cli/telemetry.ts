import type { IncomingMessage, ServerResponse } from 'node:http';
import { metrics, type Meter } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';

/** Telemetry is vigil's own metrics: a Meter for components and the `/metrics` handler that serves them. */
export interface Telemetry {
  readonly meter: Meter;
  /** handle serves the Prometheus exposition of vigil's own metrics. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  shutdown(): Promise<void>;
}

const SERVICE = { 'service.name': 'vigil', 'service.version': '0.1.0' };

/**
 * startProcessTelemetry starts the OpenTelemetry Node SDK for the process, exporting metrics in
 * Prometheus format on vigil's own HTTP port (no second server) and nothing else: no traces are
 * exported, so a machine without a collector sees no connection attempts.
 */
export function startProcessTelemetry(): Telemetry {
  const exporter = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
  const sdk = new NodeSDK({
    resource: resourceFromAttributes(SERVICE),
    autoDetectResources: false,
    metricReaders: [exporter],
    spanProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  return {
    meter: metrics.getMeter('vigil'),
    handle: (req, res) => exporter.getMetricsRequestHandler(req, res),
    shutdown: () => sdk.shutdown(),
  };
}

/**
 * isolatedTelemetry gives a Meter and handler that are not registered globally, so several vigil
 * instances can live in one test process.
 */
export function isolatedTelemetry(): Telemetry {
  const exporter = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
  const provider = new MeterProvider({ resource: resourceFromAttributes(SERVICE), readers: [exporter] });
  return {
    meter: provider.getMeter('vigil'),
    handle: (req, res) => exporter.getMetricsRequestHandler(req, res),
    shutdown: () => provider.shutdown(),
  };
}
