import { z } from 'zod';
import type { SimResponse } from '../kit/http-sim.js';
import { type SalesforceError, sfError } from './errors.js';
import { describeOf } from './objects.js';
import type { RestContext } from './rest.route.js';

/**
 * sObject Collections create, `POST /composite/sobjects`
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_create.htm):
 * up to 200 records, each with `attributes.type`; one SaveResult per record, in order.
 */
const collectionSchema = z.object({
  allOrNone: z.boolean().optional(),
  records: z
    .array(z.looseObject({ attributes: z.object({ type: z.string() }) }))
    .min(1)
    .max(200),
});

type SaveResult =
  | { id: string; success: true; errors: [] }
  | { id?: string; success: false; errors: Array<{ statusCode: string; message: string; fields: string[] }> };

const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

function failure(body: unknown): SaveResult {
  const parsed = z.array(z.object({ errorCode: z.string(), message: z.string(), fields: z.array(z.string()).optional() })).safeParse(body);
  const errors = parsed.success ? parsed.data : [];
  return {
    success: false,
    errors: errors.map((e: SalesforceError) => ({ statusCode: e.errorCode, message: e.message, fields: e.fields ?? [] })),
  };
}

type Apply = (ctx: RestContext, request: z.infer<typeof collectionSchema>, snapshot: { restore: () => void }) => SimResponse;

/** Checks a collection request, then applies it with the store recording, so allOrNone can roll it back. */
function executeCollection(ctx: RestContext, body: unknown, apply: Apply): SimResponse {
  const parsed = collectionSchema.safeParse(body);
  if (!parsed.success)
    return sfError(400, 'INVALID_FIELD', `Invalid collection request: ${parsed.error.issues[0]?.message ?? 'malformed'}`);
  const snapshot = ctx.store.snapshot();
  try {
    return apply(ctx, parsed.data, snapshot);
  } finally {
    snapshot.keep();
  }
}

export function executeCollectionCreate(ctx: RestContext, body: unknown): SimResponse {
  return executeCollection(ctx, body, createAll);
}

const createAll: Apply = (ctx, request, snapshot) => {
  const results: SaveResult[] = request.records.map(({ attributes, ...fields }) => {
    const describe = describeOf(attributes.type);
    if (!describe) return failure([{ errorCode: 'INVALID_TYPE', message: `sObject type '${attributes.type}' is not supported.` }]);
    const created = ctx.store.create(describe, fields);
    return created.ok ? { id: created.value.Id, success: true, errors: [] } : failure(created.response.body);
  });
  if (request.allOrNone && results.some((r) => !r.success)) {
    snapshot.restore();
    return { status: 200, body: results.map((r): SaveResult => (r.success ? { success: false, errors: [ROLLED_BACK] } : r)) };
  }
  return { status: 200, body: results };
};

/**
 * sObject Collections update, `PATCH /composite/sobjects`
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_update.htm):
 * up to 200 records, each with `attributes.type` and its `id`; updated in order, one SaveResult per
 * record in the same order. Without allOrNone (the default) each record succeeds or fails alone.
 */
export function executeCollectionUpdate(ctx: RestContext, body: unknown): SimResponse {
  return executeCollection(ctx, body, updateAll);
}

const updateAll: Apply = (ctx, request, snapshot) => {
  const results: SaveResult[] = request.records.map(({ attributes, id, ...fields }) => {
    if (typeof id !== 'string' || id === '')
      return failure([{ errorCode: 'MISSING_ARGUMENT', message: 'id not specified in an update call', fields: ['Id'] }]);
    const describe = describeOf(attributes.type);
    if (!describe)
      return { id, ...failure([{ errorCode: 'INVALID_TYPE', message: `sObject type '${attributes.type}' is not supported.` }]) };
    const updated = ctx.store.update(describe, id, fields);
    return updated.ok ? { id: updated.value.Id, success: true, errors: [] } : { id, ...failure(updated.response.body) };
  });
  if (request.allOrNone && results.some((r) => !r.success)) {
    snapshot.restore();
    return { status: 200, body: results.map((r): SaveResult => (r.success ? { id: r.id, success: false, errors: [ROLLED_BACK] } : r)) };
  }
  return { status: 200, body: results };
};
