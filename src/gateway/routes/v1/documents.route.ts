import { CustomerV1, InvoiceV1, ItemV1, PurchaseOrderV1, ShipmentV1 } from '../../../canonical/index.js';
import { type DocumentRouteDeps, readRoutes } from './documents.http.js';
import type { ApiRoute } from './route-spec.js';

/**
 * Documents the hub produces for a partner and the partner reads: shipments (from the WMS/3PL),
 * invoices (from the ERP), items and customers (masterdata), purchase orders (to suppliers).
 */
export function readOnlyDocumentRoutes(deps: DocumentRouteDeps): ApiRoute[] {
  return [
    ...readRoutes(deps, {
      kind: 'shipment',
      path: '/v1/shipments',
      name: 'Shipment',
      plural: 'Shipments',
      tag: 'Shipments',
      scope: 'shipments:read',
      schema: ShipmentV1,
      description: 'Shipments of your orders, with carrier, tracking and packages.',
    }),
    ...readRoutes(deps, {
      kind: 'invoice',
      path: '/v1/invoices',
      name: 'Invoice',
      plural: 'Invoices',
      tag: 'Invoices',
      scope: 'invoices:read',
      schema: InvoiceV1,
      description: 'Invoices addressed to you.',
    }),
    ...readRoutes(deps, {
      kind: 'item',
      path: '/v1/items',
      name: 'Item',
      plural: 'Items',
      tag: 'Items',
      scope: 'items:read',
      schema: ItemV1,
      description: 'The items (catalogue) shared with you.',
    }),
    ...readRoutes(deps, {
      kind: 'customer',
      path: '/v1/customers',
      name: 'Customer',
      plural: 'Customers',
      tag: 'Customers',
      scope: 'customers:read',
      schema: CustomerV1,
      description: 'Your customer accounts (bill-to and ship-to).',
    }),
    ...readRoutes(deps, {
      kind: 'purchaseorder',
      path: '/v1/purchase-orders',
      name: 'PurchaseOrder',
      plural: 'PurchaseOrders',
      tag: 'Purchase orders',
      scope: 'purchaseorders:read',
      schema: PurchaseOrderV1,
      description: 'Purchase orders the distributor placed with you (for suppliers).',
    }),
  ];
}
