import { z } from 'zod';
import type { SimResponse } from '../kit/http-sim.js';
import { nsError } from './errors.js';
import { RECORD_TYPES } from './records.js';
import type { NetSuiteStore, NsRecord } from './store.js';

/**
 * The SuiteQL subset the simulator runs: `SELECT * | col [AS alias], … FROM table [WHERE col op value
 * [AND …]] [ORDER BY col [ASC|DESC]]`, op one of = != <> < > <= >= or IS [NOT] NULL, value a quoted
 * string, a number, or TO_DATE('…', 'fmt') / TO_TIMESTAMP('…', 'fmt').
 */
type Value = string | number;
type Condition = { column: string; op: string; value?: Value };
type Row = Record<string, string | number>;

export interface SuiteqlQuery {
  table: string;
  columns: Array<{ name: string; alias: string }> | '*';
  where: Condition[];
  orderBy?: { column: string; desc: boolean };
}

const TABLE_COLUMNS: Record<string, string[]> = {
  transaction: [
    'id',
    'externalid',
    'tranid',
    'trandate',
    'type',
    'entity',
    'foreigntotal',
    'memo',
    'createddate',
    'lastmodifieddate',
    'createdfrom',
  ],
  customer: ['id', 'externalid', 'entityid', 'companyname', 'email', 'phone', 'createddate', 'lastmodifieddate'],
  vendor: ['id', 'externalid', 'entityid', 'companyname', 'email', 'phone', 'createddate', 'lastmodifieddate'],
  item: ['id', 'externalid', 'itemid', 'displayname', 'createddate', 'lastmodifieddate'],
};

const TOKEN = /\s*(?:('(?:''|[^'])*')|(<=|>=|!=|<>|=|<|>|,|\(|\)|\*)|([A-Za-z0-9_.:-]+))/y;

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

export const invalidQuery = (reason: string): SimResponse =>
  nsError(400, 'INVALID_PARAMETER', `Invalid search query. Detailed unprocessed description follows. ${reason}`, { 'o:errorPath': 'q' });

const unquote = (t: string) => t.slice(1, -1).replace(/''/g, "'");

/** TO_DATE('2026-01-02 10:00:00', 'YYYY-MM-DD HH24:MI:SS') → the ISO form stored on records. */
function dateLiteral(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}))?/.exec(text);
  if (!m?.[1]) return text;
  return m[2] === undefined ? m[1] : `${m[1]}T${m[2]}Z`;
}

export function parseSuiteql(q: string): { ok: true; value: SuiteqlQuery } | { ok: false; response: SimResponse } {
  const tokens = tokenize(q.trim());
  const fail = (reason: string) => ({ ok: false as const, response: invalidQuery(reason) });
  if (tokens === undefined) return fail('Search error occurred: the query could not be read.');
  if (tokens[0]?.toUpperCase() !== 'SELECT') return fail('Search error occurred: the query must start with SELECT.');
  let i = 1;
  const peek = () => tokens[i]?.toUpperCase();
  const next = () => tokens[i++] ?? '';
  let columns: SuiteqlQuery['columns'] = [];
  if (tokens[i] === '*') {
    columns = '*';
    i++;
  } else {
    const list: Array<{ name: string; alias: string }> = [];
    for (;;) {
      const name = next().toLowerCase();
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) return fail(`Search error occurred: unexpected token '${name}' in the select list.`);
      let alias = name;
      if (peek() === 'AS') {
        i++;
        alias = next().toLowerCase();
      }
      list.push({ name, alias });
      if (tokens[i] !== ',') break;
      i++;
    }
    columns = list;
  }
  if (peek() !== 'FROM') return fail("Search error occurred: expected 'FROM'.");
  i++;
  const table = next().toLowerCase();
  const known = TABLE_COLUMNS[table];
  if (!known) return fail(`Search error occurred: Record '${table}' was not found.`);
  const check = (column: string) =>
    known.includes(column)
      ? undefined
      : fail(
          `Search error occurred: Field '${column}' for record '${table}' was not found. Reason: NOT_EXPOSED - Not available for channel SEARCH`,
        );
  if (columns !== '*')
    for (const c of columns) {
      const err = check(c.name);
      if (err) return err;
    }
  const where: Condition[] = [];
  if (peek() === 'WHERE') {
    i++;
    for (;;) {
      const column = next().toLowerCase();
      const err = check(column);
      if (err) return err;
      const op = next().toUpperCase();
      if (op === 'IS') {
        const not = peek() === 'NOT';
        if (not) i++;
        if (next().toUpperCase() !== 'NULL') return fail('Search error occurred: expected NULL after IS.');
        where.push({ column, op: not ? 'IS NOT NULL' : 'IS NULL' });
      } else {
        if (!['=', '!=', '<>', '<', '>', '<=', '>='].includes(op)) return fail(`Search error occurred: unexpected operator '${op}'.`);
        const token = next();
        let value: Value;
        if (token.startsWith("'")) value = unquote(token);
        else if (/^-?\d+(\.\d+)?$/.test(token)) value = Number(token);
        else if (/^TO_(DATE|TIMESTAMP)$/i.test(token)) {
          if (next() !== '(') return fail("Search error occurred: expected '('.");
          const literal = next();
          if (!literal.startsWith("'")) return fail('Search error occurred: TO_DATE expects a string literal.');
          if (tokens[i] === ',') i += 2;
          if (next() !== ')') return fail("Search error occurred: expected ')'.");
          value = dateLiteral(unquote(literal));
        } else return fail(`Search error occurred: unexpected value '${token}'.`);
        where.push({ column, op, value });
      }
      if (peek() !== 'AND') break;
      i++;
    }
  }
  let orderBy: SuiteqlQuery['orderBy'];
  if (peek() === 'ORDER') {
    i++;
    if (next().toUpperCase() !== 'BY') return fail("Search error occurred: expected 'BY'.");
    const column = next().toLowerCase();
    const err = check(column);
    if (err) return err;
    const dir = peek();
    if (dir === 'ASC' || dir === 'DESC') i++;
    orderBy = { column, desc: dir === 'DESC' };
  }
  if (i < tokens.length) return fail(`Search error occurred: unexpected token '${tokens[i]}'.`);
  return { ok: true, value: { table, columns, where, ...(orderBy ? { orderBy } : {}) } };
}

