import { z } from 'zod';
import { Address, Contact } from '../address.js';
import { objectFields } from '../base.js';
import { ChargeAllowance, DocumentTotals, TaxLine } from '../pricing.js';
import { CurrencyCode, DocumentNumber, IsoDate, LineNumber, Timestamp } from '../primitives.js';
import { Quantity } from '../quantity.js';
import { DocumentRef, LocationRef, PartyRef } from '../refs.js';
import { PaymentTerms, ShippingInstructions } from '../terms.js';
import { orderHeaderNotes, orderLineFields } from './order-common.js';

export const PurchaseOrderStatus = z.enum([
  'draft',
  'approved',
  'sent',
  'acknowledged',
  'changed',
  'partially-received',
  'received',
  'closed',
  'cancelled',
]);

export const PurchaseOrderLine = z.strictObject({
  ...orderLineFields,
  status: z.enum(['open', 'acknowledged', 'backordered', 'partially-received', 'received', 'cancelled', 'rejected']).default('open'),
  expectedDeliveryDate: IsoDate.optional(),
  receivedQuantity: Quantity.optional(),
  cancelledQuantity: Quantity.optional(),
  salesOrder: DocumentRef.optional().meta({ description: 'the sales order this line buys for (backorder, drop-ship)' }),
  salesOrderLineNumber: LineNumber.optional(),
});
export type PurchaseOrderLine = z.infer<typeof PurchaseOrderLine>;

export const PurchaseOrderV1 = z
  .strictObject({
    ...objectFields,
    poNumber: DocumentNumber,
    orderType: z.enum(['standard', 'drop-ship', 'blanket', 'release', 'rush', 'consignment']).default('standard'),
    status: PurchaseOrderStatus.default('draft'),
    orderDate: Timestamp,
    requestedDeliveryDate: IsoDate.optional(),
    requestedShipDate: IsoDate.optional(),
    cancelAfterDate: IsoDate.optional(),
    currency: CurrencyCode,
    supplier: PartyRef,
    buyer: Contact.optional(),
    shipTo: LocationRef.optional().meta({ description: 'our receiving location' }),
    shipToAddress: Address.optional().meta({ description: "the delivery address (the end customer's for drop-ship)" }),
    billTo: Address.optional(),
    shipping: ShippingInstructions.optional(),
    paymentTerms: PaymentTerms.optional(),
    lines: z.array(PurchaseOrderLine).min(1),
    charges: z.array(ChargeAllowance).default([]),
    taxes: z.array(TaxLine).default([]),
    totals: DocumentTotals.optional(),
    notes: orderHeaderNotes,
  })
  .meta({ title: 'PurchaseOrder', description: 'An order the distributor places with a supplier (EDI 850 out, portal, e-mail).' });
export type PurchaseOrder = z.infer<typeof PurchaseOrderV1>;
export type PurchaseOrderInput = z.input<typeof PurchaseOrderV1>;
