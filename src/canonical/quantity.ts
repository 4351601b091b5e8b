import { z } from 'zod';
import { Decimal, NonNegativeDecimal } from './primitives.js';

/**
 * A unit-of-measure code, upper case: UN/ECE Rec. 20 (`C62`, `KGM`) or X12 355 (`EA`, `CS`, `PL`) or an
 * ERP's own (`PCS`). Mappers upper-case what a source sends so codes compare as strings.
 */
export const Uom = z.string().regex(/^[A-Z0-9][A-Z0-9_-]{0,15}$/, 'expected an upper-case unit of measure code such as EA');

/** A quantity that cannot be negative (ordered, shipped, received). */
export const Quantity = z
  .strictObject({
    value: NonNegativeDecimal,
    uom: Uom,
  })
  .meta({ id: 'Quantity' });
export type Quantity = z.infer<typeof Quantity>;

/** A quantity that may be negative: adjustments, and on hand where an ERP allows negative stock. */
export const SignedQuantity = z
  .strictObject({
    value: Decimal,
    uom: Uom,
  })
  .meta({ id: 'SignedQuantity' });
export type SignedQuantity = z.infer<typeof SignedQuantity>;

export const Weight = z
  .strictObject({
    value: NonNegativeDecimal,
    unit: z.enum(['g', 'kg', 'oz', 'lb', 't']),
  })
  .meta({ id: 'Weight' });
export type Weight = z.infer<typeof Weight>;

export const Dimensions = z
  .strictObject({
    length: NonNegativeDecimal,
    width: NonNegativeDecimal,
    height: NonNegativeDecimal,
    unit: z.enum(['mm', 'cm', 'm', 'in', 'ft']),
  })
  .meta({ id: 'Dimensions' });
export type Dimensions = z.infer<typeof Dimensions>;
