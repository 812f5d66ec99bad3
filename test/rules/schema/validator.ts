/**
 * A small JSON Schema (draft-07) validator for the keywords vigil's schema uses, so the schema can
 * be checked without a dependency. A keyword it does not know throws: the test must never pass
 * because part of the schema was silently ignored.
 */

export interface SchemaError {
  /** path is a JSON pointer-like path such as /spec/for. */
  readonly path: string;
  readonly message: string;
}

type Schema = boolean | { readonly [keyword: string]: unknown };

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'definitions', 'default', 'examples', '$comment']);

export class Validator {
  constructor(private readonly root: Schema) {}

  validate(value: unknown): SchemaError[] {
    const errors: SchemaError[] = [];
    this.check(this.root, value, '', errors);
    return errors;
  }

  private resolve(ref: string): Schema {
    if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
    let node: unknown = this.root;
    for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown>)[part];
    if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
    return node as Schema;
  }

  private check(schema: Schema, v: unknown, path: string, errors: SchemaError[]): void {
    if (schema === true) return;
    if (schema === false) {
      errors.push({ path, message: 'no value is allowed here' });
      return;
    }
    const fail = (message: string): void => void errors.push({ path, message });
    for (const [kw, arg] of Object.entries(schema)) {
      if (ANNOTATIONS.has(kw)) continue;
      switch (kw) {
        case '$ref':
          this.check(this.resolve(arg as string), v, path, errors);
          break;
        case 'type':
          if (!hasType(v, arg as string)) fail(`expected ${arg as string}, got ${typeName(v)}`);
          break;
        case 'const':
          if (!deepEqual(v, arg)) fail(`expected ${JSON.stringify(arg)}`);
          break;
        case 'enum':
          if (!(arg as unknown[]).some((e) => deepEqual(v, e))) fail(`expected one of ${JSON.stringify(arg)}`);
          break;
        case 'pattern':
          if (typeof v === 'string' && !new RegExp(arg as string, 'u').test(v)) fail(`${JSON.stringify(v)} does not match ${arg as string}`);
          break;
        case 'minLength':
          if (typeof v === 'string' && [...v].length < (arg as number)) fail(`shorter than ${arg as number}`);
          break;
        case 'minimum':
          if (typeof v === 'number' && v < (arg as number)) fail(`less than ${arg as number}`);
          break;
        case 'maximum':
          if (typeof v === 'number' && v > (arg as number)) fail(`greater than ${arg as number}`);
          break;
        case 'exclusiveMinimum':
          if (typeof v === 'number' && v <= (arg as number)) fail(`not greater than ${arg as number}`);
          break;
        case 'exclusiveMaximum':
          if (typeof v === 'number' && v >= (arg as number)) fail(`not less than ${arg as number}`);
          break;
        case 'required':
          if (isObject(v)) for (const k of arg as string[]) if (!(k in v)) fail(`missing required property ${JSON.stringify(k)}`);
          break;
        case 'properties':
          if (isObject(v)) {
            for (const [k, s] of Object.entries(arg as Record<string, Schema>)) if (k in v) this.check(s, v[k], `${path}/${k}`, errors);
          }
          break;
        case 'additionalProperties':
          if (isObject(v)) {
            const known = Object.keys((schema['properties'] as Record<string, unknown> | undefined) ?? {});
            for (const [k, item] of Object.entries(v)) {
              if (known.includes(k)) continue;
              if (arg === false) errors.push({ path: `${path}/${k}`, message: `unknown property ${JSON.stringify(k)}` });
              else this.check(arg as Schema, item, `${path}/${k}`, errors);
            }
          }
          break;
        case 'propertyNames':
          if (isObject(v)) for (const k of Object.keys(v)) this.check(arg as Schema, k, `${path}/${k}`, errors);
          break;
        case 'minProperties':
          if (isObject(v) && Object.keys(v).length < (arg as number)) fail(`fewer than ${arg as number} properties`);
          break;
        case 'maxProperties':
          if (isObject(v) && Object.keys(v).length > (arg as number)) fail(`more than ${arg as number} properties`);
          break;
        case 'items':
          if (Array.isArray(v)) v.forEach((item, i) => this.check(arg as Schema, item, `${path}/${i}`, errors));
          break;
        case 'minItems':
          if (Array.isArray(v) && v.length < (arg as number)) fail(`fewer than ${arg as number} items`);
          break;
        case 'uniqueItems':
          if (Array.isArray(v) && arg === true && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) fail('items are not unique');
          break;
        case 'allOf':
          for (const s of arg as Schema[]) this.check(s, v, path, errors);
          break;
        case 'anyOf':
          if (!(arg as Schema[]).some((s) => this.passes(s, v))) fail('matches none of anyOf');
          break;
        case 'oneOf': {
          const n = (arg as Schema[]).filter((s) => this.passes(s, v)).length;
          if (n !== 1) fail(n === 0 ? 'matches none of oneOf' : 'matches more than one of oneOf');
          break;
        }
        case 'not':
          if (this.passes(arg as Schema, v)) fail('matches a schema it must not');
          break;
        case 'if': {
          const branch = this.passes(arg as Schema, v) ? schema['then'] : schema['else'];
          if (branch !== undefined) this.check(branch as Schema, v, path, errors);
          break;
        }
        case 'then':
        case 'else':
          break;
        default:
          throw new Error(`schema keyword ${kw} is not supported by this validator`);
      }
    }
  }

  private passes(schema: Schema, v: unknown): boolean {
    const errors: SchemaError[] = [];
    this.check(schema, v, '', errors);
    return errors.length === 0;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function hasType(v: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(v);
    case 'object':
      return isObject(v);
    default:
      return typeName(v) === type;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
