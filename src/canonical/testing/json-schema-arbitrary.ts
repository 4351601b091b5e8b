import fc from 'fast-check';
import { isJsonSchema, type JsonSchema } from '../compat.js';

/**
 * A fast-check arbitrary of documents a JSON Schema accepts, for the subset zod emits (objects, arrays,
 * records, strings with pattern/length/format, numbers, enums, unions, local $ref). Used to check that
 * data the committed snapshot accepts still parses. GS1 formats get valid check digits so the
 * refinements zod adds on top of the JSON Schema are exercised rather than tripped at random.
 */
type SchemaObject = { readonly [keyword: string]: unknown };

const MAX_DEPTH = 12;

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(schema: SchemaObject, key: string): number | undefined {
  const v = schema[key];
  return typeof v === 'number' ? v : undefined;
}

function gs1(length: number): fc.Arbitrary<string> {
  return fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length - 1, maxLength: length - 1 }).map((digits) => {
    let sum = 0;
    for (let i = digits.length - 1, w = 3; i >= 0; i--, w = w === 3 ? 1 : 3) sum += (digits[i] ?? 0) * w;
    return `${digits.join('')}${(10 - (sum % 10)) % 10}`;
  });
}

export class JsonSchemaArbitrary {
  constructor(private readonly root: JsonSchema) {}

  of(schema: JsonSchema = this.root, depth = 0): fc.Arbitrary<unknown> {
    if (schema === true) return fc.jsonValue({ maxDepth: 1 });
    if (schema === false) throw new Error('schema accepts nothing');
    if (typeof schema.$ref === 'string') {
      const { $ref, ...siblings } = schema;
      const target = this.resolve($ref);
      return this.of(typeof target === 'boolean' ? target : { ...target, ...siblings }, depth);
    }
    const branches = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
    if (branches) {
      const { anyOf: _a, oneOf: _o, ...siblings } = schema;
      return fc.oneof(...branches.filter(isJsonSchema).map((b) => this.of(isObject(b) ? { ...siblings, ...b } : b, depth + 1)));
    }
    if ('const' in schema) return fc.constant(schema.const);
    if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
    const type = schema.type;
    if (Array.isArray(type)) return fc.oneof(...type.map((t) => this.of({ ...schema, type: t }, depth)));
    switch (type) {
      case 'string':
        return this.string(schema);
      case 'integer': {
        const xmin = num(schema, 'exclusiveMinimum');
        const xmax = num(schema, 'exclusiveMaximum');
        const min = Math.max(num(schema, 'minimum') ?? -1e6, xmin === undefined ? -1e9 : Math.floor(xmin) + 1, -1e9);
        const max = Math.min(num(schema, 'maximum') ?? 1e6, xmax === undefined ? 1e9 : Math.ceil(xmax) - 1, 1e9);
        return fc.integer({ min, max });
      }
      case 'number': {
        const xmin = num(schema, 'exclusiveMinimum');
        const xmax = num(schema, 'exclusiveMaximum');
        return fc.double({
          min: num(schema, 'minimum') ?? xmin ?? -1e6,
          max: num(schema, 'maximum') ?? xmax ?? 1e6,
          minExcluded: xmin !== undefined,
          maxExcluded: xmax !== undefined,
          noNaN: true,
        });
      }
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return this.array(schema, depth);
      case 'object':
        return this.object(schema, depth);
      default:
        return fc.jsonValue({ maxDepth: 1 });
    }
  }

  private resolve(ref: string): JsonSchema {
    let target: unknown = this.root;
    for (const key of ref.replace(/^#\/?/, '').split('/').filter(Boolean)) target = isObject(target) ? target[key] : undefined;
    if (!isJsonSchema(target)) throw new Error(`unresolvable $ref ${ref}`);
    return target;
  }

  private string(schema: SchemaObject): fc.Arbitrary<string> {
    if (schema.format === 'gtin') return fc.constantFrom(8, 12, 13, 14).chain(gs1);
    if (schema.format === 'gln') return gs1(13);
    if (schema.format === 'sscc') return gs1(18);
    const min = num(schema, 'minLength') ?? 0;
    const max = num(schema, 'maxLength') ?? Number.POSITIVE_INFINITY;
    if (typeof schema.pattern === 'string') {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= min && s.length <= max);
    }
    return fc.string({ minLength: min, maxLength: Math.min(max, min + 12) });
  }

  private array(schema: SchemaObject, depth: number): fc.Arbitrary<unknown[]> {
    const minLength = num(schema, 'minItems') ?? 0;
    const maxLength = depth > MAX_DEPTH ? minLength : Math.min(num(schema, 'maxItems') ?? minLength + 2, minLength + 2);
    const items = isJsonSchema(schema.items) ? schema.items : true;
    return fc.array(this.of(items, depth + 1), { minLength, maxLength });
  }

  private object(schema: SchemaObject, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const properties = isObject(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
    const keys = Object.keys(properties);
    if (keys.length > 0) {
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const key of keys) {
        const prop = properties[key];
        if (depth > MAX_DEPTH && !required.includes(key)) continue;
        model[key] = this.of(isJsonSchema(prop) ? prop : true, depth + 1);
      }
      return fc.record(model, { requiredKeys: required.filter((k) => k in model) });
    }
    const extra = schema.additionalProperties;
    if (extra === false || depth > MAX_DEPTH) return fc.constant({});
    const names = isObject(schema.propertyNames) ? this.string(schema.propertyNames) : fc.string({ minLength: 1, maxLength: 8 });
    return fc.dictionary(names, this.of(isJsonSchema(extra) ? extra : true, depth + 1), { maxKeys: 2 });
  }
}
