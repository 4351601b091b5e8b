import { itemFromKeptIds, prune } from '../engine/finish.js';
import { defineEdiMap, f, fd, loop, q, seg } from '../engine/map-format.js';
import { isRec, type Rec, records, str } from '../engine/paths.js';
import { dates, locationLoop, partyLoop, productPairs, references } from './common.js';

/** QTY01 qualifiers (DE 673) with a canonical place: 17 on hand, 33 available for sale, 38 on hold. Others stay in `ext`. */
const ON_HAND = '17';
const AVAILABLE = '33';
const ON_HOLD = '38';

/** X12 846 Inventory Inquiry/Advice ↔ InventoryPosition: one position per LIN, at the N1*WH/ST location. */
export const x12Inventory846 = defineEdiMap({
  id: 'x12.846.inventoryposition',
  standard: 'x12',
  documentType: '846',
  functionalId: 'IB',
  versions: ['004010', '005010'],
  canonical: 'inventoryposition.v1',
  nodes: [
    seg(
      'BIA',
      {
        1: fd('ext.edi.purpose', '00'),
        2: fd('ext.edi.reportType', 'SI'),
        3: fd('ext.edi.reference', 'INVENTORY'),
        4: f('asOf', 'timestamp'),
        5: f('ext.edi.time', 'time'),
      },
      { always: true },
    ),
    references('REF'),
    dates('DTM'),
    partyLoop('SU', 'ext.edi.supplier'),
    locationLoop('WH', 'location'),
    locationLoop('ST', 'location'),
    loop(
      'items',
      true,
      [
        seg('LIN', { 1: f('ext.edi.lineNumber'), 2: productPairs(15) }),
        seg('PID', { 1: q('F'), 5: f('item.description') }),
        seg('QTY', { 1: f('qualifier'), 2: f('value', 'decimal'), 3: f('uom', 'upper') }, { many: 'quantities' }),
        dates('DTM'),
      ],
      'ext.edi.segments',
    ),
  ],
  toCanonical: (record, ctx) => {
    const items = records(record.items);
    itemFromKeptIds(items);
    const asOf = str(record.asOf) ?? ctx.envelope.timestamp;
    const location = isRec(record.location) ? record.location : { code: ctx.partner || 'unknown' };
    return items.map((it, i) => {
      const qty = (qualifier: string) => {
        const found = records(it.quantities).find((x) => x.qualifier === qualifier);
        return found ? { value: str(found.value) ?? '0', uom: str(found.uom) ?? 'EA' } : undefined;
      };
      const others = records(it.quantities).filter((x) => ![ON_HAND, AVAILABLE, ON_HOLD].includes(String(x.qualifier)));
      const ext = isRec(it.ext) ? it.ext : {};
      const edi = isRec(ext.edi) ? ext.edi : {};
      const header = isRec(record.ext) && isRec(record.ext.edi) ? record.ext.edi : {};
      return prune({
        id: `${ctx.documentKey}:${i + 1}`,
        item: it.item,
        location,
        asOf,
        source: 'x12',
        onHand: qty(ON_HAND) ?? qty(AVAILABLE) ?? { value: '0', uom: 'EA' },
        reportedAvailable: qty(AVAILABLE),
        qualityHold: qty(ON_HOLD),
        ext: { edi: { ...header, ...edi, ...(others.length > 0 ? { quantities: others } : {}), envelope: { ...ctx.envelope } } },
      });
    });
  },
  fromCanonical: (positions) => {
    const list = positions.filter(isRec);
    const first = list[0] ?? {};
    const items = list.map((p): Rec => {
      const quantities: Rec[] = [];
      const push = (qualifier: string, q: unknown) => {
        if (isRec(q)) quantities.push({ qualifier, value: q.value, uom: q.uom });
      };
      push(ON_HAND, p.onHand);
      push(AVAILABLE, p.reportedAvailable);
      push(ON_HOLD, p.qualityHold);
      const ext = isRec(p.ext) && isRec(p.ext.edi) ? p.ext.edi : {};
      for (const q of records(ext.quantities)) quantities.push(q);
      return { item: p.item, quantities, ext: { edi: { productIds: ext.productIds } } };
    });
    return { asOf: first.asOf, location: first.location, items };
  },
});
