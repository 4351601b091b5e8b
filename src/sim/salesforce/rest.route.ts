import { z } from 'zod';
import type { SimResponse } from '../kit/http-sim.js';
import { sfError } from './errors.js';
import { randomChars } from './ids.js';
import { describeOf, type SObjectDescribe } from './objects.js';
import { parseSoql, runSoql } from './soql.js';
import type { SalesforceStore, SfRecord } from './store.js';

/** One REST call inside `/services/data/vXX.X`, whether it came alone or inside a composite request. */
export interface RestCall {
  readonly method: string;
  /** The path after the version, e.g. `/sobjects/Account/001…`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  /** Request headers that change behaviour (Sforce-Query-Options). */
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export interface RestContext {
  readonly store: SalesforceStore;
  /** e.g. `v62.0` */
  readonly version: string;
  /** Default and largest query batch; Salesforce uses 2000. */
  readonly queryBatchSize: number;
  readonly cursors: Map<string, { rows: Array<Record<string, unknown>>; size: number }>;
  /** Body of `GET /limits`. */
  readonly limits: () => Record<string, unknown>;
}

const fieldsSchema = z.record(z.string(), z.unknown());

const notFound = (): SimResponse => sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
const methodNotAllowed = (method: string, allowed: string): SimResponse => ({
  ...sfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed}`),
  headers: { allow: allowed },
});

const versionNumber = (version: string): number => Number(version.slice(1));

export function recordUrl(ctx: RestContext, type: string, id: string): string {
  return `/services/data/${ctx.version}/sobjects/${type}/${id}`;
}

export function withAttributes(
  ctx: RestContext,
  describe: SObjectDescribe,
  record: SfRecord,
  fields?: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: { type: describe.name, url: recordUrl(ctx, describe.name, record.Id) } };
  const names = fields ?? [...new Set([...describe.fields, ...Object.keys(record)])];
  for (const f of names) out[f] = record[f] ?? null;
  return out;
}

function bodyFields(body: unknown): { ok: true; value: Record<string, unknown> } | { ok: false; response: SimResponse } {
  const parsed = fieldsSchema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, response: sfError(400, 'JSON_PARSER_ERROR', 'The request body is either invalid or incomplete.') };
}

export function executeRest(ctx: RestContext, call: RestCall): SimResponse {
  const segments = call.path.split('/').filter(Boolean).map(decodeURIComponent);
  const [root, type, a, b] = segments;
  if (root === 'limits' && segments.length === 1 && call.method === 'GET') return { status: 200, body: ctx.limits() };
  if (root === 'sobjects' && type !== undefined) {
    const describe = describeOf(type);
    if (!describe) return sfError(404, 'NOT_FOUND', `The requested resource does not exist`);
    if (segments.length === 2) {
      if (call.method !== 'POST') return methodNotAllowed(call.method, 'GET, HEAD, POST');
      return create(ctx, describe, call.body);
    }
    if (segments.length === 3 && a !== undefined) return byId(ctx, describe, a, call);
    if (segments.length === 4 && a !== undefined && b !== undefined) return byExternalId(ctx, describe, a, b, call);
    return notFound();
  }
  if ((root === 'query' || root === 'queryAll') && call.method === 'GET') {
    if (segments.length === 1) return query(ctx, call);
    if (segments.length === 2 && type !== undefined) return nextPage(ctx, type);
  }
  return notFound();
}

function create(ctx: RestContext, describe: SObjectDescribe, body: unknown): SimResponse {
  const fields = bodyFields(body);
  if (!fields.ok) return fields.response;
  const created = ctx.store.create(describe, fields.value);
  if (!created.ok) return created.response;
  return {
    status: 201,
    headers: { Location: recordUrl(ctx, describe.name, created.value.Id) },
    body: { id: created.value.Id, success: true, errors: [] },
  };
}

function byId(ctx: RestContext, describe: SObjectDescribe, id: string, call: RestCall): SimResponse {
  if (call.method === 'GET') {
    const record = ctx.store.get(describe.name, id);
    if (!record) return notFound();
    const fields = call.query.get('fields');
    return {
      status: 200,
      body: withAttributes(ctx, describe, record, fields ? ['Id', ...fields.split(',').map((f) => f.trim())] : undefined),
    };
  }
  if (call.method === 'PATCH') {
    const fields = bodyFields(call.body);
    if (!fields.ok) return fields.response;
    const updated = ctx.store.update(describe, id, fields.value);
    return updated.ok ? { status: 204 } : updated.response;
  }
  if (call.method === 'DELETE') return ctx.store.delete(describe.name, id) ? { status: 204 } : notFound();
  return methodNotAllowed(call.method, 'GET, HEAD, PATCH, DELETE');
}

/**
 * sObject Rows by External ID (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_upsert.htm):
 * no match creates (201), one match updates (200 with `created:false` from v46.0, 204 before), several
 * matches answer 300 with the matching records' URLs and change nothing.
 */
function byExternalId(ctx: RestContext, describe: SObjectDescribe, field: string, value: string, call: RestCall): SimResponse {
  const extField = describe.externalIds.find((f) => f.toLowerCase() === field.toLowerCase());
  if (extField === undefined) {
    return sfError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${field}`);
  }
  const matches = ctx.store.findBy(describe.name, extField, value);
  if (matches.length > 1 && (call.method === 'GET' || call.method === 'PATCH')) {
    return { status: 300, body: matches.map((r) => recordUrl(ctx, describe.name, r.Id)) };
  }
  const [match] = matches;
  if (call.method === 'GET') return match ? { status: 200, body: withAttributes(ctx, describe, match) } : notFound();
  if (call.method === 'DELETE') return match && ctx.store.delete(describe.name, match.Id) ? { status: 204 } : notFound();
  if (call.method !== 'PATCH') return methodNotAllowed(call.method, 'GET, HEAD, PATCH, DELETE');
  const fields = bodyFields(call.body);
  if (!fields.ok) return fields.response;
  const modern = versionNumber(ctx.version) >= 46;
  if (match) {
    const updated = ctx.store.update(describe, match.Id, fields.value);
    if (!updated.ok) return updated.response;
    return modern ? { status: 200, body: { id: match.Id, success: true, errors: [], created: false } } : { status: 204 };
  }
  if (call.query.get('updateOnly') === 'true') return notFound();
  const created = ctx.store.create(describe, { ...fields.value, [extField]: value });
  if (!created.ok) return created.response;
  return {
    status: 201,
    headers: { Location: recordUrl(ctx, describe.name, created.value.Id) },
    body: modern ? { id: created.value.Id, success: true, errors: [], created: true } : { id: created.value.Id, success: true, errors: [] },
  };
}

