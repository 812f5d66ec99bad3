import { METRIC_NAME, quoteLabelValue } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import type { Queryable } from '../model/storage.js';
import { isStaleNaN } from '../model/value.js';

/**
 * exportOpenMetrics writes the series matching `matchers` with samples in [mint, maxt] (ms) as
 * OpenMetrics 1.0 text: families contiguous, series in label order, samples in time order,
 * timestamps in seconds, then `# EOF`. Staleness markers are left out: OpenMetrics cannot say them.
 */
export function exportOpenMetrics(
  db: Queryable,
  matchers: readonly Matcher[],
  mint: number,
  maxt: number,
  write: (text: string) => void,
): { series: number; samples: number } {
  // select sorts by whole label sets, and a name such as "UUID" sorts before "__name__": order by
  // metric name first (a stable sort keeps label order within) so each family is contiguous.
  const series = db
    .querier(mint, maxt)
    .select(matchers)
    .sort((a, b) => (a.labels.metricName < b.labels.metricName ? -1 : a.labels.metricName > b.labels.metricName ? 1 : 0));
  let samples = 0;
  let buf = '';
  for (const s of series) {
    let prefix = s.labels.metricName;
    const parts: string[] = [];
    s.labels.forEach((n, v) => {
      if (n !== METRIC_NAME) parts.push(`${n}=${quoteLabelValue(v)}`);
    });
    if (parts.length > 0) prefix += `{${parts.join(',')}}`;
    const it = s.samples();
    while (it.next()) {
      if (isStaleNaN(it.v)) continue;
      buf += `${prefix} ${formatValue(it.v)} ${formatSeconds(it.t)}\n`;
      samples++;
      if (buf.length > 1 << 16) {
        write(buf);
        buf = '';
      }
    }
  }
  write(buf + '# EOF\n');
  return { series: series.length, samples };
}

/** formatValue writes a sample value as OpenMetrics text does (NaN, +Inf, -Inf). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** formatSeconds renders integer ms as exact decimal seconds. */
export function formatSeconds(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  const frac = abs % 1000;
  return `${sign}${Math.floor(abs / 1000)}${frac === 0 ? '' : '.' + String(frac).padStart(3, '0').replace(/0+$/, '')}`;
}
