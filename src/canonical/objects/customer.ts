import { z } from 'zod';
import { Address, Contact } from '../address.js';
import { lineFields, objectFields } from '../base.js';
import { Gln } from '../gs1.js';
import { Money } from '../money.js';
import { Code, CountryCode, CurrencyCode, Email, Id, Name, Text } from '../primitives.js';
import { PartyRef } from '../refs.js';
import { FulfilmentPolicy, PaymentTerms } from '../terms.js';

export const TaxId = z.strictObject({
  type: z.enum(['vat', 'ein', 'gst', 'abn', 'tin', 'resale-certificate', 'exemption-certificate', 'other']),
  value: Code,
  country: CountryCode.optional(),
  region: Code.optional(),
});
export type TaxId = z.infer<typeof TaxId>;

/** A ship-to of a bill-to customer: a store, a DC, a job site (EDI N1*ST). */
export const ShipToLocation = z.strictObject({
  code: Code.meta({ description: "the ship-to number (a retailer's store or DC number)" }),
  name: Name.optional(),
  address: Address,
  gln: Gln.optional(),
  locationId: Id.optional().meta({ description: 'the crossdock Location when the site is one (customer-site)' }),
  isDefault: z.boolean().optional(),
  active: z.boolean().optional(),
  ...lineFields,
});
export type ShipToLocation = z.infer<typeof ShipToLocation>;

export const CustomerV1 = z
  .strictObject({
    ...objectFields,
    customerNumber: Code.optional(),
    name: Name,
    legalName: Name.optional(),
    type: z.enum(['business', 'consumer']).default('business'),
    status: z.enum(['prospect', 'active', 'inactive', 'blocked']).default('active'),
    parent: PartyRef.optional().meta({ description: 'the parent (bill-to or corporate) account in the hierarchy' }),
    role: z.enum(['sold-to', 'bill-to', 'sold-to-and-bill-to']).optional(),
    billTo: Address.optional(),
    shipTos: z.array(ShipToLocation).default([]),
    contacts: z.array(Contact).default([]),
    email: Email.optional(),
    phone: z.string().min(1).max(50).optional(),
    currency: CurrencyCode.optional(),
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'expected a language tag such as en or en-GB')
      .optional(),
    paymentTerms: PaymentTerms.optional(),
    creditLimit: Money.optional(),
    creditHold: z.boolean().default(false),
    taxIds: z.array(TaxId).default([]),
    taxExempt: z.boolean().optional(),
    channel: Code.optional().meta({ description: 'how the customer orders: edi, portal, webstore, marketplace, sales-rep…' }),
    priceListId: Id.optional(),
    salesRep: Name.optional(),
    fulfilmentPolicy: FulfilmentPolicy.default('partial-allowed'),
    gln: Gln.optional(),
    notes: Text.optional(),
  })
  .meta({ title: 'Customer', description: 'A sold-to/bill-to account with its ship-to locations, terms and credit.' });
export type Customer = z.infer<typeof CustomerV1>;
export type CustomerInput = z.input<typeof CustomerV1>;
