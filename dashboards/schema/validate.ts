import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * schemaFile finds dashboard.schema.json: next to this module in the source tree; from the
 * compiled dist/dashboards/schema/ (the TypeScript build copies no JSON) in the checkout, three
 * levels up.
 */
function schemaFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'dashboard.schema.json'), join(here, '..', '..', '..', 'dashboards', 'schema', 'dashboard.schema.json')];
  const found = candidates.find((f) => existsSync(f));
  if (found === undefined) throw new Error(`dashboard.schema.json not found in ${candidates.join(' or ')}`);
  return found;
}

/** SchemaProblem is one place where a dashboard does not match the schema. */
export interface SchemaProblem {
  readonly path: string;
  readonly message: string;
}

let validator: ValidateFunction | undefined;

/**
 * validateDashboardSchema checks a classic dashboard against the JSON Schema generated from
 * @grafana/schema's Dashboard type (generate.ts). Panels and rows are a union in that type, so a
 * broken panel yields a problem for each branch; the first few are what matters.
 */
export function validateDashboardSchema(dashboard: unknown): SchemaProblem[] {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(schemaFile(), 'utf8')) as object);
  if (validator(dashboard)) return [];
  return (validator.errors ?? []).map((e) => ({ path: e.instancePath === '' ? '/' : e.instancePath, message: e.message ?? 'invalid' }));
}
