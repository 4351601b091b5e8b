import { z } from 'zod';
import { CustomerV1, SalesOrderV1 } from '../../../canonical/index.js';
import { ConnectorErrors, defineOperation } from '../../sdk/index.js';
import type { SalesforceCredentials } from '../credentials.js';
import { accountFromCustomer } from '../mappers/account.js';
import { writable } from '../mappers/fields.js';
import { orderFields } from '../mappers/order.js';
import { OBJECT_TYPES } from '../resolve.js';
import type { SalesforceSettings } from '../settings.js';
import {
  byExternalId,
  type CompositeResponse,
  compositeErrors,
  DATA_PATH,
  describeErrors,
  postComposite,
  type SalesforceContext,
  upsertResultSchema,
} from '../transport.js';
import { milestonesPostInput, milestoneUpdate } from './milestones.post.js';

export const ordersSyncInput = z.object({
  customer: CustomerV1,
  order: SalesOrderV1,
  /** The Order's status and description as of this sync (e.g. Booked): set in the same request. */
  milestone: milestonesPostInput.pick({ orderStatus: true, note: true }).optional(),
});

export interface OrderSyncResult {
  accountId: string;
  orderId: string;
  created: boolean;
}

/**
 * The customer's Account and the order's Order in one composite request with allOrNone
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm):
 * both upserted by external id, the Order on `@{account.id}`. One API call instead of two, and never
 * an Account without its Order; both upserts are keyed, so a repeat after a timeout is safe.
 */
export const ordersSync = defineOperation<SalesforceSettings, SalesforceCredentials, z.infer<typeof ordersSyncInput>, OrderSyncResult>({
  name: 'orders.sync',
  description: "Upserts a customer's Account and its order's Order header in one all-or-none request.",
  input: ordersSyncInput,
  async run(ctx: SalesforceContext, input) {
    const body = await postComposite(ctx, syncRequest(ctx, input), 'orders.sync');
    const shown = compositeErrors(body);
    if (shown.length > 0) {
      throw ConnectorErrors.rejected(`Salesforce rolled the order sync back: ${describeErrors(shown)}`, {
        errorCodes: shown.map((e) => e.errorCode),
        vendorBody: body,
      });
    }
    const { result, bindings } = syncOutcome(ctx, input, body);
    await ctx.bindings.bindAll(bindings);
    return result;
  },
});

/** The two subrequests of a sync: the Account upsert, and the Order upsert on `@{account.id}`. */
export function syncRequest(ctx: SalesforceContext, { customer, order, milestone }: z.infer<typeof ordersSyncInput>) {
  const field = ctx.settings.externalIdField;
  if (order.customer?.id !== undefined && order.customer.id !== customer.id)
    throw ConnectorErrors.mapping(`order.customer.id ${order.customer.id} is not the customer synced with it (${customer.id})`, {
      path: 'order.customer.id',
    });
  return [
    {
      method: 'PATCH',
      url: `${DATA_PATH}${byExternalId(ctx.settings, OBJECT_TYPES.account, customer.id)}`,
      referenceId: 'account',
      body: writable(accountFromCustomer(customer, field), [field]),
    },
    {
      method: 'PATCH',
      url: `${DATA_PATH}${byExternalId(ctx.settings, OBJECT_TYPES.order, order.id)}`,
      referenceId: 'order',
      body: { ...writable(orderFields(order, '@{account.id}', field), [field]), ...(milestone ? milestoneUpdate(milestone) : {}) },
    },
  ];
}

/** The ids a successful sync answered, and the two bindings to save for them. */
export function syncOutcome(ctx: SalesforceContext, { customer, order }: z.infer<typeof ordersSyncInput>, body: CompositeResponse) {
  const result = (referenceId: string) => {
    const part = body.compositeResponse.find((r) => r.referenceId === referenceId);
    const parsed = upsertResultSchema.safeParse(part?.body);
    if (!parsed.success) throw ConnectorErrors.mapping(`Salesforce answered the ${referenceId} upsert without an id`, { vendorBody: body });
    return { id: parsed.data.id, created: parsed.data.created ?? part?.httpStatusCode === 201 };
  };
  const account = result('account');
  const saved = result('order');
  const binding = (objectType: string, canonicalId: string, r: { id: string; created: boolean }) => ({
    key: { connector: ctx.connector, instance: ctx.instance, objectType, canonicalId },
    externalKey: canonicalId,
    externalId: r.id,
    result: r,
  });
  return {
    result: { accountId: account.id, orderId: saved.id, created: saved.created },
    bindings: [binding(OBJECT_TYPES.account, customer.id, account), binding(OBJECT_TYPES.order, order.id, saved)],
  };
}
