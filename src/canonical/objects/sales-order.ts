import { z } from 'zod';
import { Address, Contact } from '../address.js';
import { objectFields } from '../base.js';
import { Money } from '../money.js';
import { ChargeAllowance, DocumentTotals, TaxLine } from '../pricing.js';
import { Code, CurrencyCode, DocumentNumber, IsoDate, Timestamp } from '../primitives.js';
import { Quantity } from '../quantity.js';
import { LocationRef, PartyRef } from '../refs.js';
import { FulfilmentPolicy, PaymentTerms, ShippingInstructions } from '../terms.js';
import { OrderHold, orderHeaderNotes, orderLineFields } from './order-common.js';

export const SalesOrderStatus = z.enum([
  'received',
  'accepted',
  'rejected',
  'on-hold',
  'allocated',
  'backordered',
  'booked',
  'released',
  'partially-shipped',
  'shipped',
  'invoiced',
  'closed',
  'cancelled',
]);
export type SalesOrderStatus = z.infer<typeof SalesOrderStatus>;

export const SalesOrderLineStatus = z.enum([
  'open',
  'allocated',
  'backordered',
  'released',
  'partially-shipped',
  'shipped',
  'invoiced',
  'cancelled',
  'rejected',
]);

export const SalesOrderLine = z.strictObject({
  ...orderLineFields,
  status: SalesOrderLineStatus.default('open'),
  shipFrom: LocationRef.optional(),
  allocatedQuantity: Quantity.optional(),
  backorderedQuantity: Quantity.optional(),
  shippedQuantity: Quantity.optional(),
  cancelledQuantity: Quantity.optional(),
  invoicedQuantity: Quantity.optional(),
});
export type SalesOrderLine = z.infer<typeof SalesOrderLine>;

export const SalesOrderV1 = z
  .strictObject({
    ...objectFields,
    orderNumber: DocumentNumber.optional().meta({ description: "the distributor's sales order number (ERP)" }),
    channelOrderId: DocumentNumber.optional().meta({ description: 'the order number in the channel (Shopify #1001, Amazon order id)' }),
    customerPoNumber: DocumentNumber.optional().meta({ description: "the buyer's purchase order number (X12 BEG03)" }),
    channel: Code.optional(),
    orderType: z.enum(['standard', 'rush', 'drop-ship', 'replacement', 'sample', 'blanket-release', 'consignment']).default('standard'),
    status: SalesOrderStatus.default('received'),
    orderDate: Timestamp,
    requestedShipDate: IsoDate.optional(),
    requestedDeliveryDate: IsoDate.optional(),
    cancelAfterDate: IsoDate.optional().meta({ description: 'do not ship after (X12 DTM*001)' }),
    promisedDate: IsoDate.optional(),
    currency: CurrencyCode,
    customer: PartyRef.optional(),
    billTo: Address.optional(),
    shipTo: Address.optional(),
    buyer: Contact.optional(),
    shipFrom: LocationRef.optional(),
    shipping: ShippingInstructions.optional(),
    paymentTerms: PaymentTerms.optional(),
    paymentStatus: z.enum(['unpaid', 'authorized', 'partially-paid', 'paid', 'partially-refunded', 'refunded', 'voided']).optional(),
    fulfilmentPolicy: FulfilmentPolicy.optional().meta({ description: "overrides the customer's policy for this order" }),
    holds: z.array(OrderHold).default([]),
    lines: z.array(SalesOrderLine).min(1),
    charges: z.array(ChargeAllowance).default([]),
    taxes: z.array(TaxLine).default([]),
    taxesIncluded: z.boolean().default(false),
    totals: DocumentTotals.optional(),
    amountPaid: Money.optional(),
    notes: orderHeaderNotes,
  })
  .meta({ title: 'SalesOrder', description: 'An order from a customer, from any channel (web, marketplace, EDI 850, portal, ERP).' });
export type SalesOrder = z.infer<typeof SalesOrderV1>;
export type SalesOrderInput = z.input<typeof SalesOrderV1>;
