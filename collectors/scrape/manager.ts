import type { Appendable } from '../../model/storage.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { TargetGroup, TargetProvider } from '../discovery/provider.js';
import { combineProviders } from '../discovery/combine.js';
import { KubernetesDiscovery } from '../discovery/kubernetes/index.js';
import { staticProvider } from '../discovery/static.js';
import type { ScrapeConfig } from './config.js';
import { ScrapeLoop } from './loop.js';
import type { ScrapeMetrics } from './metrics.js';
import { Agents, httpScraper, type Scraper } from './scraper.js';
import { buildTargets, type DroppedTarget, type Target } from './target.js';

export interface ScrapeManagerOptions {
  readonly appendable: Appendable;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: ScrapeMetrics;
  /** providerFor gives a scrape config's target provider; static_configs by default. */
  readonly providerFor?: (cfg: ScrapeConfig) => TargetProvider;
  /** scraperFor gives a target's scraper; HTTP by default. */
  readonly scraperFor?: (target: Target, cfg: ScrapeConfig) => Scraper;
}

/** ActiveTarget is a scraped target and its health. */
export interface ActiveTarget {
  readonly job: string;
  readonly loop: ScrapeLoop;
}

/**
 * ScrapeManager runs one scrape pool per job. applyConfig diffs the new configs against the
 * running ones: an unchanged job keeps its loops (and their caches and phases), a changed job is
 * restarted, a removed job is stopped, and within a job a target that disappears gets staleness
 * markers.
 */
export class ScrapeManager {
  private readonly pools = new Map<string, ScrapePool>();
  private readonly agents = new Agents();
  private readonly opts: ScrapeManagerOptions;

  constructor(opts: ScrapeManagerOptions) {
    this.opts = opts;
  }

  async applyConfig(configs: readonly ScrapeConfig[]): Promise<void> {
    const wanted = new Map(configs.map((c) => [c.jobName, c]));
    const stops: Promise<void>[] = [];
    for (const [job, pool] of this.pools) {
      const cfg = wanted.get(job);
      if (cfg === undefined || fingerprint(cfg) !== pool.fingerprint) {
        this.pools.delete(job);
        // A removed job's targets are gone for good; a changed job's are scraped again at once.
        stops.push(pool.stop({ markStale: cfg === undefined }));
      }
    }
    await Promise.all(stops);
    for (const cfg of configs) {
      if (this.pools.has(cfg.jobName)) continue;
      const pool = new ScrapePool(cfg, this.opts, this.agents);
      this.pools.set(cfg.jobName, pool);
      pool.start();
    }
  }

  /** activeTargets lists every running loop, by job then target labels. */
  activeTargets(): ActiveTarget[] {
    const out: ActiveTarget[] = [];
    for (const [job, pool] of [...this.pools].sort(([a], [b]) => (a < b ? -1 : 1))) {
      for (const loop of pool.loops()) out.push({ job, loop });
    }
    return out;
  }

  droppedTargets(): { job: string; target: DroppedTarget }[] {
    const out: { job: string; target: DroppedTarget }[] = [];
    for (const [job, pool] of this.pools) for (const target of pool.dropped) out.push({ job, target });
    return out;
  }

  /** stop ends every loop without staleness markers (vigil is shutting down, the targets are not gone). */
  async stop(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.stop({ markStale: false })));
    this.agents.destroy();
  }
}

class ScrapePool {
  readonly fingerprint: string;
  dropped: DroppedTarget[] = [];
  private readonly running = new Map<string, ScrapeLoop>();
  private unsubscribe: (() => void) | undefined;
  private pending: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly cfg: ScrapeConfig,
    private readonly opts: ScrapeManagerOptions,
    private readonly agents: Agents,
  ) {
    this.fingerprint = fingerprint(cfg);
  }

  loops(): ScrapeLoop[] {
    return [...this.running.values()].sort((a, b) => a.target.labels.compare(b.target.labels));
  }

  start(): void {
    const provider = this.opts.providerFor?.(this.cfg) ?? defaultProvider(this.cfg, this.opts);
    this.unsubscribe = provider.subscribe((groups) => {
      // Updates are applied one at a time, in order.
      this.pending = this.pending.then(() => this.sync(groups));
    });
  }

  private async sync(groups: readonly TargetGroup[]): Promise<void> {
    if (this.stopped) return;
    const { active, dropped } = buildTargets(this.cfg, groups);
    this.dropped = dropped;
    const keep = new Set<string>();
    for (const target of active) {
      const key = targetKey(target);
      keep.add(key);
      if (this.running.has(key)) continue;
      const scraper = this.opts.scraperFor?.(target, this.cfg) ?? httpScraper(target.url, this.cfg, this.agents);
      const loop = new ScrapeLoop({
        target,
        config: this.cfg,
        scraper,
        appendable: this.opts.appendable,
        clock: this.opts.clock,
        logger: this.opts.logger.with({ component: 'scrape', job: this.cfg.jobName }),
        metrics: this.opts.metrics,
      });
      this.running.set(key, loop);
      loop.start();
    }
    const gone: Promise<void>[] = [];
    for (const [key, loop] of this.running) {
      if (keep.has(key)) continue;
      this.running.delete(key);
      gone.push(loop.stop({ markStale: true }));
    }
    await Promise.all(gone);
  }

  async stop(opts: { markStale: boolean }): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await this.pending;
    const loops = [...this.running.values()];
    this.running.clear();
    await Promise.all(loops.map((l) => l.stop(opts)));
  }
}

function targetKey(t: Target): string {
  return `${t.labels.key}\u0001${t.url}\u0001${t.intervalMs}\u0001${t.timeoutMs}`;
}

/** fingerprint identifies a scrape config's content; regexes compare by their source. */
function fingerprint(cfg: ScrapeConfig): string {
  return JSON.stringify(cfg, (_k, v: unknown) => (v instanceof RegExp ? v.source : v));
}

/** defaultProvider serves a scrape config's static_configs and, when it has any, its kubernetes_sd_configs. */
function defaultProvider(cfg: ScrapeConfig, opts: ScrapeManagerOptions): TargetProvider {
  const providers: TargetProvider[] = [staticProvider(cfg.jobName, cfg.staticConfigs)];
  if (cfg.kubernetesSDConfigs.length > 0) {
    providers.push(new KubernetesDiscovery(cfg.jobName, cfg.kubernetesSDConfigs, { clock: opts.clock, logger: opts.logger.with({ component: 'discovery', job: cfg.jobName }) }));
  }
  return combineProviders(providers);
}
