import { z } from 'zod';
import { lineFields } from '../base.js';
import { Money } from '../money.js';
import { ChargeAllowance, Discount, TaxLine } from '../pricing.js';
import { Code, IsoDate, LineNumber, Text } from '../primitives.js';
import { Quantity, Uom } from '../quantity.js';
import { ItemRef } from '../refs.js';
import { Note } from '../terms.js';

/** Fields sales and purchase order lines share (X12 PO1, EDIFACT LIN/QTY/PRI). */
export const orderLineFields = {
  lineNumber: LineNumber,
  ...lineFields,
  item: ItemRef,
  description: Text.optional(),
  quantity: Quantity,
  unitPrice: Money.optional(),
  priceUom: Uom.optional().meta({ description: 'the unit the price is per when it differs from the ordered unit' }),
  discounts: z.array(Discount).default([]),
  taxes: z.array(TaxLine).default([]),
  charges: z.array(ChargeAllowance).default([]),
  lineTotal: Money.optional().meta({ description: 'extended amount as the source stated it' }),
  requestedShipDate: IsoDate.optional(),
  requestedDeliveryDate: IsoDate.optional(),
  promisedDate: IsoDate.optional(),
  notes: z.array(Note).default([]),
};

/** Order-level fields sales and purchase orders share. */
export const orderHeaderNotes = z.array(Note).default([]);

/** Why an order is held (credit, fraud review, price mismatch). */
export const OrderHold = z.strictObject({
  code: Code,
  description: Text.optional(),
});
export type OrderHold = z.infer<typeof OrderHold>;
