import type { GqlField, GqlOperation, GqlSelection, GqlValue } from './parse.js';

export type Args = Readonly<Record<string, unknown>>;

/** A field whose value depends on its arguments (a connection, a filtered list, a mutation). */
export class Resolver {
  constructor(
    readonly resolve: (args: Args) => unknown,
    /** Connections are priced by page size (see cost.ts) and need `first` or `last`. */
    readonly connection = false,
  ) {}
}

export const field = (resolve: (args: Args) => unknown): Resolver => new Resolver(resolve);

/** An object in the response graph; field values are plain data or Resolvers. */
export interface GqlObject {
  readonly __typename: string;
  readonly [field: string]: unknown;
}

export function isGqlObject(value: unknown): value is GqlObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && '__typename' in value;
}

export interface GqlError {
  message: string;
  locations?: Array<{ line: number; column: number }>;
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}

/** Raised by a resolver: the field becomes null and the error is reported with its path. */
export class FieldError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Raised during validation: the whole request fails, no data. */
export class ValidationError extends Error {
  constructor(readonly errors: GqlError[]) {
    super(errors[0]?.message ?? 'invalid query');
  }
}

export function valueToJs(value: GqlValue, variables: Args): unknown {
  switch (value.kind) {
    case 'variable':
      return variables[value.name] ?? null;
    case 'int':
    case 'float':
    case 'string':
    case 'boolean':
    case 'enum':
      return value.value;
    case 'null':
      return null;
    case 'list':
      return value.values.map((v) => valueToJs(v, variables));
    case 'object':
      return Object.fromEntries(Object.entries(value.fields).map(([k, v]) => [k, valueToJs(v, variables)]));
  }
}

export function argsOf(f: GqlField, variables: Args): Args {
  return Object.fromEntries(Object.entries(f.args).map(([k, v]) => [k, valueToJs(v, variables)]));
}

function included(selection: GqlSelection, variables: Args): boolean {
  for (const directive of selection.directives) {
    const condition = directive.args.if ? valueToJs(directive.args.if, variables) : undefined;
    if (directive.name === 'skip' && condition === true) return false;
    if (directive.name === 'include' && condition === false) return false;
  }
  return true;
}

/** Fields of a selection set for an object of `typename`, inline fragments merged. */
export function fieldsFor(selections: GqlSelection[], typename: string | undefined, variables: Args): GqlField[] {
  const out: GqlField[] = [];
  for (const selection of selections) {
    if (!included(selection, variables)) continue;
    if (selection.kind === 'field') out.push(selection);
    else if (selection.typeCondition === undefined || typename === undefined || selection.typeCondition === typename) {
      out.push(...fieldsFor(selection.selections, typename, variables));
    }
  }
  return out;
}

export interface ExecutionResult {
  data: Record<string, unknown> | null;
  errors: GqlError[];
  /** Cost of what was actually returned (see cost.ts for the rule). */
  actualCost: number;
}

// Wrapper objects of the connection pattern cost nothing themselves; the nodes inside do.
const FREE_TYPES = /(Connection|Edge|PageInfo)$/;

/**
 * Runs an operation over a root object. Unknown fields fail validation like Shopify's
 * `undefinedField`; resolver failures null the field and are reported with a path.
 */
export function execute(operation: GqlOperation, root: GqlObject, variables: Args, mutationCost: number): ExecutionResult {
  const errors: GqlError[] = [];
  let actualCost = 0;

  const complete = (f: GqlField, value: unknown, path: Array<string | number>): { value: unknown; cost: number } => {
    if (value === null || value === undefined) return { value: null, cost: 0 };
    if (Array.isArray(value)) {
      let cost = 0;
      const items = value.map((item, i) => {
        const done = complete(f, item, [...path, i]);
        cost += done.cost;
        return done.value;
      });
      return { value: items, cost };
    }
    if (isGqlObject(value)) {
      if (f.selections.length === 0) {
        throw new ValidationError([
          {
            message: `Field must have selections (field '${f.name}' returns ${value.__typename} but has no selections.)`,
            locations: [{ line: f.line, column: f.column }],
            extensions: { code: 'selectionMismatch' },
          },
        ]);
      }
      const projected = project(value, f.selections, path);
      return { value: projected.value, cost: projected.cost + (FREE_TYPES.test(value.__typename) ? 0 : 1) };
    }
    return { value, cost: 0 };
  };

  const project = (
    obj: GqlObject,
    selections: GqlSelection[],
    path: Array<string | number>,
  ): { value: Record<string, unknown>; cost: number } => {
    const out: Record<string, unknown> = {};
    let cost = 0;
    for (const f of fieldsFor(selections, obj.__typename, variables)) {
      const key = f.alias ?? f.name;
      if (f.name === '__typename') {
        out[key] = obj.__typename;
        continue;
      }
      if (!(f.name in obj)) {
        throw new ValidationError([
          {
            message: `Field '${f.name}' doesn't exist on type '${obj.__typename}'`,
            locations: [{ line: f.line, column: f.column }],
            path: [...path, key],
            extensions: { code: 'undefinedField', typeName: obj.__typename, fieldName: f.name },
          },
        ]);
      }
      const raw = obj[f.name];
      try {
        const value = raw instanceof Resolver ? raw.resolve(argsOf(f, variables)) : raw;
        const done = complete(f, value, [...path, key]);
        out[key] = done.value;
        cost += done.cost + (raw instanceof Resolver && raw.connection ? 2 : 0);
      } catch (err) {
        if (!(err instanceof FieldError)) throw err;
        out[key] = null;
        errors.push({
          message: err.message,
          locations: [{ line: f.line, column: f.column }],
          path: [...path, key],
          ...(err.code ? { extensions: { code: err.code } } : {}),
        });
      }
    }
    return { value: out, cost };
  };

  const result = project(root, operation.selections, []);
  actualCost =
    operation.type === 'mutation' ? mutationCost * fieldsFor(operation.selections, root.__typename, variables).length : result.cost;
  return { data: result.value, errors, actualCost };
}
