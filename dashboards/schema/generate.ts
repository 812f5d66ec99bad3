import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

/**
 * Generates dashboard.schema.json, the JSON Schema of Grafana's classic dashboard, from the
 * `Dashboard` type of @grafana/schema (raw/dashboard/x/types.gen.d.ts, the TypeScript that
 * Grafana generates from its CUE kinds; no JSON Schema is published). Additional properties are
 * allowed, as Grafana ignores fields it does not know. Run it after upgrading @grafana/schema:
 *
 *   npx tsx dashboards/schema/generate.ts
 *
 * The test suite regenerates it (about two seconds) and fails when the committed file differs.
 */

/** SCHEMA_FILE is the committed schema, next to this script. */
export const SCHEMA_FILE = join(dirname(fileURLToPath(import.meta.url)), 'dashboard.schema.json');

/** dashboardSchemaText generates the schema as the committed file's text. */
export function dashboardSchemaText(): string {
  const require = createRequire(import.meta.url);
  const types = join(dirname(require.resolve('@grafana/schema/package.json')), 'dist/types/raw/dashboard/x/types.gen.d.ts');
  const schema = createGenerator({ path: types, type: 'Dashboard', additionalProperties: true, skipTypeCheck: true, expose: 'export', topRef: true }).createSchema('Dashboard');
  return JSON.stringify(schema, null, 2) + '\n';
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, dashboardSchemaText());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
