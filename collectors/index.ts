// The collectors' public surface: scraping, relabelling, discovery. The exposition parsers have
// their own surface in textparse/index.ts.
export { ScrapeManager } from './scrape/manager.js';
export type { ActiveTarget, ScrapeManagerOptions } from './scrape/manager.js';
export { ScrapeLoop, scrapeOffset } from './scrape/loop.js';
export type { ScrapeLoopOptions, TargetHealth } from './scrape/loop.js';
export { decodeScrapeConfigs, DEFAULT_SCRAPE_GLOBALS } from './scrape/config.js';
export type { Authorization, BasicAuth, ScrapeConfig, ScrapeGlobals } from './scrape/config.js';
export { buildTargets } from './scrape/target.js';
export type { DroppedTarget, Target } from './scrape/target.js';
export { Agents, httpScraper, ScrapeError, USER_AGENT } from './scrape/scraper.js';
export type { Scraper, ScrapeResponse } from './scrape/scraper.js';
export { appendBody, InvalidSeriesError, mutateSampleLabels } from './scrape/append.js';
export type { AppendResult, FamilyMetadata, TargetContext } from './scrape/append.js';
export { ScrapeCache } from './scrape/cache.js';
export { LimitError, withLabelLimits, withSampleLimit } from './scrape/limits.js';
export type { LabelLimits } from './scrape/limits.js';
export { otelScrapeMetrics } from './scrape/metrics.js';
export type { ScrapeMetrics } from './scrape/metrics.js';
export { decodeRelabelConfigs, relabelConfig, RELABEL_ACTIONS } from './relabel/config.js';
export type { RelabelAction, RelabelConfig, RelabelInput } from './relabel/config.js';
export { expand, hashmod, relabel, relabelStep } from './relabel/relabel.js';
export { decodeStaticConfigs, staticProvider } from './discovery/static.js';
export type { StaticConfig } from './discovery/static.js';
export type { TargetGroup, TargetProvider } from './discovery/provider.js';
export { BullMQCollector, decodeBullMQConfigs } from './bullmq/index.js';
export type { BullMQCollectorOptions, BullMQConfig } from './bullmq/index.js';
