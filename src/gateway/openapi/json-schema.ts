import { z } from 'zod';

export type JsonObject = { [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Collects JSON Schemas for an OpenAPI 3.1 document (whose schema dialect is JSON Schema 2020-12):
 * named sub-schemas (`$defs`, from the canonical schemas' `meta({ id })`) move to
 * `components.schemas`, and references follow them. A name whose input and output shapes differ
 * (defaults make fields optional on input) gets an `Input` twin.
 */
export class SchemaCollector {
  readonly components: Record<string, JsonObject> = {};

  /** A JSON Schema of what `schema` accepts (`input`) or produces (`output`), refs pointing at components. */
  convert(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
    const raw = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });
    const { $schema: _s, $defs, ...rest } = raw;
    const renames = new Map<string, string>();
    const defs = isObject($defs) ? $defs : {};
    for (const [name, def] of Object.entries(defs)) {
      let target = name;
      const existing = this.components[target];
      if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(this.rewriteValue(def, renames))) {
        target = `${name}Input`;
      }
      renames.set(name, target);
    }
    for (const [name, def] of Object.entries(defs)) {
      const target = renames.get(name) ?? name;
      if (this.components[target] === undefined) this.components[target] = this.rewriteObject(def, renames);
    }
    return this.rewriteObject(rest, renames);
  }

  /** Registers a named component (a request or response body) and returns a reference to it. */
  named(name: string, schema: z.ZodType, io: 'input' | 'output'): JsonObject {
    if (this.components[name] === undefined) this.components[name] = this.convert(schema, io);
    return { $ref: `#/components/schemas/${name}` };
  }

  private rewriteObject(value: unknown, renames: Map<string, string>): JsonObject {
    const out = this.rewriteValue(value, renames);
    return isObject(out) ? out : {};
  }

  private rewriteValue(value: unknown, renames: Map<string, string>): unknown {
    if (Array.isArray(value)) return value.map((v) => this.rewriteValue(v, renames));
    if (!isObject(value)) return value;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')) {
        const name = v.slice('#/$defs/'.length);
        out[k] = `#/components/schemas/${renames.get(name) ?? name}`;
      } else {
        out[k] = this.rewriteValue(v, renames);
      }
    }
    return out;
  }
}
