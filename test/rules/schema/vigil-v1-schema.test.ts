import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ALERT_RULE_SPEC_KEYS } from '../../../rules/load/alert-rule.js';
import { registeredKinds } from '../../../rules/load/kinds.js';
import { checkRuleFiles } from '../../../rules/load/loader.js';
import { RECORDING_RULE_SPEC_KEYS } from '../../../rules/load/recording-rule.js';
import { Validator } from './validator.js';

// rules/schema/vigil-v1.schema.json is what editors (yaml-language-server) validate and complete
// vigil/v1 documents with. These tests keep it honest: every valid document passes it, broken ones
// fail it, and it lists exactly the fields the decoders read.

type JsonSchema = { readonly [k: string]: unknown };
const schema = JSON.parse(readFileSync('rules/schema/vigil-v1.schema.json', 'utf8')) as JsonSchema;
const validator = new Validator(schema);
const defs = schema['definitions'] as Record<string, JsonSchema>;

/** vigilDocuments returns every vigil/v1 document in the YAML files under `dir`, as plain data. */
function vigilDocuments(dir: string): { where: string; doc: unknown }[] {
  const out: { where: string; doc: unknown }[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) {
        parseAllDocuments(readFileSync(p, 'utf8')).forEach((doc, i) => {
          const js = doc.toJS() as unknown;
          if (js !== null && typeof js === 'object' && (js as Record<string, unknown>)['apiVersion'] === 'vigil/v1') out.push({ where: `${p}#${i}`, doc: js });
        });
      }
    }
  };
  walk(dir);
  return out;
}

/** propertyNames collects the property names of a schema and everything it refers to. */
function propertyNames(s: unknown, seen = new Set<unknown>()): Set<string> {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) return node.forEach(visit);
    const o = node as Record<string, unknown>;
    if (typeof o['$ref'] === 'string') visit(defs[(o['$ref'] as string).replace('#/definitions/', '')]);
    const props = o['properties'] as Record<string, unknown> | undefined;
    if (props !== undefined) for (const k of Object.keys(props)) names.add(k);
    for (const [k, v] of Object.entries(o)) if (k !== 'properties') visit(v);
    if (props !== undefined) Object.values(props).forEach(visit);
  };
  visit(s);
  return names;
}

/** usedKeys collects every mapping key in a document. */
function usedKeys(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => usedKeys(x, out));
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      usedKeys(x, out);
    }
  }
  return out;
}

const specKeys = (kind: string): string[] => Object.keys(((defs[kind]!['properties'] as Record<string, JsonSchema>)['spec']!['properties'] ?? {}) as object);

describe('vigil-v1.schema.json', () => {
  const valid = vigilDocuments('test/rules/testdata/valid');
  const examples = vigilDocuments('examples');

  it('accepts every vigil/v1 document in the valid testdata and the examples', () => {
    expect(valid.length).toBeGreaterThanOrEqual(7);
    for (const { where, doc } of [...valid, ...examples]) expect(validator.validate(doc), where).toEqual([]);
  });

  it('rejects broken documents, naming the field', () => {
    const broken = Object.fromEntries(vigilDocuments('test/rules/testdata/broken').map((d) => [d.where.replace(/^.*\//, ''), d.doc]));
    const errs = (where: string): string[] => validator.validate(broken[where]).map((e) => `${e.path}: ${e.message}`);
    expect(errs('vigil-alert-unknown-keys.yml#0')).toEqual(expect.arrayContaining(['/metadata/nmae: unknown property "nmae"', '/spec/exr: unknown property "exr"', '/spec: missing required property "expr"']));
    expect(errs('vigil-alert-wrong-types.yml#0')).toEqual(
      expect.arrayContaining(['/metadata/labels: expected object, got array', '/spec/keepFiringFor: expected string, got boolean', '/spec/annotations: expected object, got string']),
    );
    expect(errs('vigil-alert-wrong-types.yml#0').some((e) => e.startsWith('/spec/for: "10 minutes" does not match'))).toBe(true);
    expect(errs('vigil-alert-missing-fields.yml#0')).toContain(': missing required property "metadata"');
    expect(errs('vigil-recording-invalid.yml#0')).toEqual(expect.arrayContaining(['/spec: missing required property "expr"']));
    expect(errs('vigil-recording-invalid.yml#1')).toContain('/spec/annotations: unknown property "annotations"');
    expect(errs('vigil-unknown-kind.yml#0')).toContain('/kind: expected one of ["AlertRule","RecordingRule","SLO"]');
  });

  it('lists exactly the fields the AlertRule and RecordingRule decoders read', () => {
    expect(specKeys('AlertRule').sort()).toEqual([...ALERT_RULE_SPEC_KEYS].sort());
    expect(specKeys('RecordingRule').sort()).toEqual([...RECORDING_RULE_SPEC_KEYS].sort());
    expect(Object.keys(defs['Metadata']!['properties'] as object)).toEqual(['name', 'labels']);
  });

  it('names every vigil/v1 kind the registry reads', () => {
    const kinds = registeredKinds().flatMap((k) => (k.decoder.apiVersion === 'vigil/v1' && k.decoder.kind !== undefined ? [k.decoder.kind] : []));
    expect(kinds).toEqual(expect.arrayContaining(['AlertRule', 'RecordingRule', 'SLO']));
    const enumKinds = (schema['properties'] as Record<string, JsonSchema>)['kind']!['enum'] as string[];
    for (const k of kinds) {
      expect(enumKinds).toContain(k);
      expect(defs[k], k).toBeDefined();
    }
  });

  it('lists every field the SLO decoder reads, and its examples use every field it lists', () => {
    // The SLO decoder opens each mapping with Field.object([...known keys]); every such key must be
    // in the SLO part of the schema.
    const source = readFileSync('rules/slo/vigil.ts', 'utf8');
    const decoderKeys = new Set([...source.matchAll(/\.object\(\[([^\]]*)\]\)/g)].flatMap((m) => [...m[1]!.matchAll(/'([^']+)'/g)].map((k) => k[1]!)));
    expect(decoderKeys.size).toBeGreaterThan(20);
    const schemaKeys = propertyNames(defs['SLO']);
    for (const k of decoderKeys) expect(schemaKeys, k).toContain(k);
    // The valid SLO examples together use every field of the schema, and the decoder reads them
    // without a problem: so the schema lists nothing the decoder refuses.
    const slos = valid.filter((d) => (d.doc as Record<string, unknown>)['kind'] === 'SLO');
    const used = new Set(slos.flatMap((d) => [...usedKeys(d.doc)]));
    for (const k of schemaKeys) expect(used, k).toContain(k);
    const loaded = checkRuleFiles(['test/rules/testdata/valid/slo']);
    expect(loaded.errors).toEqual([]);
    expect(loaded.ruleSet.slos).toHaveLength(slos.length);
  });
});
