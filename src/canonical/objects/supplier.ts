import { z } from 'zod';
import { Address, Contact } from '../address.js';
import { objectFields } from '../base.js';
import { Gln } from '../gs1.js';
import { Money } from '../money.js';
import { Code, CurrencyCode, Email, Name, Text } from '../primitives.js';
import { PaymentTerms, ShippingInstructions } from '../terms.js';
import { TaxId } from './customer.js';

export const SupplierV1 = z
  .strictObject({
    ...objectFields,
    supplierNumber: Code.optional(),
    name: Name,
    legalName: Name.optional(),
    status: z.enum(['prospect', 'active', 'inactive', 'blocked']).default('active'),
    address: Address.optional(),
    remitTo: Address.optional(),
    shipFrom: z.array(Address).default([]),
    contacts: z.array(Contact).default([]),
    email: Email.optional(),
    phone: z.string().min(1).max(50).optional(),
    currency: CurrencyCode.optional(),
    paymentTerms: PaymentTerms.optional(),
    taxIds: z.array(TaxId).default([]),
    gln: Gln.optional(),
    orderChannel: z
      .enum(['edi', 'portal', 'api', 'email', 'manual'])
      .optional()
      .meta({ description: 'how purchase orders reach this supplier' }),
    leadTimeDays: z.number().int().nonnegative().max(3650).optional(),
    minimumOrderAmount: Money.optional(),
    shipping: ShippingInstructions.optional(),
    notes: Text.optional(),
  })
  .meta({ title: 'Supplier', description: 'A vendor the distributor buys from.' });
export type Supplier = z.infer<typeof SupplierV1>;
export type SupplierInput = z.input<typeof SupplierV1>;
