import { z } from 'zod';
import { lineFields, objectFields } from '../base.js';
import { Sscc } from '../gs1.js';
import { LotQuantityDetail } from '../lot.js';
import { DocumentNumber, LineNumber, Text, Timestamp } from '../primitives.js';
import { Quantity } from '../quantity.js';
import { DocumentRef, ItemRef, LocationRef, PartyRef } from '../refs.js';

export const ReceiptDiscrepancy = z.strictObject({
  type: z.enum(['short', 'over', 'damaged', 'wrong-item', 'expired', 'lot-mismatch', 'unexpected', 'not-on-asn', 'other']),
  quantity: Quantity.optional(),
  note: Text.optional(),
});
export type ReceiptDiscrepancy = z.infer<typeof ReceiptDiscrepancy>;

/** One item received, against what was expected (from the PO or ASN), with what went wrong. */
export const ReceiptLine = z.strictObject({
  lineNumber: LineNumber,
  ...lineFields,
  order: DocumentRef.optional(),
  orderLineNumber: LineNumber.optional(),
  item: ItemRef,
  expectedQuantity: Quantity.optional(),
  receivedQuantity: Quantity,
  acceptedQuantity: Quantity.optional(),
  rejectedQuantity: Quantity.optional(),
  sscc: Sscc.optional(),
  lots: z.array(LotQuantityDetail).default([]),
  condition: z.enum(['good', 'damaged', 'quarantine']).optional(),
  discrepancies: z.array(ReceiptDiscrepancy).default([]),
});
export type ReceiptLine = z.infer<typeof ReceiptLine>;

/** Goods received at a location (WMS receipt, X12 944/861, a return's receipt). */
export const ReceiptV1 = z
  .strictObject({
    ...objectFields,
    receiptNumber: DocumentNumber,
    kind: z.enum(['purchase', 'return', 'transfer']).default('purchase'),
    status: z.enum(['open', 'posted', 'cancelled']).default('posted'),
    location: LocationRef,
    supplier: PartyRef.optional(),
    asn: DocumentRef.optional(),
    orders: z.array(DocumentRef).default([]),
    receivedAt: Timestamp,
    lines: z.array(ReceiptLine).min(1),
    notes: Text.optional(),
  })
  .meta({ title: 'Receipt', description: 'Goods received at a location, line by line against what was expected.' });
export type Receipt = z.infer<typeof ReceiptV1>;
export type ReceiptInput = z.input<typeof ReceiptV1>;
