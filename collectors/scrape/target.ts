import { Labels, LabelsBuilder } from '../../model/labels.js';
import { formatDuration, parseDuration } from '../../util/duration.js';
import type { TargetGroup } from '../discovery/provider.js';
import { relabelStep } from '../relabel/relabel.js';
import type { ScrapeConfig } from './config.js';

/**
 * Target is one endpoint to scrape. `labels` are attached to every scraped series (job, instance
 * and any group labels); `discoveredLabels` are what discovery offered before relabelling.
 */
export interface Target {
  readonly labels: Labels;
  readonly discoveredLabels: Labels;
  readonly url: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/** DroppedTarget is a discovered target that relabelling dropped or that is invalid. */
export interface DroppedTarget {
  readonly discoveredLabels: Labels;
  readonly reason: string;
}

/**
 * buildTargets turns discovered groups into targets following Prometheus's rules: group labels,
 * then target labels, then defaults (job, __scheme__, __metrics_path__, __scrape_interval__,
 * __scrape_timeout__, __param_*), then relabel_configs; instance defaults to __address__, and
 * labels starting with `__` are removed from the final set.
 */
export function buildTargets(
  cfg: ScrapeConfig,
  groups: readonly TargetGroup[],
): { active: Target[]; dropped: DroppedTarget[] } {
  const active: Target[] = [];
  const dropped: DroppedTarget[] = [];
  const seen = new Set<string>();
  for (const group of groups) {
    for (const target of group.targets) {
      const b = new LabelsBuilder(group.labels);
      target.forEach((n, v) => b.set(n, v));
      const defaults: [string, string][] = [
        ['job', cfg.jobName],
        ['__scrape_interval__', formatDuration(cfg.scrapeIntervalMs)],
        ['__scrape_timeout__', formatDuration(cfg.scrapeTimeoutMs)],
        ['__metrics_path__', cfg.metricsPath],
        ['__scheme__', cfg.scheme],
      ];
      for (const [name, values] of Object.entries(cfg.params)) {
        if (values[0] !== undefined) defaults.push([`__param_${name}`, values[0]]);
      }
      for (const [n, v] of defaults) if (b.get(n) === '') b.set(n, v);
      const discoveredLabels = b.labels();
      const result = populate(cfg, b, discoveredLabels);
      if (typeof result === 'string') {
        dropped.push({ discoveredLabels, reason: result });
        continue;
      }
      // Two discovered targets that end up identical are one target, as in Prometheus.
      if (seen.has(result.labels.key + '\u0001' + result.url)) continue;
      seen.add(result.labels.key + '\u0001' + result.url);
      active.push(result);
    }
  }
  return { active, dropped };
}

function populate(cfg: ScrapeConfig, b: LabelsBuilder, discoveredLabels: Labels): Target | string {
  for (const step of cfg.relabelConfigs) {
    if (!relabelStep(b, step)) return 'dropped by relabel_configs';
  }
  const address = b.get('__address__');
  if (address === '') return 'no address';
  if (address.includes('/')) return `${JSON.stringify(address)} is not a valid hostname`;
  let intervalMs: number;
  let timeoutMs: number;
  try {
    intervalMs = parseDuration(b.get('__scrape_interval__'));
    timeoutMs = parseDuration(b.get('__scrape_timeout__'));
  } catch (err) {
    return `invalid scrape interval or timeout: ${(err as Error).message}`;
  }
  if (intervalMs <= 0) return 'scrape interval cannot be 0';
  if (timeoutMs <= 0) return 'scrape timeout cannot be 0';
  if (timeoutMs > intervalMs) return `scrape timeout ${formatDuration(timeoutMs)} greater than scrape interval ${formatDuration(intervalMs)}`;
  for (const name of b.names()) if (name.startsWith('__meta_')) b.del(name);
  if (b.get('instance') === '') b.set('instance', address);

  const params = new URLSearchParams();
  for (const [name, values] of Object.entries(cfg.params)) for (const v of values) params.append(name, v);
  const publicLabels: string[][] = [];
  b.forEach((name, value) => {
    if (name.startsWith('__param_')) params.set(name.slice('__param_'.length), value);
    else if (!name.startsWith('__')) publicLabels.push([name, value]);
  });
  const query = params.toString();
  const url = `${b.get('__scheme__')}://${address}${b.get('__metrics_path__')}${query === '' ? '' : '?' + query}`;
  return {
    labels: Labels.from(publicLabels as [string, string][]),
    discoveredLabels,
    url,
    intervalMs,
    timeoutMs,
  };
}
