import { z } from 'zod';
import { Gln } from './gs1.js';
import { Code, CountryCode, Decimal, Email, Name } from './primitives.js';

const Phone = z.string().min(1).max(50);
const Line = z.string().min(1).max(200);

/**
 * A postal address. Every field is optional because sources differ (an EDI ship-to may be only a GLN or a
 * store number); `country` is ISO 3166-1 alpha-2, so mappers turn "United States"/"USA" into "US".
 */
export const Address = z
  .strictObject({
    name: Name.optional(),
    company: Name.optional(),
    attention: Name.optional(),
    line1: Line.optional(),
    line2: Line.optional(),
    line3: Line.optional(),
    city: z.string().min(1).max(100).optional(),
    region: z.string().min(1).max(100).optional().meta({ description: 'state, province or county (code preferred, e.g. KY)' }),
    postalCode: z.string().min(1).max(20).optional(),
    country: CountryCode.optional(),
    phone: Phone.optional(),
    email: Email.optional(),
    gln: Gln.optional(),
    locationCode: Code.optional().meta({ description: "a partner's code for this place (store number, EDI N1*ST*…*92)" }),
    residential: z.boolean().optional(),
    latitude: Decimal.optional(),
    longitude: Decimal.optional(),
  })
  .meta({ id: 'Address' });
export type Address = z.infer<typeof Address>;

export const Contact = z
  .strictObject({
    name: Name.optional(),
    firstName: Name.optional(),
    lastName: Name.optional(),
    role: z.enum(['buyer', 'accounts-payable', 'accounts-receivable', 'receiving', 'shipping', 'sales', 'support', 'other']).optional(),
    title: Name.optional(),
    email: Email.optional(),
    phone: Phone.optional(),
    mobile: Phone.optional(),
    fax: Phone.optional(),
  })
  .meta({ id: 'Contact' });
export type Contact = z.infer<typeof Contact>;
