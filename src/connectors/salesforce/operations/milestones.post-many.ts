import { z } from 'zod';
import { ConnectorErrors, defineOperation } from '../../sdk/index.js';
import type { SalesforceCredentials } from '../credentials.js';
import { OBJECT_TYPES } from '../resolve.js';
import type { SalesforceSettings } from '../settings.js';
import { refusalOf, type SalesforceContext, sfCall } from '../transport.js';
import { milestonesPostInput, milestoneUpdate, postMilestone } from './milestones.post.js';

/** sObject Collections take at most 200 records per request. */
export const COLLECTION_LIMIT = 200;

export const milestonesPostManyInput = z.object({
  /** Milestones of different orders (no Cases: a Case goes with `milestones.post`). */
  milestones: z
    .array(milestonesPostInput.omit({ case: true }))
    .min(1)
    .max(COLLECTION_LIMIT),
});

/** What became of one milestone; a failure is reported here, not thrown, so the others still count. */
export type MilestoneOutcome =
  | { orderId: string; ok: true; salesforceId: string }
  | { orderId: string; ok: false; notFound: boolean; message: string; errorCodes: string[] };

export interface MilestonesPostManyResult {
  /** One per milestone, in the order given. */
  outcomes: MilestoneOutcome[];
}

/** A SaveResult of the collection (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_update.htm). */
const saveResults = z.array(
  z.object({
    id: z.string().optional(),
    success: z.boolean(),
    errors: z.array(z.object({ statusCode: z.string(), message: z.string(), fields: z.array(z.string()).optional() })),
  }),
);

/** Errors that mean the Order is not there (any more): nothing the caller can fix by sending it again. */
const GONE = new Set(['NOT_FOUND', 'ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY']);

/**
 * Several orders' milestones in one API call: the Orders crossdock wrote (bound to their Salesforce
 * Id) are updated by one sObject Collections PATCH with allOrNone false, so each record succeeds or
 * fails alone and one bad Order does not hold back the others. An Order crossdock did not write
 * goes through `milestones.post`'s composite (found by its external id). Setting a status and a
 * description is idempotent: a repeated batch changes nothing.
 */
export const milestonesPostMany = defineOperation<
  SalesforceSettings,
  SalesforceCredentials,
  z.infer<typeof milestonesPostManyInput>,
  MilestonesPostManyResult
>({
  name: 'milestones.post-many',
  description: 'Posts several orders’ milestones to CRM in one request (sObject Collections); each succeeds or fails alone.',
  input: milestonesPostManyInput,
  async run(ctx: SalesforceContext, input) {
    const milestones = input.milestones;
    const bound = await ctx.bindings.getAll(
      milestones.map((m) => ({ connector: ctx.connector, instance: ctx.instance, objectType: OBJECT_TYPES.order, canonicalId: m.orderId })),
    );
    const outcomes: Array<MilestoneOutcome | undefined> = milestones.map(() => undefined);
    const records: Array<Record<string, unknown>> = [];
    const positions: number[] = [];
    bound.forEach((b, i) => {
      const m = milestones[i];
      if (!m || b?.status !== 'bound' || !b.externalId) return;
      records.push({ attributes: { type: 'Order' }, id: b.externalId, ...milestoneUpdate(m) });
      positions.push(i);
    });
    if (records.length > 0) {
      const { body } = await sfCall(
        ctx,
        {
          method: 'PATCH',
          path: '/composite/sobjects',
          body: { allOrNone: false, records },
          idempotent: true,
          operation: 'milestones.post-many',
        },
        saveResults,
      );
      if (body.length !== records.length)
        throw ConnectorErrors.mapping(`Salesforce answered ${body.length} results for ${records.length} records`, { vendorBody: body });
      body.forEach((r, k) => {
        const i = positions[k] ?? -1;
        const orderId = milestones[i]?.orderId ?? '';
        const sent = String(records[k]?.id);
        outcomes[i] = r.success
          ? { orderId, ok: true, salesforceId: r.id ?? sent }
          : {
              orderId,
              ok: false,
              notFound: r.errors.some((e) => GONE.has(e.statusCode)),
              message: `Salesforce refused the milestone of Order ${sent}: ${r.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ')}`,
              errorCodes: r.errors.map((e) => e.statusCode),
            };
      });
    }
    // The rest one by one; a refusal is that milestone's outcome, a retryable failure fails the call.
    for (const [i, m] of milestones.entries()) {
      if (outcomes[i]) continue;
      try {
        outcomes[i] = { orderId: m.orderId, ok: true, salesforceId: (await postMilestone(ctx, m)).orderId };
      } catch (err) {
        outcomes[i] = { orderId: m.orderId, ok: false, ...refusalOf(err) };
      }
    }
    return { outcomes: outcomes.filter((o): o is MilestoneOutcome => o !== undefined) };
  },
});
