import { z } from 'zod';
import { lineFields, objectFields } from '../base.js';
import { Money } from '../money.js';
import { ChargeAllowance, DocumentTotals, TaxLine } from '../pricing.js';
import { Code, CurrencyCode, DocumentNumber, IsoDate, LineNumber, Text } from '../primitives.js';
import { Quantity } from '../quantity.js';
import { DocumentRef, ItemRef, PartyRef } from '../refs.js';
import { Note } from '../terms.js';

export const CreditMemoLine = z.strictObject({
  lineNumber: LineNumber,
  ...lineFields,
  item: ItemRef.optional(),
  description: Text.optional(),
  quantity: Quantity.optional(),
  unitPrice: Money.optional(),
  taxes: z.array(TaxLine).default([]),
  lineTotal: Money,
  invoiceLineNumber: LineNumber.optional(),
  returnLineNumber: LineNumber.optional(),
});
export type CreditMemoLine = z.infer<typeof CreditMemoLine>;

/** A credit to a customer (AR) or from a supplier (AP): after a return, a price dispute, a short shipment. */
export const CreditMemoV1 = z
  .strictObject({
    ...objectFields,
    creditMemoNumber: DocumentNumber,
    kind: z.enum(['sales', 'purchase']).default('sales'),
    status: z.enum(['draft', 'posted', 'applied', 'refunded', 'void']).default('posted'),
    memoDate: IsoDate,
    currency: CurrencyCode,
    seller: PartyRef.optional(),
    buyer: PartyRef,
    invoice: DocumentRef.optional(),
    returnAuthorization: DocumentRef.optional(),
    order: DocumentRef.optional(),
    reasonCode: Code.optional(),
    reason: Text.optional(),
    lines: z.array(CreditMemoLine).min(1),
    charges: z.array(ChargeAllowance).default([]),
    taxes: z.array(TaxLine).default([]),
    totals: DocumentTotals,
    notes: z.array(Note).default([]),
  })
  .meta({ title: 'CreditMemo', description: 'A credit note against an invoice, return or dispute.' });
export type CreditMemo = z.infer<typeof CreditMemoV1>;
export type CreditMemoInput = z.input<typeof CreditMemoV1>;
