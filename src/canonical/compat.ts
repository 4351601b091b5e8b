import fc from 'fast-check';

/**
 * Backward-compatibility check between two JSON Schemas (draft 2020-12, the subset zod emits): does the
 * new schema accept every document the old one accepted? Within a major version it must (docs/canonical.md).
 *
 * The check is structural and errs on the side of reporting: a keyword it cannot reason about, changed,
 * is reported. The one heuristic is a changed `pattern`: regular-expression inclusion is not decidable
 * cheaply, so strings are sampled from the old pattern and the new one must accept them all.
 *
 * Development tooling: used by the compatibility test and `snapshot.ts`, not by the running hub (it pulls
 * in fast-check, a dev dependency), so `index.ts` does not export it.
 */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

export interface CompatibilityIssue {
  /** Where in the document, JSON-pointer style; `*` stands for any array element or record value. */
  readonly path: string;
  readonly rule: CompatibilityRule;
  readonly message: string;
}

export type CompatibilityRule =
  | 'schema-removed'
  | 'rejects-everything'
  | 'type-narrowed'
  | 'enum-narrowed'
  | 'const-changed'
  | 'pattern-narrowed'
  | 'format-changed'
  | 'bound-narrowed'
  | 'required-added'
  | 'property-removed'
  | 'property-added-to-open-object'
  | 'additional-properties-tightened'
  | 'union-narrowed'
  | 'unsupported-change';

type SchemaObject = { readonly [keyword: string]: unknown };

/** Keywords that describe but never constrain. */
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$comment',
  '$defs',
  'definitions',
  'id',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

/** Keywords the checker reasons about. Any other keyword that changes is reported as unsupported. */
const HANDLED = new Set([
  '$ref',
  'type',
  'enum',
  'const',
  'pattern',
  'format',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'anyOf',
  'oneOf',
  'allOf',
]);

const SCALAR_LOWER_BOUNDS = ['minLength', 'minimum', 'exclusiveMinimum'] as const;
const SCALAR_UPPER_BOUNDS = ['maxLength', 'maximum', 'exclusiveMaximum'] as const;

const PATTERN_SAMPLES = 300;
const MAX_DEPTH = 64;

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function constrainingKeys(schema: SchemaObject): string[] {
  return Object.keys(schema).filter((k) => !ANNOTATIONS.has(k));
}

/** Types a schema allows, or undefined when it does not restrict the type. */
function typesOf(schema: SchemaObject): Set<string> | undefined {
  const t = schema.type;
  if (typeof t === 'string') return new Set([t]);
  if (Array.isArray(t)) return new Set(t.map(String));
  const values = finiteValues(schema);
  if (values) return new Set(values.map(jsonType));
  return undefined;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** The values a schema allows when it lists them (`enum`, `const`). */
function finiteValues(schema: SchemaObject): unknown[] | undefined {
  if ('const' in schema) return [schema.const];
  if (Array.isArray(schema.enum)) return schema.enum;
  return undefined;
}

function numberOf(schema: SchemaObject, key: string): number | undefined {
  const v = schema[key];
  return typeof v === 'number' ? v : undefined;
}

/** Does a scalar value meet a schema's scalar keywords? Used when the old schema listed its values. */
function scalarAccepts(schema: SchemaObject, value: unknown): boolean {
  const types = typesOf({ type: schema.type });
  if (schema.type !== undefined && types) {
    const t = jsonType(value);
    if (!types.has(t) && !(t === 'integer' && types.has('number'))) return false;
  }
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) return false;
    const min = numberOf(schema, 'minLength');
    const max = numberOf(schema, 'maxLength');
    const length = [...value].length;
    if (min !== undefined && length < min) return false;
    if (max !== undefined && length > max) return false;
  }
  if (typeof value === 'number') {
    const min = numberOf(schema, 'minimum');
    const max = numberOf(schema, 'maximum');
    const xmin = numberOf(schema, 'exclusiveMinimum');
    const xmax = numberOf(schema, 'exclusiveMaximum');
    if (min !== undefined && value < min) return false;
    if (max !== undefined && value > max) return false;
    if (xmin !== undefined && value <= xmin) return false;
    if (xmax !== undefined && value >= xmax) return false;
  }
  return true;
}

/**
 * A string the old pattern allows and the new one rejects, found by sampling the old pattern; undefined
 * when none was found. Throws when the old pattern cannot be sampled (unsupported regex syntax).
 */
