import { z } from 'zod';
import { PurchaseOrderV1 } from '../../../canonical/index.js';
import { defineOperation } from '../../sdk/index.js';
import type { NetSuiteCredentials } from '../credentials.js';
import { purchaseOrderRecord } from '../mappers/purchase-order.js';
import { createRecord } from '../records.js';
import type { NetSuiteSettings } from '../settings.js';

export const purchaseOrdersCreateInput = z.object({ purchaseOrder: PurchaseOrderV1 });

export const purchaseOrdersCreate = defineOperation<
  NetSuiteSettings,
  NetSuiteCredentials,
  z.infer<typeof purchaseOrdersCreateInput>,
  { id: string; created: boolean }
>({
  name: 'purchaseOrders.create',
  description: 'Creates a purchaseOrder for a canonical PurchaseOrder, once.',
  input: purchaseOrdersCreateInput,
  async run(ctx, input) {
    return createRecord(ctx, 'purchaseOrder', input.purchaseOrder.id, purchaseOrderRecord(input.purchaseOrder), 'purchaseOrders.create');
  },
});
