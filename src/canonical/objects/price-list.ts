import { z } from 'zod';
import { lineFields, objectFields } from '../base.js';
import { Money } from '../money.js';
import { Code, CurrencyCode, Id, IsoDate, Name, NonNegativeDecimal, Percent } from '../primitives.js';
import { Uom } from '../quantity.js';
import { ItemRef, PartyRef } from '../refs.js';

/** One price: for an item in a unit, from a minimum quantity (quantity breaks are several entries). */
export const PriceEntry = z.strictObject({
  item: ItemRef,
  uom: Uom,
  unitPrice: Money,
  minQuantity: NonNegativeDecimal.optional(),
  discountPercent: Percent.optional(),
  validFrom: IsoDate.optional(),
  validTo: IsoDate.optional(),
  ...lineFields,
});
export type PriceEntry = z.infer<typeof PriceEntry>;

export const PriceListV1 = z
  .strictObject({
    ...objectFields,
    code: Code,
    name: Name,
    kind: z.enum(['sales', 'purchase']).default('sales'),
    status: z.enum(['draft', 'active', 'inactive']).default('active'),
    currency: CurrencyCode,
    pricesIncludeTax: z.boolean().default(false),
    validFrom: IsoDate.optional(),
    validTo: IsoDate.optional(),
    customers: z.array(PartyRef).default([]).meta({ description: 'sales lists: the customers it applies to (empty = default list)' }),
    supplier: PartyRef.optional(),
    channel: Code.optional(),
    baseListId: Id.optional(),
    entries: z.array(PriceEntry).default([]),
  })
  .meta({ title: 'PriceList', description: 'Sales or purchase prices in one currency, with quantity breaks.' });
export type PriceList = z.infer<typeof PriceListV1>;
export type PriceListInput = z.input<typeof PriceListV1>;
