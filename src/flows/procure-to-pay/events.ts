import { z } from 'zod';
import { defineEventType } from '../../canonical/index.js';

/**
 * Signals procure-to-pay waits for, keyed by PO number. Supplier documents arrive by EDI or the
 * supplier portal and are delivered to the waiting flow under these types.
 */
export const P2P_SIGNALS = {
  ack: 'crossdock.supplier.ack.received.v1',
  asn: 'crossdock.supplier.asn.received.v1',
  invoice: 'crossdock.supplier.invoice.received.v1',
  receipt: 'crossdock.po.receipt.completed.v1',
  invoiceDecision: 'crossdock.po.invoice.decided.v1',
} as const;

const Decimal = z.string().regex(/^-?\d+(\.\d+)?$/);

/**
 * A sales order line that could not be allocated (order-to-cash publishes it; replenishment buys it).
 * Subject `order/<number>`; partition key the order number.
 */
export const BackorderCreatedData = z.object({
  order: z.string().min(1),
  lines: z.array(z.object({ line: z.string(), item: z.string().min(1), location: z.string().min(1), quantity: Decimal })).min(1),
});
export type BackorderCreated = z.infer<typeof BackorderCreatedData>;

export const BackorderCreatedEvent = defineEventType({
  type: 'crossdock.backorder.created.v1',
  schema: BackorderCreatedData,
  description: 'Sales order lines that could not be allocated and wait for replenishment.',
});
