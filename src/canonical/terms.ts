import { z } from 'zod';
import { Code, Percent, Text } from './primitives.js';

/** Payment terms, e.g. 2/10 net 30 = discountPercent "2", discountDays 10, netDays 30 (X12 ITD). */
export const PaymentTerms = z
  .strictObject({
    code: Code.optional(),
    description: Text.optional(),
    netDays: z.number().int().min(0).max(3650).optional(),
    discountPercent: Percent.optional(),
    discountDays: z.number().int().min(0).max(3650).optional(),
    basis: z.enum(['invoice-date', 'delivery-date', 'end-of-month', 'receipt-of-goods']).optional(),
  })
  .meta({ id: 'PaymentTerms' });
export type PaymentTerms = z.infer<typeof PaymentTerms>;

/** How a customer wants incomplete orders handled (ARCHITECTURE §6 step 3). */
export const FulfilmentPolicy = z.enum(['ship-complete', 'partial-allowed', 'fill-or-kill']);
export type FulfilmentPolicy = z.infer<typeof FulfilmentPolicy>;

/** The carrier and service moving goods. SCAC is the NMFTA Standard Carrier Alpha Code (X12 TD5). */
export const Carrier = z
  .strictObject({
    scac: z
      .string()
      .regex(/^[A-Z]{2,4}$/, 'expected a 2-4 letter SCAC')
      .optional(),
    name: z.string().min(1).max(200).optional(),
    service: Code.optional().meta({ description: 'service level, e.g. GROUND, 2DAY, Std US D2D Dom' }),
    mode: z.enum(['parcel', 'ltl', 'ftl', 'courier', 'air', 'ocean', 'rail', 'intermodal', 'pickup', 'own-fleet']).optional(),
  })
  .meta({ id: 'Carrier' });
export type Carrier = z.infer<typeof Carrier>;

/** Shipping instructions on an order. */
export const ShippingInstructions = z
  .strictObject({
    method: Code.optional().meta({ description: 'the ship method as the channel or ERP names it' }),
    carrier: Carrier.optional(),
    freightTerms: z.enum(['prepaid', 'collect', 'third-party', 'prepaid-and-add']).optional(),
    carrierAccount: Code.optional(),
    incoterms: z
      .string()
      .regex(/^[A-Z]{3}$/, 'expected an Incoterms 2020 code such as FCA')
      .optional(),
    instructions: Text.optional(),
  })
  .meta({ id: 'ShippingInstructions' });
export type ShippingInstructions = z.infer<typeof ShippingInstructions>;

export const Note = z
  .strictObject({
    kind: z.enum(['general', 'customer', 'internal', 'gift', 'packing', 'delivery', 'invoice']).default('general'),
    text: Text.min(1),
  })
  .meta({ id: 'Note' });
export type Note = z.infer<typeof Note>;
