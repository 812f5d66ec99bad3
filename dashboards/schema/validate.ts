import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';

const SCHEMA = join(dirname(fileURLToPath(import.meta.url)), 'dashboard.schema.json');

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
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);
  if (validator(dashboard)) return [];
  return (validator.errors ?? []).map((e) => ({ path: e.instancePath === '' ? '/' : e.instancePath, message: e.message ?? 'invalid' }));
}
