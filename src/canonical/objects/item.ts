import { z } from 'zod';
import { lineFields, objectFields } from '../base.js';
import { Gtin } from '../gs1.js';
import { Money } from '../money.js';
import { Code, CountryCode, Id, Name, NonNegativeDecimal, Text } from '../primitives.js';
import { Dimensions, Uom, Weight } from '../quantity.js';

/**
 * An alternate unit of measure and how many base units it holds: CS = 12 EA is `{ uom: "CS", factor: "12" }`
 * when the base unit is EA. A GTIN is per packaging level (the each's GTIN-13, the case's GTIN-14).
 */
export const UomConversion = z.strictObject({
  uom: Uom,
  factor: NonNegativeDecimal.meta({ description: 'base units in one of this unit' }),
  gtin: Gtin.optional(),
  weight: Weight.optional(),
  dimensions: Dimensions.optional(),
  sellable: z.boolean().optional(),
  purchasable: z.boolean().optional(),
});
export type UomConversion = z.infer<typeof UomConversion>;

/** Pallet pattern: `ti` units per layer, `hi` layers, of `uom` (usually cases). */
export const PalletConfig = z.strictObject({
  uom: Uom,
  ti: z.number().int().positive().max(10_000),
  hi: z.number().int().positive().max(1_000),
  palletGtin: Gtin.optional(),
});

export const ItemTracking = z.strictObject({
  lot: z.boolean().default(false),
  serial: z.boolean().default(false),
  expiry: z.boolean().default(false),
  shelfLifeDays: z.number().int().nonnegative().max(36_500).optional(),
  minRemainingShelfLifeDays: z.number().int().nonnegative().max(36_500).optional().meta({
    description: 'shortest remaining shelf life a customer accepts on shipment',
  }),
});

/** The item number a customer uses for this item (EDI qualifier BP), keyed by the customer's crossdock id. */
export const CustomerItemNumber = z.strictObject({
  partnerId: Id,
  itemNumber: Code,
  uom: Uom.optional(),
  description: Text.optional(),
  ...lineFields,
});

/** The item number a supplier uses (EDI qualifier VP), with its buying data. */
export const SupplierItemNumber = z.strictObject({
  partnerId: Id,
  itemNumber: Code,
  uom: Uom.optional(),
  description: Text.optional(),
  primary: z.boolean().optional(),
  cost: Money.optional(),
  leadTimeDays: z.number().int().nonnegative().max(3650).optional(),
  minimumOrderQuantity: NonNegativeDecimal.optional(),
  orderMultiple: NonNegativeDecimal.optional(),
  ...lineFields,
});

export const ItemV1 = z
  .strictObject({
    ...objectFields,
    sku: Code,
    name: Name,
    description: Text.optional(),
    status: z.enum(['active', 'inactive', 'discontinued', 'blocked']).default('active'),
    type: z.enum(['stock', 'non-stock', 'service', 'kit']).default('stock'),
    gtin: Gtin.optional().meta({ description: 'GTIN of the base unit' }),
    brand: Name.optional(),
    manufacturer: Name.optional(),
    manufacturerPartNumber: Code.optional(),
    category: Code.optional(),
    baseUom: Uom,
    uoms: z.array(UomConversion).default([]),
    salesUom: Uom.optional(),
    purchaseUom: Uom.optional(),
    pallet: PalletConfig.optional(),
    tracking: ItemTracking.default({ lot: false, serial: false, expiry: false }),
    weight: Weight.optional().meta({ description: 'weight of one base unit' }),
    dimensions: Dimensions.optional(),
    customerItemNumbers: z.array(CustomerItemNumber).default([]),
    supplierItemNumbers: z.array(SupplierItemNumber).default([]),
    listPrice: Money.optional(),
    standardCost: Money.optional(),
    taxCode: Code.optional(),
    hsCode: z
      .string()
      .regex(/^\d{6,10}$/, 'expected a 6-10 digit HS tariff code')
      .optional(),
    countryOfOrigin: CountryCode.optional(),
    hazmat: z
      .strictObject({
        unNumber: z.string().regex(/^UN\d{4}$/, 'expected UN followed by 4 digits'),
        hazardClass: Code.optional(),
        packingGroup: z.enum(['I', 'II', 'III']).optional(),
      })
      .optional(),
  })
  .meta({ title: 'Item', description: 'A product a distributor buys, stocks and sells.' });
export type Item = z.infer<typeof ItemV1>;
export type ItemInput = z.input<typeof ItemV1>;
