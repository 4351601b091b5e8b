import { z } from 'zod';

/**
 * Scalars shared by every canonical object. Each is a string with a pattern rather than a number so a
 * value survives JSON round trips exactly (ids beyond 2^53, money, quantities).
 */

/** A crossdock id (the kernel's `newId()` makes them, but any stable key up to 200 chars is accepted). */
export const Id = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'expected letters, digits and . _ : / -');

/** A system or namespace key in `refs`/`ext`: `shopify`, `netsuite`, `shopify/store-eu`, `x12`. */
export const SystemKey = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9._:/-]*$/, 'expected a lower-case system key such as shopify or netsuite/eu');

/** An id in another system. Always a string: a Shopify id does not fit a JS number. */
export const ExternalId = z.string().min(1).max(500);

/** External ids by system: `{ shopify: "450789469", netsuite: "SO-1001" }`. */
export const RefMap = z.record(SystemKey, ExternalId).meta({ id: 'Refs', description: 'external ids by system' });

/** An object's own external ids; absent means none yet. */
export const Refs = RefMap.default({});

/** Fields a source sent that the canonical model has no place for, by namespace (vendor, EDI). */
export const ExtMap = z.record(SystemKey, z.unknown()).meta({ id: 'Ext', description: 'source fields kept as sent, by namespace' });

/** An object's extension data; absent means none. */
export const Ext = ExtMap.default({});

/** An instant: RFC 3339 with an explicit zone, e.g. `2008-01-10T11:00:00-05:00`. */
export const Timestamp = z.iso.datetime({ offset: true }).meta({ id: 'Timestamp', description: 'RFC 3339 date-time with zone' });

/** A calendar date without time: `2024-05-31`. */
export const IsoDate = z.iso.date().meta({ id: 'Date', description: 'ISO 8601 calendar date' });

/** A local wall-clock time `HH:MM` (24h), interpreted in a location's time zone. */
export const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24h)');

/** A decimal number as a string: optional minus, no exponent, no leading zeros, up to 10 decimals. */
export const Decimal = z.string().regex(/^-?(0|[1-9]\d{0,17})(\.\d{1,10})?$/, 'expected a decimal string such as "12.5"');

/** A non-negative decimal string. */
export const NonNegativeDecimal = z.string().regex(/^(0|[1-9]\d{0,17})(\.\d{1,10})?$/, 'expected a non-negative decimal string');

/** A percentage as a decimal string: "6" means 6 %, not 0.06. */
export const Percent = z.string().regex(/^-?(0|[1-9]\d{0,3})(\.\d{1,6})?$/, 'expected a percentage such as "6.25"');

/** ISO 4217 alphabetic currency code. */
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as USD');

/** ISO 3166-1 alpha-2 country code. */
export const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code such as US');

/** A line number local to its document, as a string ("1", "10", "0010", EDI PO101 allows up to 20 chars). */
export const LineNumber = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$/, 'expected a line number such as "1"');

/** A document number as printed (order number, invoice number, PO number). */
export const DocumentNumber = z.string().min(1).max(100);

/** A short code (reason, channel, tax code); case kept as sent. */
export const Code = z.string().min(1).max(100);

/** Free text with a generous bound, so one field cannot carry megabytes. */
export const Text = z.string().max(10_000);

/** A non-empty display name. */
export const Name = z.string().min(1).max(500);

/** An IANA time zone such as `America/Chicago`, checked against the runtime's time-zone database. */
export const TimeZone = z
  .string()
  .regex(/^(UTC|[A-Za-z]+(\/[A-Za-z0-9_+-]+)+)$/, 'expected an IANA time zone such as America/Chicago')
  .refine(isKnownTimeZone, 'unknown IANA time zone');

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const Email = z
  .string()
  .max(320)
  .regex(/^[^\s@]+@[^\s@]+$/, 'expected an e-mail address');

export const Url = z
  .string()
  .max(2000)
  .regex(/^https?:\/\/\S+$/, 'expected an http(s) URL');
