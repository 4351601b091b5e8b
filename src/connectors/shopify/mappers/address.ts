import type { Address } from '../../../canonical/index.js';
import type { JsonObject } from './picker.js';
import { Picker } from './picker.js';

const COUNTRY = /^[A-Z]{2}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * A REST MailingAddress (https://shopify.dev/docs/api/admin-rest/latest/resources/order#resource-object)
 * as a canonical Address. Names of country and province stay in ext: the codes are the canonical form.
 */
export function addressFromShopify(source: JsonObject): { value: Address; rest: JsonObject } | undefined {
  const p = new Picker(source);
  const value: Address = {};
  const set = <K extends keyof Address>(key: K, v: Address[K] | undefined) => {
    if (v !== undefined) value[key] = v;
  };
  set('name', p.string('name'));
  set('company', p.string('company'));
  set('line1', p.string('address1'));
  set('line2', p.string('address2'));
  set('city', p.string('city'));
  set('region', p.string('province_code'));
  set('postalCode', p.string('zip'));
  set('country', p.string('country_code', COUNTRY));
  set('phone', p.string('phone'));
  set('email', p.string('email', EMAIL));
  set('latitude', p.decimal('latitude'));
  set('longitude', p.decimal('longitude'));
  return { value, rest: p.rest };
}

export function addressToShopify(a: Address): JsonObject {
  const out: JsonObject = {};
  const put = (key: string, v: string | undefined) => {
    if (v !== undefined) out[key] = v;
  };
  put('name', a.name);
  put('company', a.company);
  put('address1', a.line1);
  put('address2', a.line2);
  put('city', a.city);
  put('province_code', a.region);
  put('zip', a.postalCode);
  put('country_code', a.country);
  put('phone', a.phone);
  put('email', a.email);
  put('latitude', a.latitude);
  put('longitude', a.longitude);
  return out;
}
