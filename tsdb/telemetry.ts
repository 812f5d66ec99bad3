import type { Attributes, Counter, Histogram, Meter, ObservableGauge, ObservableResult } from '@opentelemetry/api';
import type { AppendErrorCode } from '../model/storage.js';
import type { HeadMetrics } from './head.js';

/** TelemetrySource is what the observable gauges read when the meter is collected. */
export interface TelemetrySource {
  series(): number;
  chunks(): number;
  samples(): number;
}

/** CorruptionKind names the file kind a repair cut: 'wal', 'checkpoint' or 'chunks_head'. */
export type CorruptionKind = 'wal' | 'checkpoint' | 'chunks_head';

/**
 * TSDBTelemetry is the store's self-monitoring through an OpenTelemetry Meter. Names start with
 * `vigil_tsdb_`; counters carry no `_total` (the Prometheus exporter adds it).
 */
export class TSDBTelemetry implements HeadMetrics {
  private readonly appended: Counter;
  private readonly rejected: Counter;
  private readonly fsyncDuration: Histogram;
  private readonly corruptions: Counter;
  private readonly checkpoints: Counter;
  private readonly checkpointFailures: Counter;
  private readonly seriesRemoved: Counter;
  private readonly chunksRemoved: Counter;
  private readonly gauges: { gauge: ObservableGauge; cb: (r: ObservableResult<Attributes>) => void }[] = [];
  private readonly reasonAttrs: Record<AppendErrorCode, Attributes> = {
    out_of_order: { reason: 'out_of_order' },
    out_of_bounds: { reason: 'out_of_bounds' },
    duplicate_sample_for_timestamp: { reason: 'duplicate_sample_for_timestamp' },
  };

  constructor(meter: Meter, source: TelemetrySource) {
    this.appended = meter.createCounter('vigil_tsdb_head_samples_appended', { description: 'Samples committed to the head.' });
    this.rejected = meter.createCounter('vigil_tsdb_head_samples_rejected', {
      description: 'Samples refused, by reason: out_of_order, out_of_bounds, duplicate_sample_for_timestamp.',
    });
    this.fsyncDuration = meter.createHistogram('vigil_tsdb_wal_fsync_duration_seconds', {
      description: 'Duration of write-ahead log fsyncs.',
      unit: 's',
      advice: { explicitBucketBoundaries: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] },
    });
    this.corruptions = meter.createCounter('vigil_tsdb_wal_corruptions_repaired', {
      description: 'Torn or corrupt records cut off when opening the store, by file kind (wal, checkpoint, chunks_head).',
    });
    this.checkpoints = meter.createCounter('vigil_tsdb_checkpoints', { description: 'Checkpoints written.' });
    this.checkpointFailures = meter.createCounter('vigil_tsdb_checkpoint_failures', { description: 'Checkpoints that failed.' });
    this.seriesRemoved = meter.createCounter('vigil_tsdb_head_series_removed', { description: 'Series dropped by retention.' });
    this.chunksRemoved = meter.createCounter('vigil_tsdb_head_chunks_removed', { description: 'Chunks dropped by retention.' });
    this.observe(meter, 'vigil_tsdb_head_series', 'Series in the head.', source.series);
    this.observe(meter, 'vigil_tsdb_head_chunks', 'Chunks in the head, completed and open.', source.chunks);
    this.observe(meter, 'vigil_tsdb_head_samples', 'Samples in the head.', source.samples);
  }

  private observe(meter: Meter, name: string, description: string, read: () => number): void {
    const gauge = meter.createObservableGauge(name, { description });
    const cb = (r: ObservableResult<Attributes>) => r.observe(read());
    gauge.addCallback(cb);
    this.gauges.push({ gauge, cb });
  }

  samplesAppended(n: number): void {
    this.appended.add(n);
  }

  samplesRejected(reason: AppendErrorCode, n: number): void {
    this.rejected.add(n, this.reasonAttrs[reason]);
  }

  walFsync(seconds: number): void {
    this.fsyncDuration.record(seconds);
  }

  corruptionRepaired(kind: CorruptionKind): void {
    this.corruptions.add(1, { kind });
  }

  checkpoint(ok: boolean): void {
    (ok ? this.checkpoints : this.checkpointFailures).add(1);
  }

  retention(series: number, chunks: number): void {
    if (series > 0) this.seriesRemoved.add(series);
    if (chunks > 0) this.chunksRemoved.add(chunks);
  }

  /** shutdown detaches the gauges, so a closed store is no longer observed. */
  shutdown(): void {
    for (const { gauge, cb } of this.gauges) gauge.removeCallback(cb);
    this.gauges.length = 0;
  }
}
