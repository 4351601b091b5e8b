import { numberLines, prune } from '../engine/finish.js';
import { defineEdiMap, f, fd, loop, q, seg } from '../engine/map-format.js';
import { isRec, type Rec, records, str } from '../engine/paths.js';
import { anyDtm, anyRff, dtm, imd, itemsToIds, pia, resolveItems } from './common.js';

/**
 * QTY 6063 qualifiers with a canonical place (EANCOM INVRPT): 145 actual stock (on hand), 66
 * committed quantity (allocated), 89 quality control held (quality hold), 198 quantity in transit.
 * Every other qualifier (124 damaged goods, 146 target stock, 197 reordering level, …) is kept in
 * `ext.edi.quantities` and written back as it came.
 */
const ON_HAND = '145';
const COMMITTED = '66';
const QC_HELD = '89';
const IN_TRANSIT = '198';
const PLACED = new Set([ON_HAND, COMMITTED, QC_HELD, IN_TRANSIT]);

const quantityOf = (x: Rec) => ({ value: str(x.value) ?? '0', uom: str(x.uom) ?? 'EA' });

/**
 * EDIFACT INVRPT (D.96A / D.01B) ↔ InventoryPosition: one position per LIN at the NAD WH (or LOC 18)
 * location, DTM 137/366 as the report time, QTY 145 as on hand.
 */
export const edifactInventoryReport = defineEdiMap({
  id: 'edifact.invrpt.inventoryposition',
  standard: 'edifact',
  documentType: 'INVRPT',
  versions: ['D:96A', 'D:01B'],
  canonical: 'inventoryposition.v1',
  nodes: [
    seg(
      'BGM',
      { '1.1': fd('ext.edi.documentName', '35'), '2.1': fd('ext.edi.reportNumber', 'INVENTORY'), 3: fd('ext.edi.messageFunction', '9') },
      { always: true },
    ),
    dtm('137', 'asOf', 'timestamp'),
    seg('DTM', { '1.1': q('366'), '1.2': f('ext.edi.reportDate', 'stamp') }, { inboundOnly: true }),
    anyDtm,
    anyRff,
    loop('location', false, [seg('NAD', { 1: q('WH'), '2.1': f('code'), '4.1': f('name') })]),
    loop(
      'items',
      true,
      [
        seg('LIN', { 1: f('ext.edi.lineNumber'), '3.1': f('ext.edi.itemId'), '3.2': f('ext.edi.itemType') }),
        pia,
        imd,
        seg('LOC', { 1: q('18'), '2.1': f('/location.code') }, { inboundOnly: true }),
        seg('QTY', { '1.1': f('qualifier'), '1.2': f('value', 'decimal'), '1.3': f('uom', 'upper') }, { many: 'quantities' }),
      ],
      'ext.edi.segments',
    ),
  ],
  toCanonical: (record, ctx) => {
    const items = records(record.items);
    numberLines(items, 'lineNumber');
    resolveItems(items);
    const asOf =
      str(record.asOf) ?? str(isRec(record.ext) && isRec(record.ext.edi) ? record.ext.edi.reportDate : undefined) ?? ctx.envelope.timestamp;
    const location = isRec(record.location) && str(record.location.code) ? record.location : { code: ctx.partner || 'unknown' };
    return items.map((it, i) => {
      const all = records(it.quantities);
      const first = (qualifier: string) => all.find((x) => x.qualifier === qualifier);
      const found = first(ON_HAND);
      const committed = first(COMMITTED);
      const held = first(QC_HELD);
      const transit = all.filter((x) => x.qualifier === IN_TRANSIT);
      // A second QTY with a placed qualifier has no canonical place: it stays with the others.
      const others = all.filter(
        (x) => !(PLACED.has(str(x.qualifier) ?? '') && (x === first(str(x.qualifier) ?? '') || x.qualifier === IN_TRANSIT)),
      );
      const ext = isRec(it.ext) && isRec(it.ext.edi) ? it.ext.edi : {};
      return prune({
        id: `${ctx.documentKey}:${i + 1}`,
        item: it.item,
        location,
        asOf,
        source: 'edifact',
        onHand: found ? quantityOf(found) : { value: '0', uom: 'EA' },
        ...(committed ? { allocated: quantityOf(committed) } : {}),
        ...(held ? { qualityHold: quantityOf(held) } : {}),
        ...(transit.length > 0 ? { inTransit: transit.map((x) => ({ quantity: quantityOf(x) })) } : {}),
        ext: { edi: { ...ext, ...(others.length > 0 ? { quantities: others } : {}), envelope: { ...ctx.envelope } } },
      });
    });
  },
  fromCanonical: (positions) => {
    const list = positions.filter(isRec);
    const first = list[0] ?? {};
    const items = list.map((p, i): Rec => {
      const ext = isRec(p.ext) && isRec(p.ext.edi) ? p.ext.edi : {};
      const qty = (qualifier: string, q: unknown) => (isRec(q) ? [{ qualifier, value: q.value, uom: q.uom }] : []);
      const transit = records(p.inTransit).flatMap((t) => qty(IN_TRANSIT, t.quantity));
      return {
        lineNumber: String(i + 1),
        item: p.item,
        quantities: [
          ...qty(ON_HAND, p.onHand),
          ...qty(COMMITTED, p.allocated),
          ...qty(QC_HELD, p.qualityHold),
          ...transit,
          ...records(ext.quantities),
        ],
        ext: { edi: { lineNumber: String(i + 1) } },
      };
    });
    return { asOf: first.asOf, location: first.location, items: itemsToIds(items) };
  },
});
