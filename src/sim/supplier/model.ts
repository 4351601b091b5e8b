import { z } from 'zod';

const Decimal = z.string().regex(/^-?\d+(\.\d+)?$/);

export const PortalPoLine = z.object({
  line: z.string().min(1),
  item: z.string().min(1),
  quantity: Decimal,
  unitPrice: Decimal,
  uom: z.string().default('EA'),
});

/** The portal's purchase order body (`POST /v1/purchase-orders`). */
export const PortalPurchaseOrder = z.object({
  poNumber: z.string().min(1).max(40),
  buyer: z.string().min(1),
  currency: z.string().length(3).default('USD'),
  shipTo: z.string().min(1),
  lines: z.array(PortalPoLine).min(1).max(500),
});
export type PortalPurchaseOrder = z.infer<typeof PortalPurchaseOrder>;

/**
 * How the supplier answers, per item: acknowledge as changed (quantity and/or price) or rejected, ship
 * fewer or more than acknowledged, and invoice another price or quantity. `invoiceTotalDelta` is
 * added to the invoice total (a header-level error). Anything not named goes as ordered.
 */
export const SupplierBehaviour = z.object({
  ack: z
    .record(
      z.string(),
      z.union([
        z.object({ status: z.literal('rejected') }),
        z.object({ status: z.literal('changed'), quantity: Decimal.optional(), unitPrice: Decimal.optional() }),
      ]),
    )
    .default({}),
  ship: z.record(z.string(), z.object({ quantity: Decimal })).default({}),
  invoice: z.record(z.string(), z.object({ quantity: Decimal.optional(), unitPrice: Decimal.optional() })).default({}),
  invoiceTotalDelta: Decimal.optional(),
  /** Days from acknowledgement to ship date, and from ship date to ETA. */
  leadDays: z.number().int().nonnegative().default(3),
  transitDays: z.number().int().nonnegative().default(2),
});
export type SupplierBehaviour = z.infer<typeof SupplierBehaviour>;
export type SupplierBehaviourInput = z.input<typeof SupplierBehaviour>;

export type OrderStatus = 'received' | 'acknowledged' | 'rejected' | 'shipped' | 'invoiced' | 'cancelled';

export interface OrderLine {
  line: string;
  item: string;
  quantity: string;
  unitPrice: string;
  uom: string;
}

/** A purchase order as the supplier holds it. */
export interface SupplierOrder {
  poNumber: string;
  buyer: string;
  via: 'edi' | 'portal';
  currency: string;
  shipTo: string;
  status: OrderStatus;
  lines: OrderLine[];
  acknowledged: Array<OrderLine & { status: 'accepted' | 'changed' | 'rejected'; shipDate: string }> | null;
  asnNumber: string | null;
  shipped: Array<{ item: string; quantity: string }> | null;
  invoiceNumber: string | null;
  receivedAt: string;
  cancelledAt: string | null;
}

export type DocumentType = 'ack' | 'asn' | 'invoice';

/** A document the supplier sends back, as the portal's `GET /v1/documents` lists it. */
export interface PortalDocument {
  seq: number;
  id: string;
  type: DocumentType;
  poNumber: string;
  body: unknown;
  createdAt: string;
}
