import type { GeneratedDashboard } from '../catalog.js';

/**
 * classicJSON is a dashboard as Grafana's classic dashboard JSON (schemaVersion 42): what the
 * HTTP API's /api/dashboards/db, file provisioning and the sidecar all read. Two-space indented
 * with a final newline, keys in the builders' order, so the same input always gives the same bytes.
 */
export function classicJSON(d: GeneratedDashboard): string {
  return JSON.stringify(d.json, null, 2) + '\n';
}
