import { z } from 'zod';
import type { Address } from '../../../canonical/index.js';

/** The connector's key in canonical `refs` and `ext`. */
export const SALESFORCE = 'salesforce';

/** An sObject record as the REST API sends it: field name → value, plus `attributes` on reads. */
export const sobjectSchema = z.record(z.string(), z.unknown());
export type SObject = Record<string, unknown>;

/** Fields Salesforce maintains itself: kept in ext on the way in, never written back. */
export const READ_ONLY_FIELDS = [
  'Id',
  'attributes',
  'CreatedDate',
  'LastModifiedDate',
  'SystemModstamp',
  'IsDeleted',
  'CreatedById',
  'LastModifiedById',
];

/** The vendor fields a mapper did not place, kept so nothing is lost (canonical `ext.salesforce`). */
export function leftovers(record: SObject, placed: ReadonlySet<string>): SObject {
  const out: SObject = {};
  for (const [k, v] of Object.entries(record)) if (!placed.has(k) && v !== null && v !== undefined) out[k] = v;
  return out;
}

export const extFieldsSchema = z.object({ fields: sobjectSchema.default({}) });

/** The Salesforce fields kept in `ext.salesforce.fields`. */
export function extFields(ext: Record<string, unknown> | undefined): SObject {
  const parsed = extFieldsSchema.safeParse(ext?.[SALESFORCE]);
  return parsed.success ? parsed.data.fields : {};
}

/** A record ready to send: read-only fields dropped, empty values left out. */
export function writable(record: SObject, alsoDrop: readonly string[] = []): SObject {
  const drop = new Set([...READ_ONLY_FIELDS, ...alsoDrop]);
  return Object.fromEntries(Object.entries(record).filter(([k, v]) => !drop.has(k) && v !== undefined));
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

const COUNTRY = /^[A-Z]{2}$/;

/**
 * A compound address (`BillingStreet`, `BillingCity`, …): the street's lines are `\n`-separated. A country
 * that is not an ISO code ("United States") is not placed, so it stays in ext and round-trips as sent.
 */
export function addressFrom(record: SObject, prefix: string, placed: Set<string>): Address | undefined {
  const out: Address = {};
  const street = str(record[`${prefix}Street`]);
  const lines = street?.split('\n') ?? [];
  if (street !== undefined && lines.length <= 3 && lines.every((l) => l.length > 0 && l.length <= 200)) {
    [out.line1, out.line2, out.line3] = lines;
    if (out.line2 === undefined) delete out.line2;
    if (out.line3 === undefined) delete out.line3;
    placed.add(`${prefix}Street`);
  }
  const simple: Array<[string, 'city' | 'region' | 'postalCode']> = [
    ['City', 'city'],
    ['State', 'region'],
    ['PostalCode', 'postalCode'],
  ];
  for (const [field, key] of simple) {
    const v = str(record[`${prefix}${field}`]);
    if (v !== undefined && v.length <= (key === 'postalCode' ? 20 : 100)) {
      out[key] = v;
      placed.add(`${prefix}${field}`);
    }
  }
  const country = str(record[`${prefix}Country`]);
  if (country !== undefined && COUNTRY.test(country)) {
    out.country = country;
    placed.add(`${prefix}Country`);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export function addressTo(address: Address | undefined, prefix: string): SObject {
  if (!address) return {};
  const street = [address.line1, address.line2, address.line3].filter((l): l is string => l !== undefined).join('\n');
  const out: SObject = {};
  if (street) out[`${prefix}Street`] = street;
  if (address.city) out[`${prefix}City`] = address.city;
  if (address.region) out[`${prefix}State`] = address.region;
  if (address.postalCode) out[`${prefix}PostalCode`] = address.postalCode;
  if (address.country) out[`${prefix}Country`] = address.country;
  return out;
}