function patternCounterexample(oldSchema: SchemaObject, oldPattern: string | undefined, newPattern: string): string | undefined {
  const next = new RegExp(newPattern);
  const min = numberOf(oldSchema, 'minLength') ?? 0;
  const max = numberOf(oldSchema, 'maxLength') ?? Number.POSITIVE_INFINITY;
  const arbitrary =
    oldPattern === undefined
      ? fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: Math.min(max, 40) })
      : fc.stringMatching(new RegExp(oldPattern));
  const samples = fc.sample(arbitrary, { numRuns: PATTERN_SAMPLES, seed: 20240601 });
  return samples.find((s) => s.length >= min && s.length <= max && !next.test(s));
}

class Checker {
  readonly issues: CompatibilityIssue[] = [];
  private readonly visited = new Set<string>();

  constructor(
    private readonly oldRoot: JsonSchema,
    private readonly newRoot: JsonSchema,
  ) {}

  private report(path: string, rule: CompatibilityRule, message: string): void {
    this.issues.push({ path: path || '/', rule, message });
  }

  private resolve(root: JsonSchema, schema: SchemaObject): { schema: JsonSchema; ref?: string } {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return { schema };
    if (!ref.startsWith('#')) throw new Error(`only local $ref is supported, got ${ref}`);
    let target: unknown = root;
    for (const raw of ref.slice(1).split('/').filter(Boolean)) {
      const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
      target = isObject(target) ? target[key] : undefined;
    }
    if (typeof target !== 'boolean' && !isObject(target)) throw new Error(`unresolvable $ref ${ref}`);
    const { $ref: _ignored, ...siblings } = schema;
    const merged: JsonSchema = typeof target === 'boolean' ? target : { ...target, ...siblings };
    return { schema: merged, ref };
  }

  /** Records every way in which `next` rejects a document `prev` accepted, at `path`. */
  compare(prevIn: JsonSchema, nextIn: JsonSchema, path: string, depth = 0): void {
    if (depth > MAX_DEPTH) return;
    let prev = prevIn;
    let next = nextIn;
    let cycleKey = '';
    if (isObject(prev) && typeof prev.$ref === 'string') {
      const r = this.resolve(this.oldRoot, prev);
      prev = r.schema;
      cycleKey += r.ref;
    }
    if (isObject(next) && typeof next.$ref === 'string') {
      const r = this.resolve(this.newRoot, next);
      next = r.schema;
      cycleKey += `|${r.ref}`;
    }
    if (cycleKey) {
      const key = `${cycleKey}@${path}`;
      if (this.visited.has(key)) return;
      this.visited.add(key);
    }

    if (prev === false || next === true) return;
    if (isObject(next) && constrainingKeys(next).length === 0) return;
    if (next === false) {
      this.report(path, 'rejects-everything', 'the new schema rejects every value here');
      return;
    }
    const oldS: SchemaObject = prev === true ? {} : prev;
    const newS: SchemaObject = next;

    if (this.compareUnions(oldS, newS, path, depth)) return;
    if (Array.isArray(newS.allOf)) {
      const { allOf, ...rest } = newS;
      for (const part of allOf) this.compare(oldS, isObject(part) || typeof part === 'boolean' ? part : {}, path, depth + 1);
      this.compare(oldS, rest, path, depth + 1);
      return;
    }
    if (Array.isArray(oldS.allOf)) {
      const { allOf, ...rest } = oldS;
      const merged: SchemaObject = Object.assign({}, rest, ...allOf.filter(isObject));
      this.compare(merged, newS, path, depth + 1);
      return;
    }

    this.compareUnsupported(oldS, newS, path);
    const values = finiteValues(oldS);
    this.compareTypes(oldS, newS, path);
    this.compareValues(newS, values, path);
    if (values) {
      const rejected = values.filter((v) => !scalarAccepts(newS, v));
      if (rejected.length > 0)
        this.report(path, 'enum-narrowed', `values no longer accepted: ${rejected.map((v) => JSON.stringify(v)).join(', ')}`);
    } else {
      this.compareStrings(oldS, newS, path);
      this.compareBounds(oldS, newS, path, SCALAR_LOWER_BOUNDS, SCALAR_UPPER_BOUNDS);
      const n = numberOf(newS, 'multipleOf');
      const o = numberOf(oldS, 'multipleOf');
      if (n !== undefined && (o === undefined || !Number.isInteger(o / n)))
        this.report(path, 'bound-narrowed', `multipleOf ${o ?? '(none)'} -> ${n}`);
    }
    this.compareBounds(oldS, newS, path, ['minItems', 'minProperties'], ['maxItems', 'maxProperties']);
    if (newS.uniqueItems === true && oldS.uniqueItems !== true) this.report(path, 'bound-narrowed', 'uniqueItems added');
    this.compareObjects(oldS, newS, path, depth);
    if (newS.items !== undefined) {
      const oldItems = oldS.items ?? true;
      this.compare(asSchema(oldItems), asSchema(newS.items), `${path}/*`, depth + 1);
    }
  }

