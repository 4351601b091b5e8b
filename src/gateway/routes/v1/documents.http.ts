import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id, Timestamp } from '../../../canonical/index.js';
import { type DocumentKind, etagOf, type PartnerDocuments, type StoredDocument, type Submitter } from '../../../domains/orders/index.js';
import type { Store, Tx } from '../../../store/index.js';
import type { IdempotencyStore } from '../../idempotency.js';
import { partnerOf } from '../../security.js';
import { type ApiRoute, defineRoute, headerOf, NO_BODY, NO_PARAMS, NO_QUERY, type ResponseDoc } from './route-spec.js';

/** What the partner document routes need. */
export interface DocumentRouteDeps {
  store: Store;
  documents: PartnerDocuments;
  idempotency: IdempotencyStore;
  /** The order timeline from the observability module, when it runs. */
  timelines?: TimelineSource | undefined;
}

/**
 * The observability module's order timelines (every milestone with its system and latency). The
 * orders API falls back to the order's own status history when it is absent or has nothing.
 */
export interface TimelineSource {
  forOrder(orderId: string): Promise<unknown>;
}

export const IdParams = z.strictObject({ id: Id.meta({ description: 'the document id the hub assigned' }) });

export const ListQuery = z
  .strictObject({
    limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: 'page size, 1 to 200 (50 by default)' }),
    cursor: z.string().min(1).max(400).optional().meta({ description: '`nextCursor` of the previous page' }),
    updated_since: Timestamp.optional().meta({ description: 'only documents changed at or after this instant (RFC 3339)' }),
    status: z.string().min(1).max(40).optional().meta({ description: 'only documents in this status' }),
  })
  .meta({ description: 'cursor pagination in (updatedAt, id) order' });

/** A page of documents. */
export function pageSchema(item: z.ZodType) {
  return z.strictObject({
    items: z.array(item),
    nextCursor: z.string().optional().meta({ description: 'present when more documents follow; pass it as `cursor`' }),
  });
}

export const PROBLEM_RESPONSES: Readonly<Record<number, ResponseDoc>> = {
  401: { description: 'missing or invalid credentials (problem+json)' },
  403: { description: 'the credential lacks the scope of this route (problem+json)' },
  422: { description: 'the request failed validation; `errors` names each bad field (problem+json)' },
  429: { description: 'quota used up; wait `Retry-After` seconds (problem+json)' },
};

/** The idempotency key of a request, validated by the idempotency store. */
function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  return headerOf(request, 'Idempotency-Key');
}

/** Who submits a request: the partner, its idempotency key and correlation id. */
export function submitterOf(request: FastifyRequest): Submitter {
  const correlation = headerOf(request, 'X-Correlation-Id');
  return {
    partnerId: partnerOf(request.principal),
    idempotencyKey: idempotencyKeyOf(request),
    correlationId: correlation !== undefined && /^[A-Za-z0-9._:/-]{1,200}$/.test(correlation) ? correlation : undefined,
  };
}

/** Headers that describe a stored document. */
export function documentHeaders(doc: StoredDocument, location?: string): Record<string, string> {
  return {
    etag: etagOf(doc),
    'last-modified': new Date(doc.updatedAt).toUTCString(),
    ...(location !== undefined ? { location } : {}),
  };
}

/**
 * Runs a POST once per Idempotency-Key: the write, its event and the saved response commit in one
 * transaction; a retry with the same key and body gets the first response (`Idempotent-Replayed`).
 */
export async function idempotentPost(
  deps: DocumentRouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  body: unknown,
  write: (tx: Tx, who: Submitter) => Promise<{ status: number; doc: StoredDocument; location?: string }>,
): Promise<unknown> {
  const who = submitterOf(request);
  const out = await deps.idempotency.run(
    { partnerId: who.partnerId, key: who.idempotencyKey, method: 'POST', path: request.url.split('?')[0] ?? '', body },
    async (tx) => {
      const result = await write(tx, who);
      return { status: result.status, body: result.doc.data, headers: documentHeaders(result.doc, result.location) };
    },
  );
  if (out.replayed) reply.header('idempotent-replayed', 'true');
  for (const [k, v] of Object.entries(out.headers)) reply.header(k, v);
  return reply.code(out.status).send(out.body);
}

