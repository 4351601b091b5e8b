import { z } from 'zod';
import { Address } from '../address.js';
import { lineFields, objectFields } from '../base.js';
import { LotDetail } from '../lot.js';
import { Money } from '../money.js';
import { Code, DocumentNumber, LineNumber, Text, Timestamp } from '../primitives.js';
import { Quantity } from '../quantity.js';
import { DocumentRef, ItemRef, LocationRef, PartyRef } from '../refs.js';
import { Carrier, Note } from '../terms.js';

export const ReturnReason = z.enum([
  'damaged',
  'defective',
  'wrong-item',
  'not-as-described',
  'ordered-in-error',
  'no-longer-needed',
  'over-shipped',
  'expired',
  'recall',
  'warranty',
  'other',
]);

export const ReturnDisposition = z.enum(['restock', 'scrap', 'return-to-vendor', 'refurbish', 'inspect', 'quarantine']);

export const ReturnLine = z.strictObject({
  lineNumber: LineNumber,
  ...lineFields,
  order: DocumentRef.optional(),
  orderLineNumber: LineNumber.optional(),
  invoice: DocumentRef.optional(),
  item: ItemRef,
  quantity: Quantity,
  receivedQuantity: Quantity.optional(),
  reasonCode: ReturnReason,
  reasonCodeSource: Code.optional().meta({ description: "the source's own reason code, kept as sent" }),
  reason: Text.optional(),
  disposition: ReturnDisposition.optional(),
  lot: LotDetail.optional(),
  creditAmount: Money.optional(),
});
export type ReturnLine = z.infer<typeof ReturnLine>;

/** A return merchandise authorization (RMA): what a customer may send back, why, and what happens to it. */
export const ReturnAuthorizationV1 = z
  .strictObject({
    ...objectFields,
    rmaNumber: DocumentNumber,
    status: z.enum(['requested', 'authorized', 'rejected', 'partially-received', 'received', 'closed', 'cancelled']).default('requested'),
    customer: PartyRef,
    order: DocumentRef.optional(),
    requestedAt: Timestamp,
    authorizedAt: Timestamp.optional(),
    expiresAt: Timestamp.optional(),
    returnTo: LocationRef.optional(),
    shipFrom: Address.optional(),
    carrier: Carrier.optional(),
    trackingNumbers: z.array(Code).default([]),
    resolution: z.enum(['credit', 'refund', 'replace', 'exchange', 'repair']).optional(),
    restockingFee: Money.optional(),
    lines: z.array(ReturnLine).min(1),
    notes: z.array(Note).default([]),
  })
  .meta({ title: 'ReturnAuthorization', description: 'A return authorization with reason codes and dispositions per line.' });
export type ReturnAuthorization = z.infer<typeof ReturnAuthorizationV1>;
export type ReturnAuthorizationInput = z.input<typeof ReturnAuthorizationV1>;
