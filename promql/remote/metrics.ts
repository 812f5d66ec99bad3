import type { Meter } from '@opentelemetry/api';
import type { RemoteError } from './errors.js';

/** RemoteWriteMetrics counts what the remote writer sent and dropped, in samples. */
export interface RemoteWriteMetrics {
  onSent(samples: number): void;
  onFailed(samples: number, err: RemoteError): void;
}

/**
 * otelRemoteWriteMetrics reports on vigil's /metrics, named after Prometheus's
 * `prometheus_remote_storage_samples_*`. Failed queries are not counted here: they are failed
 * rule evaluations (vigil_rule_evaluation_failures_total), which is what an operator alerts on.
 */
export function otelRemoteWriteMetrics(meter: Meter): RemoteWriteMetrics {
  const sent = meter.createCounter('vigil_remote_write_samples', { description: 'Samples sent to storage.remote.write_url.' });
  const failed = meter.createCounter('vigil_remote_write_samples_failed', {
    description: 'Samples dropped because a remote-write request failed after its retries, by error code.',
  });
  return {
    onSent: (n) => sent.add(n),
    onFailed: (n, err) => failed.add(n, { code: err.code }),
  };
}