  /** Handles anyOf/oneOf on either side; returns true when it did the comparison. */
  private compareUnions(oldS: SchemaObject, newS: SchemaObject, path: string, depth: number): boolean {
    const oldBranches = branchesOf(oldS);
    if (oldBranches) {
      for (const branch of oldBranches) this.compare(branch, newS, path, depth + 1);
      return true;
    }
    const newBranches = branchesOf(newS);
    if (!newBranches) return false;
    let closest: CompatibilityIssue[] | undefined;
    for (const branch of newBranches) {
      const probe = new Checker(this.oldRoot, this.newRoot);
      probe.compare(oldS, branch, path, depth + 1);
      if (probe.issues.length === 0) return true;
      if (!closest || probe.issues.length < closest.length) closest = probe.issues;
    }
    const detail = closest?.[0] ? `; closest branch: ${closest[0].rule} at ${closest[0].path}` : '';
    this.report(path, 'union-narrowed', `no alternative of the new schema accepts everything the old one did${detail}`);
    return true;
  }

  private compareUnsupported(oldS: SchemaObject, newS: SchemaObject, path: string): void {
    for (const key of constrainingKeys(newS)) {
      if (HANDLED.has(key)) continue;
      if (!same(oldS[key], newS[key]))
        this.report(path, 'unsupported-change', `keyword ${key} changed; the checker cannot prove it compatible`);
    }
  }

  private compareTypes(oldS: SchemaObject, newS: SchemaObject, path: string): void {
    if (newS.type === undefined) return;
    const nextTypes = typesOf({ type: newS.type }) ?? new Set<string>();
    const prevTypes = typesOf(oldS);
    if (!prevTypes) {
      this.report(path, 'type-narrowed', `type restricted to ${[...nextTypes].join('|')}`);
      return;
    }
    const lost = [...prevTypes].filter((t) => !nextTypes.has(t) && !(t === 'integer' && nextTypes.has('number')));
    if (lost.length > 0) this.report(path, 'type-narrowed', `type no longer accepts ${lost.join('|')}`);
  }

  private compareValues(newS: SchemaObject, values: unknown[] | undefined, path: string): void {
    const allowed = finiteValues(newS);
    if (!allowed) return;
    if (!values) {
      this.report(path, 'enum-narrowed', `values restricted to ${allowed.map((v) => JSON.stringify(v)).join(', ')}`);
      return;
    }
    const removed = values.filter((v) => !allowed.some((a) => same(a, v)));
    if (removed.length === 0) return;
    const rule = 'const' in newS && !Array.isArray(newS.enum) ? 'const-changed' : 'enum-narrowed';
    this.report(path, rule, `values no longer accepted: ${removed.map((v) => JSON.stringify(v)).join(', ')}`);
  }

