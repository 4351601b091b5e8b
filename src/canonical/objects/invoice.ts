import { z } from 'zod';
import { Address } from '../address.js';
import { lineFields, objectFields } from '../base.js';
import { Money } from '../money.js';
import { ChargeAllowance, Discount, DocumentTotals, TaxLine } from '../pricing.js';
import { CurrencyCode, DocumentNumber, IsoDate, LineNumber, Text } from '../primitives.js';
import { Quantity, Uom } from '../quantity.js';
import { DocumentRef, ItemRef, PartyRef } from '../refs.js';
import { Note, PaymentTerms } from '../terms.js';

export const InvoiceLine = z.strictObject({
  lineNumber: LineNumber,
  ...lineFields,
  order: DocumentRef.optional(),
  orderLineNumber: LineNumber.optional(),
  item: ItemRef.optional().meta({ description: 'absent on service or charge-only lines' }),
  description: Text.optional(),
  quantity: Quantity,
  unitPrice: Money,
  priceUom: Uom.optional(),
  discounts: z.array(Discount).default([]),
  taxes: z.array(TaxLine).default([]),
  charges: z.array(ChargeAllowance).default([]),
  lineTotal: Money,
});
export type InvoiceLine = z.infer<typeof InvoiceLine>;

/**
 * An invoice (X12 810 / EDIFACT INVOIC / ERP posted invoice). `kind` sales: we bill a customer (AR);
 * purchase: a supplier bills us (AP).
 */
export const InvoiceV1 = z
  .strictObject({
    ...objectFields,
    invoiceNumber: DocumentNumber,
    kind: z.enum(['sales', 'purchase']).default('sales'),
    status: z.enum(['draft', 'posted', 'sent', 'partially-paid', 'paid', 'disputed', 'void']).default('posted'),
    invoiceDate: IsoDate,
    dueDate: IsoDate.optional(),
    taxPointDate: IsoDate.optional(),
    currency: CurrencyCode,
    seller: PartyRef.optional(),
    buyer: PartyRef,
    billTo: Address.optional(),
    shipTo: Address.optional(),
    remitTo: Address.optional(),
    customerPoNumber: DocumentNumber.optional(),
    orders: z.array(DocumentRef).default([]),
    shipments: z.array(DocumentRef).default([]),
    paymentTerms: PaymentTerms.optional(),
    lines: z.array(InvoiceLine).min(1),
    charges: z.array(ChargeAllowance).default([]),
    taxes: z.array(TaxLine).default([]),
    totals: DocumentTotals,
    amountPaid: Money.optional(),
    amountDue: Money.optional(),
    notes: z.array(Note).default([]),
  })
  .meta({ title: 'Invoice', description: 'A sales (AR) or supplier (AP) invoice with lines, taxes, charges and totals.' });
export type Invoice = z.infer<typeof InvoiceV1>;
export type InvoiceInput = z.input<typeof InvoiceV1>;
