import { type SObject, writable } from './mappers/fields.js';
import { byExternalId, type SalesforceContext, sfCall, upsertResultSchema } from './transport.js';

/**
 * Upsert by external id (PATCH `/sobjects/{type}/{field}/{value}`): creates or updates, so a repeat after a
 * timeout is safe; the Salesforce Id is saved as the record's binding.
 */
export async function upsertByExternalId(
  ctx: SalesforceContext,
  type: string,
  canonicalId: string,
  fields: SObject,
  operation: string,
): Promise<{ id: string; created: boolean }> {
  const { status, body } = await sfCall(
    ctx,
    {
      method: 'PATCH',
      path: byExternalId(ctx.settings, type, canonicalId),
      // The external id is in the URL; sending it in the body too is refused.
      body: writable(fields, [ctx.settings.externalIdField]),
      idempotent: true,
      operation,
    },
    upsertResultSchema,
  );
  const created = body.created ?? status === 201;
  await ctx.bindings.bind({ connector: ctx.connector, instance: ctx.instance, objectType: type, canonicalId }, canonicalId, body.id, {
    id: body.id,
    created,
  });
  return { id: body.id, created };
}
