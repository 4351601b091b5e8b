import { e, f, fd, type LoopTemplate, loop, type MapNode, pairs, q, seg } from '../engine/map-format.js';
import type { Rec } from '../engine/paths.js';

/**
 * Building blocks shared by the X12 maps. Element layouts per the X12 004010/005010 dictionaries
 * (N1 98/93/66/67, N3 166, N4 19/156/116/26, ITD 336/333/338/351/386/352, PO1/IT1/LIN 235/234 pairs).
 */

/** N1 loop into a canonical Address (ship-to, bill-to, remit-to). N103 is kept in `ext.edi.parties`. */
export function addressLoop(entity: string, target: string): LoopTemplate {
  return loop(target, false, [
    seg('N1', { 1: q(entity), 2: f('name'), 3: f(`/ext.edi.parties.${entity}.idQualifier`), 4: f('locationCode') }),
    seg('N2', { 1: f('company') }),
    seg('N3', { 1: f('line1'), 2: f('line2') }),
    seg('N4', { 1: f('city'), 2: f('region'), 3: f('postalCode'), 4: f('country', 'country') }),
  ]);
}

/** N1 loop into a PartyRef (buyer, supplier): name and N104 as the party's number. */
export function partyLoop(entity: string, target: string): LoopTemplate {
  return loop(target, false, [seg('N1', { 1: q(entity), 2: f('name'), 3: f(`/ext.edi.parties.${entity}.idQualifier`), 4: f('number') })]);
}

/** N1 loop into a LocationRef (warehouse, ship-from): name and N104 as its code. */
export function locationLoop(entity: string, target: string): LoopTemplate {
  return loop(target, false, [seg('N1', { 1: q(entity), 2: f('name'), 3: f(`/ext.edi.parties.${entity}.idQualifier`), 4: f('code') })]);
}

/** Product/service id qualifiers (DE 235) with a canonical place; every pair is also kept in `ext.edi.productIds`. */
export const PRODUCT_IDS = {
  BP: { target: 'item.customerItemNumber' },
  VN: { target: 'item.supplierItemNumber' },
  VP: { target: 'item.supplierItemNumber' },
  UP: { target: 'item.gtin', convert: 'gtin', pattern: '^\\d{12}$' },
  EN: { target: 'item.gtin', convert: 'gtin', pattern: '^\\d{13}$' },
  UK: { target: 'item.gtin', convert: 'gtin', pattern: '^\\d{14}$' },
  UA: { target: 'item.gtin', convert: 'gtin', pattern: '^\\d{8}$' },
  SK: { target: 'item.sku' },
  MG: { target: 'item.manufacturerPartNumber' },
} as const;

export const productPairs = (n: number) => pairs(n, PRODUCT_IDS, 'ext.edi.productIds');

/** GTIN qualifiers only, for segments with a single pair next to a vendor item element (W12). */
export const gtinPair = pairs(1, { UK: PRODUCT_IDS.UK, UP: PRODUCT_IDS.UP, EN: PRODUCT_IDS.EN, UA: PRODUCT_IDS.UA }, 'ext.edi.productIds');

/** ITD: terms type code, discount %, discount days, net days, description. */
export const paymentTerms = seg('ITD', {
  1: f('paymentTerms.code'),
  3: f('paymentTerms.discountPercent', 'decimal'),
  5: f('paymentTerms.discountDays', 'int'),
  7: f('paymentTerms.netDays', 'int'),
  12: f('paymentTerms.description'),
});

/** Any REF / DTM / N9 the map has no specific place for, kept with its qualifier. */
export const references = (tag: 'REF' | 'N9', target = 'ext.edi.references') =>
  seg(tag, { 1: f('qualifier'), 2: f('value'), 3: f('description') }, { many: target, inboundOnly: true });
export const dates = (tag: 'DTM' | 'G62', target = 'ext.edi.dates') =>
  seg(tag, { 1: f('qualifier'), 2: f('date'), 3: f('time') }, { many: target, inboundOnly: true });

/**
 * Header notes where the set has no header NTE (850, 855): an N9*L1 loop whose MSG segments are the
 * notes. `_n9` marks the loop in the record; `withNoteBlock` / `withoutNoteBlock` add and remove it.
 */
export const noteBlock = loop('/_n9', false, [seg('N9', { 1: q('L1'), 2: f('ref') }), seg('MSG', { 1: f('text') }, { many: '/notes' })]);
export function withNoteBlock(record: Rec): Rec {
  return Array.isArray(record.notes) && record.notes.length > 0 ? { ...record, _n9: { ref: 'NOTES' } } : record;
}
export function withoutNoteBlock(record: Rec): Rec {
  const { _n9: _, ...rest } = record;
  return rest;
}

/** FOB01 shipment method of payment (DE 146). */
export const FREIGHT_TERMS = { PP: 'prepaid', CC: 'collect', TP: 'third-party', PC: 'prepaid-and-add' } as const;

/** A qualified date into a canonical field (DTM*002 → requested delivery date). */
export const date = (tag: 'DTM' | 'G62', qualifier: string, target: string, convert: 'date' | 'timestamp' = 'date') =>
  seg(tag, { 1: q(qualifier), 2: f(target, convert) });

/** NTE01 reference codes (DE 363) with a canonical note kind; another code keeps the segment raw too. */
export const NOTE_KINDS = { GEN: 'general', SPH: 'packing', DEL: 'delivery', WHI: 'packing', INV: 'invoice', CUS: 'customer' } as const;

export const notes = (tag: 'NTE' | 'MSG', target = 'notes'): MapNode =>
  seg(tag, tag === 'NTE' ? { 1: e('kind', NOTE_KINDS), 2: f('text') } : { 1: f('text') }, { many: target });

export const currency = seg('CUR', { 1: fd('/ext.edi.currencyEntity', 'BY'), 2: f('currency', 'upper') });

export const freight = seg('FOB', { 1: e('shipping.freightTerms', FREIGHT_TERMS) });
