import { z } from 'zod';
import type { PartyRef } from '../../canonical/index.js';
import { ConnectorErrors } from '../sdk/index.js';
import { SALESFORCE } from './mappers/fields.js';
import { byExternalId, type SalesforceContext, sfCall } from './transport.js';

/** What binding rows call each sObject. */
export const OBJECT_TYPES = { account: 'Account', contact: 'Contact', order: 'Order', case: 'Case' } as const;

/**
 * The Salesforce Id of a record crossdock wrote: from the reference's own refs, else the binding saved by
 * the upsert, else a read by external id.
 */
export async function resolveId(
  ctx: SalesforceContext,
  type: (typeof OBJECT_TYPES)[keyof typeof OBJECT_TYPES],
  ref: { id?: string | undefined; refs?: PartyRef['refs'] },
): Promise<string> {
  const direct = ref.refs?.[SALESFORCE];
  if (direct) return direct;
  const canonicalId = ref.id;
  if (!canonicalId) throw ConnectorErrors.mapping(`a ${type} reference needs an id or refs.salesforce`, { path: 'id' });
  const bound = await ctx.bindings.get({ connector: ctx.connector, instance: ctx.instance, objectType: type, canonicalId });
  if (bound?.status === 'bound' && bound.externalId) return bound.externalId;
  try {
    const found = await sfCall(
      ctx,
      { method: 'GET', path: byExternalId(ctx.settings, type, canonicalId), operation: `${type}.lookup` },
      z.looseObject({ Id: z.string() }),
    );
    return found.body.Id;
  } catch (err) {
    if (ConnectorErrors.notFound.is(err)) {
      throw ConnectorErrors.rejected(`Salesforce has no ${type} with ${ctx.settings.externalIdField} = ${canonicalId}; upsert it first`, {
        path: 'id',
      });
    }
    throw err;
  }
}