/** Sends one document with its ETag; answers 304 when If-None-Match already names this version. */
export function sendDocument(request: FastifyRequest, reply: FastifyReply, doc: StoredDocument): unknown {
  const etag = etagOf(doc);
  reply.headers({ ...documentHeaders(doc), 'cache-control': 'private, no-cache' });
  const inm = headerOf(request, 'If-None-Match');
  if (inm?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*')) {
    return reply.code(304).send();
  }
  return reply.send(doc.data);
}

export interface ReadRoutesSpec {
  kind: DocumentKind;
  /** `/v1/shipments` */
  path: string;
  /** `Shipment`, used in operation ids and summaries. */
  name: string;
  plural: string;
  tag: string;
  scope: string;
  schema: z.ZodType;
  description?: string;
}

/** GET list and GET one for a document kind, partner-scoped. */
export function readRoutes(deps: DocumentRouteDeps, spec: ReadRoutesSpec): ApiRoute[] {
  const store = deps.documents.documents;
  const list = defineRoute(
    {
      method: 'GET',
      path: spec.path,
      operationId: `list${spec.plural}`,
      summary: `List your ${spec.plural.toLowerCase()}`,
      description: `${spec.description ?? ''} Oldest change first; follow \`nextCursor\`, or sync with \`updated_since\`.`.trim(),
      tag: spec.tag,
      scope: spec.scope,
      params: NO_PARAMS,
      query: ListQuery,
      body: NO_BODY,
      responses: {
        200: { description: `a page of ${spec.plural.toLowerCase()}`, schema: pageSchema(spec.schema), headers: ['Link'] },
        400: { description: 'the cursor is not one this API returned (problem+json)' },
        ...PROBLEM_RESPONSES,
      },
    },
    async ({ query, request, reply }) => {
      const partnerId = partnerOf(request.principal);
      const page = await store.list(partnerId, spec.kind, {
        limit: query.limit,
        ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
        ...(query.updated_since !== undefined ? { updatedSince: Date.parse(query.updated_since) } : {}),
        ...(query.status !== undefined ? { status: query.status } : {}),
      });
      if (page.nextCursor !== undefined) {
        const next = new URLSearchParams();
        next.set('limit', String(query.limit));
        next.set('cursor', page.nextCursor);
        if (query.updated_since !== undefined) next.set('updated_since', query.updated_since);
        if (query.status !== undefined) next.set('status', query.status);
        reply.header('link', `<${spec.path}?${next.toString()}>; rel="next"`);
      }
      return { items: page.items.map((d) => d.data), ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}) };
    },
  );
  const get = defineRoute(
    {
      method: 'GET',
      path: `${spec.path}/{id}`,
      operationId: `get${spec.name}`,
      summary: `Get one of your ${spec.plural.toLowerCase()}`,
      tag: spec.tag,
      scope: spec.scope,
      params: IdParams,
      query: NO_QUERY,
      body: NO_BODY,
      headers: ['If-None-Match'],
      responses: {
        200: { description: `the ${spec.name.toLowerCase()}`, schema: spec.schema, headers: ['ETag', 'Last-Modified'] },
        304: { description: 'unchanged since the ETag sent in If-None-Match' },
        404: { description: 'no such document among yours (problem+json)' },
        ...PROBLEM_RESPONSES,
      },
    },
    async ({ params, request, reply }) => {
      const doc = await store.require(partnerOf(request.principal), spec.kind, params.id);
      return sendDocument(request, reply, doc);
    },
  );
  return [list, get];
}
