import { z } from 'zod';
import { Money } from './money.js';
import { Code, ExtMap, Percent, Text } from './primitives.js';

/** A price reduction on a line (promotion, contract discount, discount code). */
export const Discount = z
  .strictObject({
    code: Code.optional(),
    description: Text.optional(),
    percent: Percent.optional(),
    amount: Money,
  })
  .meta({ id: 'Discount' });
export type Discount = z.infer<typeof Discount>;

/** A tax on a line or document. `ratePercent` is a percentage ("6" = 6 %). */
export const TaxLine = z
  .strictObject({
    type: z.enum(['sales', 'vat', 'gst', 'hst', 'pst', 'excise', 'withholding', 'other']).optional(),
    code: Code.optional(),
    name: Text.optional(),
    jurisdiction: Text.optional(),
    ratePercent: Percent.optional(),
    taxableAmount: Money.optional(),
    amount: Money,
  })
  .meta({ id: 'TaxLine' });
export type TaxLine = z.infer<typeof TaxLine>;

/**
 * A header- or line-level charge or allowance (X12 SAC, EDIFACT ALC): freight, handling, fuel surcharge,
 * promotional allowance. An allowance's amount is positive; `kind` says which way it goes.
 */
export const ChargeAllowance = z
  .strictObject({
    kind: z.enum(['charge', 'allowance']),
    type: z
      .enum([
        'freight',
        'handling',
        'fuel-surcharge',
        'insurance',
        'packaging',
        'restocking',
        'promotion',
        'volume-discount',
        'early-payment',
        'other',
      ])
      .optional(),
    code: Code.optional(),
    description: Text.optional(),
    percent: Percent.optional(),
    amount: Money,
    taxes: z.array(TaxLine).optional(),
    ext: ExtMap.optional(),
  })
  .meta({ id: 'ChargeAllowance' });
export type ChargeAllowance = z.infer<typeof ChargeAllowance>;

/** Document totals as the source stated them; consumers recompute before trusting them. */
export const DocumentTotals = z
  .strictObject({
    subtotal: Money.optional().meta({ description: 'sum of line amounts before header charges, allowances and tax' }),
    discountTotal: Money.optional(),
    chargeTotal: Money.optional(),
    allowanceTotal: Money.optional(),
    taxTotal: Money.optional(),
    total: Money,
  })
  .meta({ id: 'DocumentTotals' });
export type DocumentTotals = z.infer<typeof DocumentTotals>;
