import { valueError } from './errors.js';
import { fieldOf, type ModelDef } from './models.js';

/** A stored row: many2one as an id or false, scalars as JSON values; one2many lives on the children. */
export type Row = Record<string, unknown> & { id: number };

/** Resolves a many2one's display name, for leaves that compare a many2one with text. */
export type NameOf = (relation: string, id: number) => string;

type Leaf = [string, string, unknown];
const OPERATORS = new Set([
  '=',
  '!=',
  '<>',
  '>',
  '>=',
  '<',
  '<=',
  'in',
  'not in',
  'like',
  'not like',
  'ilike',
  'not ilike',
  '=like',
  '=ilike',
]);

function isLeaf(term: unknown): term is Leaf {
  return Array.isArray(term) && term.length === 3 && typeof term[0] === 'string' && typeof term[1] === 'string';
}

/** SQL LIKE with % and _ wildcards. */
function like(value: string, pattern: string, insensitive: boolean): boolean {
  const source = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${source}$`, insensitive ? 'is' : 's').test(value);
}

function compareScalar(actual: unknown, op: string, expected: unknown): boolean {
  const a = actual === undefined || actual === null ? false : actual;
  switch (op) {
    case '=':
      return a === expected || (expected === false && (a === '' || a === false));
    case '!=':
    case '<>':
      return !compareScalar(actual, '=', expected);
    case 'in':
      return Array.isArray(expected) && expected.some((e) => compareScalar(actual, '=', e));
    case 'not in':
      return !compareScalar(actual, 'in', expected);
    case 'like':
    case 'ilike':
      return a !== false && like(String(a), `%${String(expected)}%`, op === 'ilike');
    case 'not like':
    case 'not ilike':
      return !compareScalar(actual, op.slice(4), expected);
    case '=like':
    case '=ilike':
      return a !== false && like(String(a), String(expected), op === '=ilike');
    default: {
      if (a === false || expected === false || expected === null) return false;
      const d =
        typeof a === 'number' && typeof expected === 'number'
          ? a - expected
          : String(a) < String(expected)
            ? -1
            : String(a) > String(expected)
              ? 1
              : 0;
      return op === '>' ? d > 0 : op === '>=' ? d >= 0 : op === '<' ? d < 0 : d <= 0;
    }
  }
}

function checkLeaf(model: ModelDef, [field, rawOp, value]: Leaf) {
  const def = fieldOf(model, field);
  if (!def || def.type === 'one2many' || field.includes('.'))
    throw valueError(`Invalid field ${model.name}.${field} in leaf ('${field}', '${rawOp}', ${JSON.stringify(value)})`);
  if (!OPERATORS.has(rawOp.toLowerCase())) throw valueError(`Invalid leaf ('${field}', '${rawOp}', ${JSON.stringify(value)})`);
  return def;
}

/** Odoo validates the whole domain before querying, so a bad leaf fails even on an empty table. */
export function checkDomain(model: ModelDef, domain: readonly unknown[]): void {
  for (const term of domain) {
    if (term === '!' || term === '&' || term === '|') continue;
    if (!isLeaf(term)) throw valueError(`Invalid domain term ${JSON.stringify(term)}`);
    checkLeaf(model, term);
  }
}

function evalLeaf(model: ModelDef, row: Row, leaf: Leaf, nameOf: NameOf): boolean {
  const def = checkLeaf(model, leaf);
  const [field, rawOp, value] = leaf;
  const op = rawOp.toLowerCase();
  const actual = row[field];
  if (def.type === 'many2one') {
    // Text against a many2one compares with the related record's display name (a name_search in Odoo).
    const textual = typeof value === 'string' || (Array.isArray(value) && value.some((v) => typeof v === 'string'));
    if (textual && typeof actual === 'number') return compareScalar(nameOf(def.relation, actual), op === '=' ? '=ilike' : op, value);
  }
  return compareScalar(actual, op, value);
}

/** Evaluates an Odoo domain (Polish notation with '&', '|', '!'; implicit '&' between terms). */
export function matchesDomain(model: ModelDef, row: Row, domain: readonly unknown[], nameOf: NameOf): boolean {
  const stack: boolean[] = [];
  for (let i = domain.length - 1; i >= 0; i--) {
    const term = domain[i];
    if (term === '!') stack.push(!(stack.pop() ?? true));
    else if (term === '&' || term === '|') {
      const a = stack.pop() ?? true;
      const b = stack.pop() ?? true;
      stack.push(term === '&' ? a && b : a || b);
    } else if (isLeaf(term)) stack.push(evalLeaf(model, row, term, nameOf));
    else throw valueError(`Invalid domain term ${JSON.stringify(term)}`);
  }
  return stack.every(Boolean);
}

export function mentionsField(domain: readonly unknown[], field: string): boolean {
  return domain.some((t) => isLeaf(t) && t[0] === field);
}

/** Sorts by an Odoo `order` spec such as "write_date desc, id". */
export function sortRows(model: ModelDef, rows: Row[], order: string | undefined): Row[] {
  const keys = (order ?? 'id')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [field = '', dir = 'asc'] = part.split(/\s+/);
      if (!fieldOf(model, field) || !['asc', 'desc'].includes(dir.toLowerCase()))
        throw valueError(`Invalid "order" specified (${order ?? ''}).`);
      return { field, desc: dir.toLowerCase() === 'desc' };
    });
  return [...rows].sort((x, y) => {
    for (const { field, desc } of keys) {
      const a = x[field] ?? false;
      const b = y[field] ?? false;
      if (a === b) continue;
      // PostgreSQL puts NULLs last ascending and first descending.
      const d =
        a === false ? 1 : b === false ? -1 : typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1;
      return desc ? -d : d;
    }
    return x.id - y.id;
  });
}
