import { defineConnector } from '../sdk/index.js';
import { odooChangesTrigger } from './changes.trigger.js';
import { type OdooCredentials, odooCredentials } from './credentials.js';
import { invoicesList } from './operations/invoices.list.js';
import { partnersUpsert } from './operations/partners.upsert.js';
import { productsList } from './operations/products.list.js';
import { purchaseOrdersConfirm } from './operations/purchaseOrders.confirm.js';
import { purchaseOrdersCreate } from './operations/purchaseOrders.create.js';
import { saleOrdersConfirm } from './operations/saleOrders.confirm.js';
import { saleOrdersCreate } from './operations/saleOrders.create.js';
import { stockQuantsList } from './operations/stockQuants.list.js';
import { type OdooSettings, odooSettingsSchema } from './settings.js';
import { ODOO_SYSTEM, odooTransport } from './transport.js';

export const odooConnector = defineConnector<OdooSettings, OdooCredentials>({
  id: 'odoo',
  version: '1.0.0',
  system: ODOO_SYSTEM,
  description: 'Odoo ERP over JSON-RPC: partners, products, sales and purchase orders, stock and invoices; record changes polled.',
  settings: odooSettingsSchema,
  credentials: odooCredentials,
  rateBudget: (settings) => ({ kind: 'token-bucket', perSecond: settings.rate.perSecond, burst: settings.rate.burst }),
  transport: odooTransport,
  capabilities: [
    'partners.upsert',
    'products.list',
    'sale-orders.create',
    'sale-orders.confirm',
    'purchase-orders.create',
    'purchase-orders.confirm',
    'stock-quants.list',
    'invoices.list',
    'records.changes',
  ],
  operations: {
    'partners.upsert': partnersUpsert,
    'products.list': productsList,
    'saleOrders.create': saleOrdersCreate,
    'saleOrders.confirm': saleOrdersConfirm,
    'purchaseOrders.create': purchaseOrdersCreate,
    'purchaseOrders.confirm': purchaseOrdersConfirm,
    'stockQuants.list': stockQuantsList,
    'invoices.list': invoicesList,
  },
  triggers: { changes: odooChangesTrigger },
});
