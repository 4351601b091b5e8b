import { z } from 'zod';
import { CaseV1, Id, Text } from '../../../canonical/index.js';
import { ConnectorErrors, defineOperation } from '../../sdk/index.js';
import type { SalesforceCredentials } from '../credentials.js';
import { caseFields } from '../mappers/case.js';
import { writable } from '../mappers/fields.js';
import { OBJECT_TYPES } from '../resolve.js';
import type { SalesforceSettings } from '../settings.js';
import { byExternalId, compositeErrors, DATA_PATH, describeErrors, postComposite, type SalesforceContext, sfCall } from '../transport.js';

export const milestonesPostInput = z.object({
  /** The crossdock id of the order (its Order carries it in the external-id field). */
  orderId: Id,
  /** The Order `Status` picklist value to set, e.g. `Activated` or an org-specific "Shipped". */
  orderStatus: z.string().min(1).max(40),
  /** Appended to the Order description: the milestone as people read it ("Shipped with UPS 1Z…"). */
  note: Text.min(1).optional(),
  /** A Case opened in the same transaction (a shipment exception), on the order's Account. */
  case: CaseV1.optional(),
});

const idSchema = z.looseObject({ id: z.string() });
const orderSchema = z.looseObject({ Id: z.string() });

export interface MilestoneResult {
  orderId: string;
  caseId?: string;
}

/**
 * One composite request with allOrNone (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm):
 * read the Order by external id, update its status by `@{order.Id}`, and upsert the Case on
 * `@{order.AccountId}`. Either everything is written or nothing is; every step is keyed, so a repeat is safe.
 * Without a Case, an Order crossdock wrote (bound to its Salesforce Id) is updated by one PATCH.
 */
export const milestonesPost = defineOperation<
  SalesforceSettings,
  SalesforceCredentials,
  z.infer<typeof milestonesPostInput>,
  MilestoneResult
>({
  name: 'milestones.post',
  description: "Posts an order milestone to CRM: the Order's status and, in the same all-or-none request, a Case.",
  input: milestonesPostInput,
  run: postMilestone,
});

/** The Order fields a milestone sets. */
export function milestoneUpdate(input: { orderStatus: string; note?: string | undefined }): Record<string, unknown> {
  const update: Record<string, unknown> = { Status: input.orderStatus };
  if (input.note) update.Description = input.note;
  return update;
}

/** One milestone, as `milestones.post` sends it (also the fallback of `milestones.post-many` for an Order crossdock did not write). */
export async function postMilestone(ctx: SalesforceContext, input: z.infer<typeof milestonesPostInput>): Promise<MilestoneResult> {
  const url = (path: string) => `${DATA_PATH}${path}`;
  const update = milestoneUpdate(input);
  if (!input.case) {
    // No Case: when crossdock wrote the Order it knows its Id (the binding), and one PATCH of the
    // record does (204 No Content, nothing to read back); otherwise the composite below finds it.
    const bound = await ctx.bindings.get({
      connector: ctx.connector,
      instance: ctx.instance,
      objectType: OBJECT_TYPES.order,
      canonicalId: input.orderId,
    });
    if (bound?.status === 'bound' && bound.externalId) {
      await sfCall(
        ctx,
        { method: 'PATCH', path: `/sobjects/Order/${bound.externalId}`, body: update, idempotent: true, operation: 'milestones.post' },
        z.unknown(),
      );
      return { orderId: bound.externalId };
    }
  }
  const compositeRequest: Array<Record<string, unknown>> = [
    { method: 'GET', url: url(byExternalId(ctx.settings, 'Order', input.orderId)), referenceId: 'order' },
    { method: 'PATCH', url: url('/sobjects/Order/@{order.Id}'), referenceId: 'status', body: update },
  ];
  if (input.case) {
    const fields = caseFields(input.case, ctx.settings.externalIdField, '@{order.AccountId}');
    compositeRequest.push({
      method: 'PATCH',
      url: url(byExternalId(ctx.settings, 'Case', input.case.id)),
      referenceId: 'case',
      body: writable(fields, [ctx.settings.externalIdField]),
    });
  }
  const body = await postComposite(ctx, compositeRequest, 'milestones.post');
  const shown = compositeErrors(body);
  if (shown.length > 0) {
    const notFound = shown.some((e) => e.errorCode === 'NOT_FOUND');
    const factory = notFound ? ConnectorErrors.notFound : ConnectorErrors.rejected;
    throw factory(`Salesforce rolled the milestone back: ${describeErrors(shown)}`, {
      errorCodes: shown.map((e) => e.errorCode),
      vendorBody: body,
    });
  }
  const order = body.compositeResponse.find((r) => r.referenceId === 'order');
  const orderId = orderSchema.safeParse(order?.body);
  const created = body.compositeResponse.find((r) => r.referenceId === 'case');
  const caseId = idSchema.safeParse(created?.body);
  if (input.case && caseId.success) {
    await ctx.bindings.bind(
      { connector: ctx.connector, instance: ctx.instance, objectType: 'Case', canonicalId: input.case.id },
      input.case.id,
      caseId.data.id,
      { id: caseId.data.id },
    );
  }
  return { orderId: orderId.success ? orderId.data.Id : '', ...(caseId.success ? { caseId: caseId.data.id } : {}) };
}
