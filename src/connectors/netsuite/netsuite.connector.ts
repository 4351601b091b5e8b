import { defineConnector } from '../sdk/index.js';
import { netsuiteChangesTrigger } from './changes.trigger.js';
import { type NetSuiteCredentials, netsuiteCredentials } from './credentials.js';
import { customersCreate } from './operations/customers.create.js';
import { invoicesCreate } from './operations/invoices.create.js';
import { itemFulfillmentsCreate } from './operations/itemFulfillments.create.js';
import { itemReceiptsCreate } from './operations/itemReceipts.create.js';
import { purchaseOrdersCreate } from './operations/purchaseOrders.create.js';
import { salesOrdersClose } from './operations/salesOrders.close.js';
import { salesOrdersCreate } from './operations/salesOrders.create.js';
import { salesOrdersGet } from './operations/salesOrders.get.js';
import { vendorBillsCreate } from './operations/vendorBills.create.js';
import { type NetSuiteSettings, netsuiteSettingsSchema } from './settings.js';
import { NETSUITE_SYSTEM, netsuiteTransport } from './transport.js';

export const netsuiteConnector = defineConnector<NetSuiteSettings, NetSuiteCredentials>({
  id: 'netsuite',
  version: '1.0.0',
  system: NETSUITE_SYSTEM,
  description:
    'NetSuite ERP: customers, sales orders, fulfillments, invoices, purchase orders, receipts and bills; transaction changes polled.',
  settings: netsuiteSettingsSchema,
  credentials: netsuiteCredentials,
  // NetSuite governs by requests in flight per account, refusing the next one at once with 429.
  rateBudget: (settings) => ({ kind: 'concurrency', max: settings.concurrencyLimit }),
  transport: netsuiteTransport,
  capabilities: [
    'customers.create',
    'sales-orders.create',
    'sales-orders.close',
    'sales-orders.get',
    'item-fulfillments.create',
    'invoices.create',
    'purchase-orders.create',
    'item-receipts.create',
    'vendor-bills.create',
    'transactions.changes',
  ],
  operations: {
    'customers.create': customersCreate,
    'salesOrders.create': salesOrdersCreate,
    'salesOrders.close': salesOrdersClose,
    'salesOrders.get': salesOrdersGet,
    'itemFulfillments.create': itemFulfillmentsCreate,
    'invoices.create': invoicesCreate,
    'purchaseOrders.create': purchaseOrdersCreate,
    'itemReceipts.create': itemReceiptsCreate,
    'vendorBills.create': vendorBillsCreate,
  },
  triggers: { changes: netsuiteChangesTrigger },
});
