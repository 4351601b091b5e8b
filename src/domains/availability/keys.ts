import type { ItemRef, LocationRef } from '../../canonical/index.js';
import { AvailabilityErrors } from './errors.js';

/**
 * The ledger keys items by SKU and locations by code: the identifiers every connector maps. Other
 * identifiers are accepted as a fallback so an event is never dropped for lack of a SKU.
 */
export function itemKey(ref: ItemRef): string {
  const key = ref.sku ?? ref.id ?? ref.gtin ?? ref.supplierItemNumber ?? ref.manufacturerPartNumber ?? ref.customerItemNumber;
  if (key === undefined) throw AvailabilityErrors.badEvent('the item reference has no sku, id or gtin', { path: 'item' });
  return key;
}

export function locationKey(ref: LocationRef): string {
  const key = ref.code ?? ref.id ?? ref.gln ?? ref.name;
  if (key === undefined) throw AvailabilityErrors.badEvent('the location reference has no code, id, gln or name', { path: 'location' });
  return key;
}

/**
 * Quantities are whole units of the item's base unit of measure. A fractional quantity is refused
 * rather than rounded: rounding stock silently is how a ledger drifts.
 */
export function toUnits(decimal: string, path: string): number {
  if (!/^-?\d+(\.0+)?$/.test(decimal)) {
    throw AvailabilityErrors.badEvent(`${path}: ${decimal} is not a whole number of base units`, { path });
  }
  const n = Number.parseInt(decimal, 10);
  if (!Number.isSafeInteger(n)) throw AvailabilityErrors.badEvent(`${path}: ${decimal} is out of range`, { path });
  return n;
}
