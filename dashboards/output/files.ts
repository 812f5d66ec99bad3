import type { GeneratedDashboard } from '../catalog.js';
import { classicJSON } from './classic.js';
import { dashboardConfigMap } from './configmap.js';
import { provisioningFile } from './provisioning.js';
import { v2Manifest } from './v2.js';

export const FORMATS = ['json', 'configmap', 'provisioning', 'v2'] as const;
export type Format = (typeof FORMATS)[number];

/** OutputFile is one file to write, its path relative to the output directory. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

/** folderDir names a folder's directory: `AI platform` → `ai-platform`. */
export function folderDir(folder: string): string {
  return folder.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/**
 * outputFiles lays the dashboards out as files of a format, in the dashboards' order:
 *
 *   json          <uid>.json, classic dashboard JSON (for the HTTP API or `vigil dashboards push`)
 *   configmap     <uid>.configmap.yaml, a ConfigMap for the Grafana sidecar
 *   provisioning  vigil.yaml (the provider) and <folder>/<uid>.json
 *   v2            <uid>.v2.json, a dashboard.grafana.app/v2 Dashboard resource
 */
export function outputFiles(dashboards: readonly GeneratedDashboard[], format: Format, opts: { namespace?: string; provisioningPath?: string } = {}): OutputFile[] {
  switch (format) {
    case 'json':
      return dashboards.map((d) => ({ path: `${d.uid}.json`, content: classicJSON(d) }));
    case 'configmap':
      return dashboards.map((d) => ({ path: `${d.uid}.configmap.yaml`, content: dashboardConfigMap(d, opts.namespace) }));
    case 'provisioning':
      return [{ path: 'vigil.yaml', content: provisioningFile(opts.provisioningPath) }, ...dashboards.map((d) => ({ path: `${folderDir(d.folder)}/${d.uid}.json`, content: classicJSON(d) }))];
    case 'v2':
      return dashboards.map((d) => ({ path: `${d.uid}.v2.json`, content: JSON.stringify(v2Manifest(d), null, 2) + '\n' }));
  }
}
