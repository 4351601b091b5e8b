import { z } from 'zod';
import { lineFields, objectFields } from '../base.js';
import { Money } from '../money.js';
import { Code, DocumentNumber, IsoDate, LineNumber, Text, Timestamp } from '../primitives.js';
import { Quantity } from '../quantity.js';
import { DocumentRef, ItemRef, PartyRef } from '../refs.js';
import { orderHeaderNotes } from './order-common.js';

/**
 * The answer to an order, line by line (X12 855 / EDIFACT ORDRSP). `quantity`, `unitPrice` and the dates
 * carry the acknowledged values; for a `changed` line they differ from what was ordered.
 */
export const AcknowledgementLine = z.strictObject({
  lineNumber: LineNumber,
  ...lineFields,
  item: ItemRef,
  status: z.enum(['accepted', 'changed', 'rejected', 'backordered']),
  orderedQuantity: Quantity.optional(),
  quantity: Quantity.optional(),
  unitPrice: Money.optional(),
  scheduledShipDate: IsoDate.optional(),
  scheduledDeliveryDate: IsoDate.optional(),
  substituteItem: ItemRef.optional(),
  reasonCode: Code.optional(),
  reason: Text.optional(),
});
export type AcknowledgementLine = z.infer<typeof AcknowledgementLine>;

export const OrderAcknowledgementV1 = z
  .strictObject({
    ...objectFields,
    ackNumber: DocumentNumber.optional(),
    orderKind: z.enum(['purchase', 'sales']).meta({
      description: 'purchase: a supplier answering our PO; sales: our answer to a customer order',
    }),
    order: DocumentRef,
    customerPoNumber: DocumentNumber.optional(),
    ackDate: Timestamp,
    status: z.enum(['accepted', 'accepted-with-changes', 'rejected']),
    from: PartyRef.optional(),
    to: PartyRef.optional(),
    lines: z.array(AcknowledgementLine).default([]),
    reasonCode: Code.optional(),
    reason: Text.optional(),
    notes: orderHeaderNotes,
  })
  .meta({ title: 'OrderAcknowledgement', description: 'Acceptance, change or rejection of an order, per line.' });
export type OrderAcknowledgement = z.infer<typeof OrderAcknowledgementV1>;
export type OrderAcknowledgementInput = z.input<typeof OrderAcknowledgementV1>;
