import { gs1CheckDigitValid } from '../../../canonical/index.js';
import { c, e, f, type LoopTemplate, loop, q, seg } from '../engine/map-format.js';
import { isRec, type Rec, records, str } from '../engine/paths.js';

/**
 * Building blocks of the EDIFACT maps (D.96A / D.01B; element numbering per the UNTDID segment
 * directory: NAD C082/C080/C059/3164/3229/3251/3207, LIN C212 7140:7143, PIA C212, QTY C186, PRI C509,
 * MOA C516, DTM C507 with format 102, RFF C506, CUX C504).
 */

/** NAD into an Address (delivery party, invoicee). */
export function nadAddress(qualifier: string, target: string): LoopTemplate {
  return loop(target, false, [
    seg('NAD', {
      1: q(qualifier),
      '2.1': f('locationCode'),
      '2.3': f(`/ext.edi.parties.${qualifier}.codeList`),
      '4.1': f('name'),
      '5.1': f('line1'),
      '5.2': f('line2'),
      6: f('city'),
      7: f('region'),
      8: f('postalCode'),
      9: f('country', 'country'),
    }),
  ]);
}

/** NAD into a PartyRef (buyer, supplier, seller). */
export function nadParty(qualifier: string, target: string): LoopTemplate {
  return loop(target, false, [
    seg('NAD', { 1: q(qualifier), '2.1': f('number'), '2.3': f(`/ext.edi.parties.${qualifier}.codeList`), '4.1': f('name') }),
  ]);
}

export const currency = seg('CUX', { '1.1': c('2'), '1.2': f('currency', 'upper'), '1.3': c('9') });
export const dtm = (qualifier: string, target: string, convert: 'date' | 'timestamp' = 'date') =>
  convert === 'date'
    ? seg('DTM', { '1.1': q(qualifier), '1.2': f(target, 'date'), '1.3': c('102') })
    : seg('DTM', { '1.1': q(qualifier), '1.2': f(target, 'stamp'), '1.3': c('203') });
export const anyDtm = seg(
  'DTM',
  { '1.1': f('qualifier'), '1.2': f('value'), '1.3': f('format') },
  { many: 'ext.edi.dates', inboundOnly: true },
);
export const anyRff = seg('RFF', { '1.1': f('qualifier'), '1.2': f('value') }, { many: 'ext.edi.references', inboundOnly: true });
export const notes = seg(
  'FTX',
  { 1: e('kind', { AAI: 'general', DEL: 'delivery', PKG: 'packing', INV: 'invoice' }), '4.1': f('text') },
  { many: 'notes' },
);

/** LIN item id (C212 7140 + 7143 item type) and PIA additional ids, kept as pairs and resolved in `resolveItems`. */
export const lin = seg('LIN', { 1: f('lineNumber'), '3.1': f('ext.edi.itemId'), '3.2': f('ext.edi.itemType') });
export const pia = seg('PIA', { 1: f('function'), '2.1': f('id'), '2.2': f('qualifier') }, { many: 'ext.edi.productIds' });
export const imd = seg('IMD', { 1: c('F'), '3.4': f('description') });

/** 7143 item type codes with a canonical place. */
const ITEM_TYPES: Record<string, string> = {
  EN: 'gtin',
  UP: 'gtin',
  SRV: 'gtin',
  SA: 'supplierItemNumber',
  IN: 'customerItemNumber',
  BP: 'customerItemNumber',
  MF: 'manufacturerPartNumber',
  MP: 'manufacturerPartNumber',
};

const gtinOk = (v: string) => /^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(v) && gs1CheckDigitValid(v);

/** LIN/PIA ids → `item` (and `item.refs["edi/<type>"]` for types without a canonical place). */
export function resolveItems(lines: unknown, itemKey = 'item'): void {
  for (const line of records(lines)) {
    const ext = isRec(line.ext) && isRec(line.ext.edi) ? line.ext.edi : {};
    const ids: Array<{ id: string; type: string }> = [];
    const linId = str(ext.itemId);
    if (linId) ids.push({ id: linId, type: str(ext.itemType) ?? '' });
    for (const p of records(ext.productIds)) {
      const id = str(p.id);
      if (id) ids.push({ id, type: str(p.qualifier) ?? '' });
    }
    const item: Rec = isRec(line[itemKey]) ? { ...line[itemKey] } : {};
    const refs: Record<string, string> = {};
    for (const { id, type } of ids) {
      const key = ITEM_TYPES[type];
      if (key === 'gtin' && !gtinOk(id)) refs[`edi/${type.toLowerCase()}`] ??= id;
      else if (key && item[key] === undefined) item[key] = id;
      else refs[`edi/${type.toLowerCase() || 'id'}`] ??= id;
    }
    const hasId = ['gtin', 'supplierItemNumber', 'customerItemNumber', 'manufacturerPartNumber', 'sku'].some((k) => item[k] !== undefined);
    if (!hasId && Object.keys(refs).length > 0) item.refs = refs;
    line[itemKey] = item;
  }
}

/** `item` → LIN (GTIN as EN, else the supplier's number as SA) and PIA for the other ids. */
export function itemsToIds(lines: unknown, itemKey = 'item'): Rec[] {
  return records(lines).map((line) => {
    const item = isRec(line[itemKey]) ? line[itemKey] : {};
    const ext = isRec(line.ext) ? line.ext : {};
    const edi = isRec(ext.edi) ? ext.edi : {};
    const ids: Array<[string, string]> = [];
    if (str(item.gtin)) ids.push([String(item.gtin), 'EN']);
    if (str(item.supplierItemNumber)) ids.push([String(item.supplierItemNumber), 'SA']);
    if (str(item.customerItemNumber)) ids.push([String(item.customerItemNumber), 'IN']);
    if (str(item.manufacturerPartNumber)) ids.push([String(item.manufacturerPartNumber), 'MF']);
    // Ids kept as `edi/<type>` refs (an item type without a canonical place) go back out with their type.
    if (ids.length === 0 && isRec(item.refs)) {
      for (const [k, v] of Object.entries(item.refs)) {
        if (k.startsWith('edi/') && typeof v === 'string') ids.push([v, k === 'edi/id' ? '' : k.slice(4).toUpperCase()]);
      }
    }
    const [first, ...rest] = ids;
    return {
      ...line,
      ext: {
        ...ext,
        edi: {
          ...edi,
          itemId: first?.[0],
          itemType: first?.[1],
          productIds: rest.map(([id, qualifier]) => ({ function: '5', id, qualifier })),
        },
      },
    };
  });
}
