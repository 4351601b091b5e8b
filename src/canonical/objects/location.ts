import { z } from 'zod';
import { Address, Contact } from '../address.js';
import { objectFields } from '../base.js';
import { Gln } from '../gs1.js';
import { Code, IsoDate, LocalTime, Name, TimeZone } from '../primitives.js';
import { PartyRef } from '../refs.js';
import { Carrier } from '../terms.js';

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

/**
 * When a site ships: orders released before `cutOffTime` (local time in the location's zone) on a working
 * day that is not a holiday leave the same day. Carrier-specific cut-offs override the default.
 */
export const ShippingCalendar = z.strictObject({
  cutOffTime: LocalTime,
  workingDays: z.array(Weekday).default(['mon', 'tue', 'wed', 'thu', 'fri']),
  holidays: z.array(z.strictObject({ date: IsoDate, name: Name.optional() })).default([]),
  carrierCutOffs: z.array(z.strictObject({ carrier: Carrier, cutOffTime: LocalTime })).default([]),
});
export type ShippingCalendar = z.infer<typeof ShippingCalendar>;

export const LocationV1 = z
  .strictObject({
    ...objectFields,
    code: Code,
    name: Name,
    type: z.enum(['warehouse', '3pl', 'store', 'supplier', 'customer-site']),
    status: z.enum(['active', 'inactive']).default('active'),
    address: Address,
    timeZone: TimeZone,
    gln: Gln.optional(),
    operator: PartyRef.optional().meta({ description: 'who runs the site: the 3PL, the supplier, the customer' }),
    calendar: ShippingCalendar.optional(),
    contacts: z.array(Contact).default([]),
    sellable: z.boolean().optional().meta({ description: 'stock here counts towards channel availability' }),
  })
  .meta({ title: 'Location', description: 'A warehouse, 3PL site, store, supplier or customer site.' });
export type Location = z.infer<typeof LocationV1>;
export type LocationInput = z.input<typeof LocationV1>;
