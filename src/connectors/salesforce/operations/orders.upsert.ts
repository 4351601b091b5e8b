import { z } from 'zod';
import { SalesOrderV1 } from '../../../canonical/index.js';
import { ConnectorErrors, defineOperation } from '../../sdk/index.js';
import type { SalesforceCredentials } from '../credentials.js';
import { orderFields } from '../mappers/order.js';
import { OBJECT_TYPES, resolveId } from '../resolve.js';
import type { SalesforceSettings } from '../settings.js';
import { upsertByExternalId } from '../upsert.js';

export const ordersUpsertInput = z.object({ order: SalesOrderV1 });

export const ordersUpsert = defineOperation<
  SalesforceSettings,
  SalesforceCredentials,
  z.infer<typeof ordersUpsertInput>,
  { id: string; created: boolean }
>({
  name: 'orders.upsert',
  description: "Creates or updates the Order header of a canonical SalesOrder on its customer's Account.",
  input: ordersUpsertInput,
  async run(ctx, { order }) {
    if (!order.customer)
      throw ConnectorErrors.mapping('order.customer is required: a Salesforce Order belongs to an Account', { path: 'order.customer' });
    const accountId = await resolveId(ctx, OBJECT_TYPES.account, order.customer);
    return upsertByExternalId(
      ctx,
      OBJECT_TYPES.order,
      order.id,
      orderFields(order, accountId, ctx.settings.externalIdField),
      'orders.upsert',
    );
  },
});
