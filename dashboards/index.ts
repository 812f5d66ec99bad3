// The dashboards' public surface: building vigil's Grafana dashboards from SLOs, writing them in
// each output format, linting any classic dashboard JSON, validating it against the schema
// generated from @grafana/schema, and pushing dashboards to Grafana's HTTP API.
export { buildDashboards, PLATFORM_FOLDER, SLO_FOLDER } from './catalog.js';
export type { GeneratedDashboard } from './catalog.js';
export { burnRateQuery, DATASOURCE, labelVariable, quantileQuery, uidOf } from './common.js';
export { GRID_COLUMNS, layout, place } from './layout.js';
export type { Placed, Section } from './layout.js';
export { FORMATS, folderDir, outputFiles } from './output/files.js';
export type { Format, OutputFile } from './output/files.js';
export { v2Manifest } from './output/v2.js';
export { lintDashboard } from './lint/lint.js';
export { formatFinding } from './lint/finding.js';
export type { Finding } from './lint/finding.js';
export { substitute, substitutions, variableReferences } from './lint/variables.js';
export { validateDashboardSchema } from './schema/validate.js';
export type { SchemaProblem } from './schema/validate.js';
export { GrafanaClient } from './push/client.js';
export { GrafanaError } from './push/errors.js';
export { folderRef, pushDashboards } from './push/push.js';
export type { PushItem, PushReport, PushResult } from './push/push.js';
