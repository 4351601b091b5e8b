import { z } from 'zod';
import { CurrencyCode, DocumentRef, type SalesOrder } from '../../../canonical/index.js';
import { ConnectorErrors, defineOperation } from '../../sdk/index.js';
import type { NetSuiteCredentials } from '../credentials.js';
import { NETSUITE } from '../mappers/refs.js';
import { salesOrderFromRecord } from '../mappers/sales-order.js';
import { readRecord } from '../records.js';
import type { NetSuiteSettings } from '../settings.js';

export const salesOrdersGetInput = z.object({
  order: DocumentRef,
  /** The currency to assume when the record does not name one (single-currency accounts). */
  currency: CurrencyCode.default('USD'),
});

/** Reads a salesOrder with its lines (`expandSubResources=true`) as a canonical SalesOrder. */
export const salesOrdersGet = defineOperation<NetSuiteSettings, NetSuiteCredentials, z.infer<typeof salesOrdersGetInput>, SalesOrder>({
  name: 'salesOrders.get',
  description: 'Reads a sales order, by internal id or crossdock id (externalId), as a canonical SalesOrder.',
  input: salesOrdersGetInput,
  async run(ctx, input) {
    const key = input.order.refs?.[NETSUITE] ?? (input.order.id ? `eid:${input.order.id}` : undefined);
    if (!key) throw ConnectorErrors.mapping('order: needs refs.netsuite or the crossdock id', { path: 'order' });
    const record = await readRecord(ctx, 'salesOrder', key, 'salesOrders.get', true);
    if (!record) throw ConnectorErrors.notFound(`NetSuite has no salesOrder ${key}`, { path: 'order' });
    return salesOrderFromRecord(record, input.currency);
  },
});
