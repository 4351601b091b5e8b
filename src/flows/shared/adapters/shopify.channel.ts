import { z } from 'zod';
import type { Invoice, SalesOrder, Shipment } from '../../../canonical/index.js';
import type { ChannelPort } from '../ports.js';
import type { AnyInstance } from './invoke.js';
import { invoke } from './invoke.js';

const fulfilled = z.object({ fulfillmentId: z.string() }).loose();

/**
 * The channel port on the Shopify connector. Shipments become fulfillments (carrier, tracking).
 * Shopify has no invoice object: the invoice is reflected as "not supported" and stays visible
 * through the order's CRM milestone and the hub's timeline.
 */
export function shopifyChannel(instance: AnyInstance): ChannelPort {
  return {
    system: 'shopify',
    owns: (order: SalesOrder) => Boolean(order.refs.shopify),
    async shipped(order: SalesOrder, shipment: Shipment) {
      const s: Shipment = { ...shipment, orders: [{ type: 'salesorder', id: order.id, refs: { shopify: order.refs.shopify ?? '' } }] };
      const r = await invoke(instance, 'fulfillments.create', { shipment: s, notifyCustomer: false }, fulfilled);
      return { reference: r.fulfillmentId };
    },
    async invoiced(_order: SalesOrder, invoice: Invoice) {
      return { reflected: false, note: `Shopify has no invoice object; invoice ${invoice.invoiceNumber} is on the CRM order` };
    },
  };
}
