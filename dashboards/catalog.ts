import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { SLO } from '../rules/model.js';
import { costDashboard } from './sections/cost.js';
import { gpuFleetDashboard } from './sections/gpu-fleet.js';
import { modelServingDashboard } from './sections/model-serving.js';
import { overviewDashboard } from './sections/overview.js';
import { queuesDashboard } from './sections/queues.js';
import { sloDetailDashboard } from './sections/slo-detail.js';
import { sloOverviewDashboard } from './sections/slo-overview.js';

/** The Grafana folders the dashboards go in (a folder per audience). */
export const PLATFORM_FOLDER = 'AI platform';
export const SLO_FOLDER = 'SLOs';

/**
 * GeneratedDashboard is one dashboard as classic Grafana JSON (schemaVersion 42), with the folder
 * it belongs in and the file stem its outputs are named after (its uid).
 */
export interface GeneratedDashboard {
  readonly uid: string;
  readonly title: string;
  readonly folder: string;
  readonly json: dashboard.Dashboard;
}

function generated(folder: string, builder: dashboard.DashboardBuilder): GeneratedDashboard {
  const json = builder.build();
  if (json.uid === undefined) throw new Error(`dashboard ${json.title} has no uid`);
  return { uid: json.uid, title: json.title ?? json.uid, folder, json };
}

/**
 * buildDashboards builds every dashboard: the platform's five, the SLO overview and one detail
 * dashboard per SLO, SLOs sorted by service and name so the output does not depend on the order
 * of the rule files. Two SLOs whose uids collide (names that differ only in punctuation) are an
 * error rather than one dashboard overwriting the other.
 */
export function buildDashboards(slos: readonly SLO[]): GeneratedDashboard[] {
  const sorted = [...slos].sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
  const out = [
    generated(PLATFORM_FOLDER, overviewDashboard()),
    generated(PLATFORM_FOLDER, modelServingDashboard()),
    generated(PLATFORM_FOLDER, gpuFleetDashboard()),
    generated(PLATFORM_FOLDER, queuesDashboard()),
    generated(PLATFORM_FOLDER, costDashboard()),
    generated(SLO_FOLDER, sloOverviewDashboard(sorted.length)),
    ...sorted.map((slo) => generated(SLO_FOLDER, sloDetailDashboard(slo))),
  ];
  const seen = new Map<string, string>();
  for (const d of out) {
    const other = seen.get(d.uid);
    if (other !== undefined) throw new Error(`dashboards "${other}" and "${d.title}" would both have uid ${d.uid}; rename one of the SLOs`);
    seen.set(d.uid, d.title);
  }
  return out;
}
