import type { SimResponse } from '../kit/http-sim.js';
import { sfError } from './errors.js';
import { describeOf, fieldName, type SObjectDescribe } from './objects.js';
import type { Outcome, SfRecord } from './store.js';

/**
 * The SOQL subset the simulator runs: `SELECT f, … FROM Type [WHERE f op literal [AND …]]
 * [ORDER BY f [ASC|DESC]] [LIMIT n] [OFFSET n]`, op one of = != <> < > <= >= IN.
 */
type Literal = string | number | boolean | null;
type Condition = { field: string; op: string; value: Literal | Literal[] };

export interface SoqlQuery {
  readonly describe: SObjectDescribe;
  readonly fields: string[];
  readonly where: Condition[];
  readonly orderBy?: { field: string; desc: boolean };
  readonly limit?: number;
  readonly offset?: number;
}

const TOKEN = /\s*(?:('(?:\\.|[^'\\])*')|(<=|>=|!=|<>|=|<|>|,|\(|\))|([A-Za-z0-9_.:+-]+))/y;

function tokenize(q: string): string[] | undefined {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < q.length) {
    if (/^\s*$/.test(q.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(q);
    if (!m) return undefined;
    tokens.push(m[1] ?? m[2] ?? m[3] ?? '');
  }
  return tokens;
}

function literal(token: string): Literal | undefined {
  if (token.startsWith("'")) return token.slice(1, -1).replace(/\\(.)/g, '$1');
  const lower = token.toLowerCase();
  if (lower === 'null') return null;
  if (lower === 'true' || lower === 'false') return lower === 'true';
  if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
  // Date and datetime literals are unquoted in SOQL.
  if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2}))?$/.test(token)) return token;
  return undefined;
}

const malformed = (message: string): { ok: false; response: SimResponse } => ({
  ok: false,
  response: sfError(400, 'MALFORMED_QUERY', message),
});

export function parseSoql(q: string): Outcome<SoqlQuery> {
  const tokens = tokenize(q.trim());
  if (!tokens || tokens.length === 0) return malformed('unexpected token in query');
  let i = 0;
  const peek = () => tokens[i]?.toUpperCase();
  const next = () => tokens[i++];
  if (peek() !== 'SELECT') return malformed(`unexpected token: '${tokens[0]}'`);
  i++;
  const selected: string[] = [];
  for (;;) {
    const f = next();
    if (f === undefined) return malformed('unexpected end of query');
    selected.push(f);
    if (tokens[i] === ',') {
      i++;
      continue;
    }
    break;
  }
  if (peek() !== 'FROM') return malformed(`unexpected token: '${tokens[i] ?? ''}'`);
  i++;
  const type = next() ?? '';
  const describe = describeOf(type);
  if (!describe) {
    return { ok: false, response: sfError(400, 'INVALID_TYPE', `sObject type '${type}' is not supported.`) };
  }
  const resolve = (f: string): Outcome<string> => {
    const name = fieldName(describe, f);
    return name === undefined
      ? { ok: false, response: sfError(400, 'INVALID_FIELD', `No such column '${f}' on entity '${describe.name}'.`) }
      : { ok: true, value: name };
  };
  const fields: string[] = [];
  for (const f of selected) {
    const r = resolve(f);
    if (!r.ok) return r;
    fields.push(r.value);
  }
  const where: Condition[] = [];
  if (peek() === 'WHERE') {
    i++;
    for (;;) {
      const f = resolve(next() ?? '');
      if (!f.ok) return f;
      const op = next()?.toUpperCase() ?? '';
      if (op === 'IN') {
        if (next() !== '(') return malformed("expecting '(' after IN");
        const values: Literal[] = [];
        for (;;) {
          const v = literal(next() ?? '');
          if (v === undefined) return malformed('unexpected token in IN list');
          values.push(v);
          const sep = next();
          if (sep === ')') break;
          if (sep !== ',') return malformed("expecting ',' or ')'");
        }
        where.push({ field: f.value, op, value: values });
      } else {
        if (!['=', '!=', '<>', '<', '>', '<=', '>='].includes(op)) return malformed(`unexpected token: '${op}'`);
        const v = literal(next() ?? '');
        if (v === undefined) return malformed('unexpected token: expecting a literal');
        where.push({ field: f.value, op, value: v });
      }
      if (peek() === 'AND') {
        i++;
        continue;
      }
      break;
    }
  }
  let orderBy: SoqlQuery['orderBy'];
  if (peek() === 'ORDER') {
    i++;
    if (peek() !== 'BY') return malformed("expecting 'BY'");
    i++;
    const f = resolve(next() ?? '');
    if (!f.ok) return f;
    const dir = peek();
    if (dir === 'ASC' || dir === 'DESC') i++;
    orderBy = { field: f.value, desc: dir === 'DESC' };
  }
  let limit: number | undefined;
  let offset: number | undefined;
  while (peek() === 'LIMIT' || peek() === 'OFFSET') {
    const kw = next()?.toUpperCase();
    const n = Number(next());
    if (!Number.isInteger(n) || n < 0) return malformed(`${kw} must be a non-negative integer`);
    if (kw === 'LIMIT') limit = n;
    else offset = n;
  }
  if (i < tokens.length) return malformed(`unexpected token: '${tokens[i]}'`);
  return {
    ok: true,
    value: {
      describe,
      fields,
      where,
      ...(orderBy ? { orderBy } : {}),
      ...(limit !== undefined ? { limit } : {}),
      ...(offset !== undefined ? { offset } : {}),
    },
  };
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a ?? '').localeCompare(String(b ?? ''));
}

function matches(record: SfRecord, c: Condition): boolean {
  const actual = record[c.field] ?? null;
  if (Array.isArray(c.value)) return c.value.some((v) => actual !== null && String(actual) === String(v));
  if (c.value === null) return c.op === '=' ? actual === null : actual !== null;
  if (c.op === '=') return actual !== null && String(actual) === String(c.value);
  if (c.op === '!=' || c.op === '<>') return actual === null || String(actual) !== String(c.value);
  if (actual === null) return false;
  const d = compare(actual, c.value);
  return c.op === '<' ? d < 0 : c.op === '>' ? d > 0 : c.op === '<=' ? d <= 0 : d >= 0;
}

export function runSoql(query: SoqlQuery, records: SfRecord[]): SfRecord[] {
  let rows = records.filter((r) => query.where.every((c) => matches(r, c)));
  const { orderBy } = query;
  if (orderBy) {
    // Salesforce sorts nulls first ascending, last descending.
    rows = [...rows].sort((a, b) => {
      const x = a[orderBy.field] ?? null;
      const y = b[orderBy.field] ?? null;
      const d = x === null ? (y === null ? 0 : -1) : y === null ? 1 : compare(x, y);
      return orderBy.desc ? -d : d;
    });
  }
  const start = query.offset ?? 0;
  return rows.slice(start, query.limit === undefined ? undefined : start + query.limit);
}