  private compareStrings(oldS: SchemaObject, newS: SchemaObject, path: string): void {
    if (typeof newS.format === 'string' && newS.format !== oldS.format) {
      this.report(path, 'format-changed', `format ${String(oldS.format ?? '(none)')} -> ${newS.format}`);
    }
    const next = newS.pattern;
    if (typeof next !== 'string' || next === oldS.pattern) return;
    const prev = typeof oldS.pattern === 'string' ? oldS.pattern : undefined;
    try {
      const counterexample = patternCounterexample(oldS, prev, next);
      if (counterexample !== undefined) {
        this.report(path, 'pattern-narrowed', `pattern ${prev ?? '(none)'} -> ${next} rejects ${JSON.stringify(counterexample)}`);
      }
    } catch (err) {
      this.report(
        path,
        'unsupported-change',
        `pattern changed and could not be sampled: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  private compareBounds(oldS: SchemaObject, newS: SchemaObject, path: string, lower: readonly string[], upper: readonly string[]): void {
    for (const key of lower) {
      const n = numberOf(newS, key);
      const o = numberOf(oldS, key);
      if (n !== undefined && (o === undefined || n > o)) this.report(path, 'bound-narrowed', `${key} ${o ?? '(none)'} -> ${n}`);
    }
    for (const key of upper) {
      const n = numberOf(newS, key);
      const o = numberOf(oldS, key);
      if (n !== undefined && (o === undefined || n < o)) this.report(path, 'bound-narrowed', `${key} ${o ?? '(none)'} -> ${n}`);
    }
  }

  private compareObjects(oldS: SchemaObject, newS: SchemaObject, path: string, depth: number): void {
    const oldProps = isObject(oldS.properties) ? oldS.properties : {};
    const newProps = isObject(newS.properties) ? newS.properties : {};
    const oldRequired = new Set(Array.isArray(oldS.required) ? oldS.required.map(String) : []);
    const newRequired = Array.isArray(newS.required) ? newS.required.map(String) : [];
    for (const key of newRequired) {
      if (!oldRequired.has(key)) this.report(`${path}/${key}`, 'required-added', `property ${key} became required`);
    }
    const oldExtra = oldS.additionalProperties ?? true;
    const newExtra = newS.additionalProperties ?? true;
    for (const [key, prevProp] of Object.entries(oldProps)) {
      const nextProp = newProps[key];
      if (nextProp === undefined) {
        this.report(`${path}/${key}`, 'property-removed', `property ${key} was removed`);
        continue;
      }
      this.compare(asSchema(prevProp), asSchema(nextProp), `${path}/${key}`, depth + 1);
    }
    for (const [key, nextProp] of Object.entries(newProps)) {
      if (key in oldProps || oldExtra === false) continue;
      const probe = new Checker(this.oldRoot, this.newRoot);
      probe.compare(asSchema(oldExtra), asSchema(nextProp), `${path}/${key}`, depth + 1);
      if (probe.issues.length > 0) {
        this.report(`${path}/${key}`, 'property-added-to-open-object', `new property ${key} constrains a name the old schema left open`);
      }
    }
    if (newExtra === false && oldExtra !== false) {
      this.report(path, 'additional-properties-tightened', 'additionalProperties became false');
    } else if (newS.additionalProperties !== undefined && newExtra !== false) {
      this.compare(asSchema(oldExtra), asSchema(newExtra), `${path}/*`, depth + 1);
    }
    if (newS.propertyNames !== undefined) {
      this.compare(asSchema(oldS.propertyNames ?? { type: 'string' }), asSchema(newS.propertyNames), `${path}/(key)`, depth + 1);
    }
  }
}

/** Is `value` usable as a JSON Schema (a boolean or an object)? */
export function isJsonSchema(value: unknown): value is JsonSchema {
  return typeof value === 'boolean' || isObject(value);
}

function asSchema(value: unknown): JsonSchema {
  return typeof value === 'boolean' || isObject(value) ? value : {};
}

function branchesOf(schema: SchemaObject): JsonSchema[] | undefined {
  const list = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (!list) return undefined;
  const { anyOf: _a, oneOf: _o, ...siblings } = schema;
  return list.map((branch) => (isObject(branch) ? { ...siblings, ...branch } : asSchema(branch)));
}

/** Every way in which `next` would reject a document `prev` accepted; empty means backward compatible. */
export function checkBackwardCompatibility(prev: JsonSchema, next: JsonSchema): CompatibilityIssue[] {
  const checker = new Checker(prev, next);
  checker.compare(prev, next, '');
  return checker.issues;
}

/** Compares sets of schema documents by file name: a document that disappeared is an issue too. */
export function checkSchemaSet(
  prev: ReadonlyMap<string, JsonSchema>,
  next: ReadonlyMap<string, JsonSchema>,
): Array<CompatibilityIssue & { file: string }> {
  const out: Array<CompatibilityIssue & { file: string }> = [];
  for (const [file, schema] of prev) {
    const current = next.get(file);
    if (current === undefined) {
      out.push({ file, path: '/', rule: 'schema-removed', message: `${file} exists in the snapshot but no longer in the model` });
      continue;
    }
    for (const issue of checkBackwardCompatibility(schema, current)) out.push({ file, ...issue });
  }
  return out;
}
