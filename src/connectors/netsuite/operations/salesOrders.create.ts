import { z } from 'zod';
import { SalesOrderV1 } from '../../../canonical/index.js';
import { defineOperation } from '../../sdk/index.js';
import type { NetSuiteCredentials } from '../credentials.js';
import { salesOrderRecord } from '../mappers/sales-order.js';
import { createRecord } from '../records.js';
import type { NetSuiteSettings } from '../settings.js';

export const salesOrdersCreateInput = z.object({ order: SalesOrderV1 });

export const salesOrdersCreate = defineOperation<
  NetSuiteSettings,
  NetSuiteCredentials,
  z.infer<typeof salesOrdersCreateInput>,
  { id: string; created: boolean }
>({
  name: 'salesOrders.create',
  description: 'Books a canonical SalesOrder as a salesOrder, once (externalId = crossdock id).',
  input: salesOrdersCreateInput,
  async run(ctx, input) {
    return createRecord(ctx, 'salesOrder', input.order.id, salesOrderRecord(input.order), 'salesOrders.create');
  },
});