const refSchema = z.object({ id: z.string() });

/** A record as a SuiteQL row: lower-case column names, references as their id, sublists left out. */
function toRow(record: NsRecord, typeCode: string | undefined): Row {
  const row: Row = {};
  for (const [key, value] of Object.entries(record)) {
    const column = key === 'total' ? 'foreigntotal' : key.toLowerCase();
    if (typeof value === 'string' || typeof value === 'number') row[column] = value;
    else if (typeof value === 'boolean') row[column] = value ? 'T' : 'F';
    else {
      const ref = refSchema.safeParse(value);
      if (ref.success) row[column] = ref.data.id;
    }
  }
  if (typeCode !== undefined) row.type = typeCode;
  return row;
}

function compare(a: Value, b: Value): number {
  if (typeof b === 'number') return Number(a) - b;
  const x = String(a);
  return x < b ? -1 : x > b ? 1 : 0;
}

function matches(row: Row, c: Condition): boolean {
  const v = row[c.column];
  if (c.op === 'IS NULL') return v === undefined;
  if (c.op === 'IS NOT NULL') return v !== undefined;
  if (v === undefined || c.value === undefined) return false;
  const d = compare(v, c.value);
  switch (c.op) {
    case '=':
      return d === 0;
    case '!=':
    case '<>':
      return d !== 0;
    case '<':
      return d < 0;
    case '>':
      return d > 0;
    case '<=':
      return d <= 0;
    default:
      return d >= 0;
  }
}

/** Runs a query; every value comes back as a string and null columns are left out, as SuiteQL does. */
export function runSuiteql(query: SuiteqlQuery, store: NetSuiteStore): Array<Record<string, string>> {
  const rows: Row[] = [];
  for (const spec of Object.values(RECORD_TYPES)) {
    if (spec.suiteqlTable !== query.table) continue;
    for (const record of store.all(spec.name)) rows.push(toRow(record, spec.suiteqlType));
  }
  let result = rows.filter((r) => query.where.every((c) => matches(r, c)));
  const { orderBy } = query;
  if (orderBy) {
    result = result.sort((a, b) => {
      const x = a[orderBy.column];
      const y = b[orderBy.column];
      const d = x === undefined ? (y === undefined ? 0 : 1) : y === undefined ? -1 : compare(x, y);
      return orderBy.desc ? -d : d;
    });
  } else {
    result = result.sort((a, b) => Number(a.id) - Number(b.id));
  }
  return result.map((row) => {
    const out: Record<string, string> = {};
    const columns = query.columns === '*' ? Object.keys(row).map((name) => ({ name, alias: name })) : query.columns;
    for (const { name, alias } of columns) {
      const v = row[name];
      if (v !== undefined) out[alias] = String(v);
    }
    return out;
  });
}
