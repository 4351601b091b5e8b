import { z } from 'zod';
import { Gln, Gtin } from './gs1.js';
import { Code, DocumentNumber, Id, Name, RefMap, Text } from './primitives.js';

/**
 * References from one object to another. A reference carries whatever identifiers the source had: the
 * crossdock id once masterdata resolved it, the partner's own number, external ids. At least one
 * identifier must be present. These checks are refinements, outside JSON Schema: the compatibility
 * test cannot see them, so they are fixed for v1 (see docs/canonical.md).
 */
function hasAny(keys: readonly string[]) {
  return (value: Record<string, unknown>): boolean =>
    keys.some((k) => {
      const v = value[k];
      if (v === undefined) return false;
      if (typeof v === 'object' && v !== null) return Object.keys(v).length > 0;
      return true;
    });
}

const partyIdentifiers = ['id', 'number', 'name', 'gln', 'duns', 'refs'] as const;

/** A customer, supplier, carrier or other trading partner. */
export const PartyRef = z
  .strictObject({
    id: Id.optional(),
    number: Code.optional().meta({ description: 'account number in the ERP or at the partner' }),
    name: Name.optional(),
    gln: Gln.optional(),
    duns: z
      .string()
      .regex(/^\d{9}(\d{4})?$/, 'expected a 9-digit DUNS (or DUNS+4)')
      .optional(),
    refs: RefMap.optional(),
  })
  .refine(hasAny(partyIdentifiers), 'a party reference needs an id, number, name, gln, duns or refs')
  .meta({ id: 'PartyRef' });
export type PartyRef = z.infer<typeof PartyRef>;

/** A warehouse, 3PL site, store or other place. */
export const LocationRef = z
  .strictObject({
    id: Id.optional(),
    code: Code.optional(),
    name: Name.optional(),
    gln: Gln.optional(),
    refs: RefMap.optional(),
  })
  .refine(hasAny(['id', 'code', 'name', 'gln', 'refs']), 'a location reference needs an id, code, name, gln or refs')
  .meta({ id: 'LocationRef' });
export type LocationRef = z.infer<typeof LocationRef>;

/** The object types a reference may point at (used by Case and DocumentRef). */
export const ObjectType = z.enum([
  'item',
  'customer',
  'supplier',
  'location',
  'pricelist',
  'inventoryposition',
  'salesorder',
  'purchaseorder',
  'orderacknowledgement',
  'advanceshipnotice',
  'shipment',
  'receipt',
  'invoice',
  'returnauthorization',
  'creditmemo',
  'case',
]);
export type ObjectType = z.infer<typeof ObjectType>;

/** Another business document: an order, ASN, invoice… */
export const DocumentRef = z
  .strictObject({
    type: ObjectType.optional(),
    id: Id.optional(),
    number: DocumentNumber.optional(),
    refs: RefMap.optional(),
  })
  .refine(hasAny(['id', 'number', 'refs']), 'a document reference needs an id, number or refs')
  .meta({ id: 'DocumentRef' });
export type DocumentRef = z.infer<typeof DocumentRef>;

/**
 * The item on a transaction line, by any identifier the source had: SKU, GTIN, or the partner's item
 * number (EDI PO1 qualifiers BP = buyer's part number, VP = vendor's part number, MG = manufacturer).
 */
export const ItemRef = z
  .strictObject({
    id: Id.optional(),
    sku: Code.optional(),
    gtin: Gtin.optional(),
    customerItemNumber: Code.optional(),
    supplierItemNumber: Code.optional(),
    manufacturerPartNumber: Code.optional(),
    description: Text.optional(),
    refs: RefMap.optional(),
  })
  .refine(
    hasAny(['id', 'sku', 'gtin', 'customerItemNumber', 'supplierItemNumber', 'manufacturerPartNumber', 'refs']),
    'an item reference needs an id, sku, gtin, partner item number or refs',
  )
  .meta({ id: 'ItemRef' });
export type ItemRef = z.infer<typeof ItemRef>;
