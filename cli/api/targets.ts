import type { ScrapeManager } from '../../collectors/scrape/manager.js';
import { formatDuration } from '../../util/duration.js';
import { type Handler, sendJSON } from '../server.js';

/**
 * targetsHandler serves `/api/v1/targets` in Prometheus's shape, so tools that read Prometheus's
 * targets page read vigil's. `?state=active|dropped|any` filters as Prometheus does.
 */
export function targetsHandler(manager: ScrapeManager): Handler {
  return (_req, res, url) => {
    const state = url.searchParams.get('state') ?? 'any';
    const showActive = state === 'any' || state === 'active' || state === '';
    const showDropped = state === 'any' || state === 'dropped' || state === '';
    const activeTargets = showActive
      ? manager.activeTargets().map(({ job, loop }) => {
          const h = loop.health;
          return {
            discoveredLabels: loop.target.discoveredLabels.toRecord(),
            labels: loop.target.labels.toRecord(),
            scrapePool: job,
            scrapeUrl: loop.target.url,
            globalUrl: loop.target.url,
            lastError: h.lastError,
            lastScrape: h.lastScrape === 0 ? '0001-01-01T00:00:00Z' : new Date(h.lastScrape).toISOString(),
            lastScrapeDuration: h.lastScrapeDurationSeconds,
            health: h.health,
            scrapeInterval: formatDuration(loop.target.intervalMs),
            scrapeTimeout: formatDuration(loop.target.timeoutMs),
            ...(h.warnings.length > 0 ? { warnings: h.warnings } : {}),
          };
        })
      : [];
    const droppedTargets = showDropped
      ? manager.droppedTargets().map(({ target }) => ({ discoveredLabels: target.discoveredLabels.toRecord() }))
      : [];
    sendJSON(res, 200, { status: 'success', data: { activeTargets, droppedTargets } });
  };
}
