import { z } from 'zod';
import { parseJsonBody, type SimRequest, type SimResponse } from '../kit/http-sim.js';
import { nonexistentId, nsError } from './errors.js';
import { type RecordTypeSpec, recordTypeOf } from './records.js';
import type { NetSuiteStore, NsRecord } from './store.js';

export const RECORD_PREFIX = '/services/rest/record/v1';

export interface RecordRouteContext {
  store: NetSuiteStore;
  /** Absolute base URL, e.g. `http://127.0.0.1:1234`; NetSuite's links and Location are absolute. */
  baseUrl: string;
}

const bodySchema = z.record(z.string(), z.unknown());

function bodyOf(req: SimRequest): { ok: true; value: Record<string, unknown> } | { ok: false; response: SimResponse } {
  const parsed = bodySchema.safeParse(parseJsonBody(req.rawBody));
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    response: nsError(400, 'INVALID_CONTENT', 'Invalid content in the request body. The request body must be a JSON object.'),
  };
}

const self = (href: string) => [{ rel: 'self', href }];

function render(ctx: RecordRouteContext, spec: RecordTypeSpec, record: NsRecord, expand: boolean): Record<string, unknown> {
  const href = `${ctx.baseUrl}${RECORD_PREFIX}/${spec.name}/${record.id}`;
  const out: Record<string, unknown> = { links: self(href) };
  for (const [key, value] of Object.entries(record)) {
    // Sublists are links unless expandSubResources=true is asked for.
    if (key === 'item' && spec.itemSublist && !expand) out.item = { links: self(`${href}/item`) };
    else out[key] = value;
  }
  return out;
}

function intParam(req: SimRequest, name: string, fallback: number, max: number): number | SimResponse {
  const raw = req.query.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    return nsError(400, 'INVALID_PARAMETER', `Invalid '${name}' parameter value: ${raw}.`, { 'o:errorQueryParam': name });
  }
  return n;
}

/**
 * Record service v1 (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545141395.html and
 * neighbours): POST creates (204 + Location), GET/PATCH/DELETE by id or `eid:`, PUT `eid:` upserts, GET lists.
 */
export function handleRecord(req: SimRequest, ctx: RecordRouteContext): SimResponse {
  const rest = req.path.slice(RECORD_PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
  const [typeName, key, ...extra] = rest;
  const spec = typeName === undefined ? undefined : recordTypeOf(typeName);
  if (!spec) return nsError(404, 'NONEXISTENT_RECORD_TYPE', `Record type '${typeName ?? ''}' does not exist.`, { 'o:urlPath': req.path });
  if (extra.length > 0) return nsError(404, 'INVALID_URL', 'The requested URL is not valid.', { 'o:urlPath': req.path });
  const collection = `${ctx.baseUrl}${RECORD_PREFIX}/${spec.name}`;

  if (key === undefined) {
    if (req.method === 'GET') return list(req, ctx, spec, collection);
    if (req.method !== 'POST') return nsError(405, 'INVALID_METHOD', `Method ${req.method} is not allowed on this resource.`);
    const body = bodyOf(req);
    if (!body.ok) return body.response;
    const created = ctx.store.create(spec, body.value);
    if (!created.ok) return created.response;
    return { status: 204, headers: { location: `${collection}/${created.value.id}` } };
  }

  const record = ctx.store.find(spec.name, key);
  if (req.method === 'GET') {
    return record
      ? { status: 200, body: render(ctx, spec, record, req.query.get('expandSubResources') === 'true') }
      : nonexistentId(req.path);
  }
  if (req.method === 'DELETE') {
    if (!record) return nonexistentId(req.path);
    ctx.store.delete(spec.name, record.id);
    return { status: 204 };
  }
  if (req.method === 'PATCH') {
    if (!record) return nonexistentId(req.path);
    const body = bodyOf(req);
    if (!body.ok) return body.response;
    const updated = ctx.store.update(spec, record, body.value);
    return updated.ok ? { status: 204 } : updated.response;
  }
  if (req.method === 'PUT') {
    // Upsert is only defined by external id; the body must not carry its own externalId.
    if (!key.startsWith('eid:')) return nsError(405, 'INVALID_METHOD', 'The PUT method is supported only with an external ID (eid:).');
    const body = bodyOf(req);
    if (!body.ok) return body.response;
    const externalId = key.slice(4);
    if (record) {
      const updated = ctx.store.update(spec, record, body.value);
      return updated.ok ? { status: 204, headers: { location: `${collection}/${record.id}` } } : updated.response;
    }
    const created = ctx.store.create(spec, { ...body.value, externalId });
    if (!created.ok) return created.response;
    return { status: 204, headers: { location: `${collection}/${created.value.id}` } };
  }
  return nsError(405, 'INVALID_METHOD', `Method ${req.method} is not allowed on this resource.`);
}

function list(req: SimRequest, ctx: RecordRouteContext, spec: RecordTypeSpec, collection: string): SimResponse {
  const limit = intParam(req, 'limit', 1000, 1000);
  if (typeof limit !== 'number') return limit;
  const offset = intParam(req, 'offset', 0, Number.MAX_SAFE_INTEGER);
  if (typeof offset !== 'number') return offset;
  if (limit === 0) return nsError(400, 'INVALID_PARAMETER', "Invalid 'limit' parameter value: 0.", { 'o:errorQueryParam': 'limit' });
  const all = ctx.store.all(spec.name);
  const page = all.slice(offset, offset + limit);
  const hasMore = offset + page.length < all.length;
  const at = (o: number) => `${collection}?limit=${limit}&offset=${o}`;
  const links = [{ rel: 'self', href: at(offset) }];
  if (hasMore) links.push({ rel: 'next', href: at(offset + limit) });
  if (offset > 0) links.push({ rel: 'previous', href: at(Math.max(0, offset - limit)) });
  return {
    status: 200,
    body: {
      links,
      count: page.length,
      hasMore,
      items: page.map((r) => ({ links: self(`${collection}/${r.id}`), id: r.id })),
      offset,
      totalResults: all.length,
    },
  };
}