function batchSize(ctx: RestContext, call: RestCall): number {
  // Sforce-Query-Options: batchSize=N, honoured between 200 and 2000 (a request, not a guarantee).
  const match = /batchSize=(\d+)/i.exec(call.headers['sforce-query-options'] ?? '');
  const requested = match?.[1] === undefined ? undefined : Number(match[1]);
  if (requested === undefined) return ctx.queryBatchSize;
  return Math.min(ctx.queryBatchSize, Math.max(200, Math.min(2000, requested)));
}

function query(ctx: RestContext, call: RestCall): SimResponse {
  const q = call.query.get('q');
  if (q === null || q.trim() === '') return sfError(400, 'MALFORMED_QUERY', 'A query string is required');
  const parsed = parseSoql(q);
  if (!parsed.ok) return parsed.response;
  const { describe, fields } = parsed.value;
  const rows = runSoql(parsed.value, ctx.store.all(describe.name)).map((r) => withAttributes(ctx, describe, r, fields));
  return page(ctx, rows, batchSize(ctx, call));
}

function page(ctx: RestContext, rows: Array<Record<string, unknown>>, size: number): SimResponse {
  const first = rows.slice(0, size);
  const body: Record<string, unknown> = { totalSize: rows.length, done: rows.length <= size, records: first };
  if (rows.length > size) {
    const locator = `0r8${randomChars(12)}`;
    ctx.cursors.set(locator, { rows, size });
    body.nextRecordsUrl = `/services/data/${ctx.version}/query/${locator}-${size}`;
  }
  return { status: 200, body };
}

function nextPage(ctx: RestContext, token: string): SimResponse {
  const match = /^(0r8[A-Za-z0-9]+)-(\d+)$/.exec(token);
  const cursor = match?.[1] === undefined ? undefined : ctx.cursors.get(match[1]);
  if (!match || !cursor) return sfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  const start = Number(match[2]);
  const rows = cursor.rows.slice(start, start + cursor.size);
  const end = start + rows.length;
  const body: Record<string, unknown> = { totalSize: cursor.rows.length, done: end >= cursor.rows.length, records: rows };
  if (end < cursor.rows.length) body.nextRecordsUrl = `/services/data/${ctx.version}/query/${match[1]}-${end}`;
  return { status: 200, body };
}
