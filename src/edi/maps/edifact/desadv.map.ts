import { prune } from '../engine/finish.js';
import { defineEdiMap, e, f, fd, loop, type MapNode, q, seg } from '../engine/map-format.js';
import { isRec, type Rec, records, str } from '../engine/paths.js';
import { anyDtm, anyRff, dtm, imd, itemsToIds, nadAddress, nadParty, pia, resolveItems } from './common.js';

/** BGM 1225 message function → ASN purpose. */
const PURPOSE = { '9': 'original', '5': 'replace', '1': 'cancel', '3': 'cancel' } as const;

const lineBody: [ReturnType<typeof seg>, ...MapNode[]] = [
  seg('LIN', { 1: f('ext.edi.lineNumber'), '3.1': f('ext.edi.itemId'), '3.2': f('ext.edi.itemType') }),
  pia,
  imd,
  seg('QTY', { '1.1': q('12'), '1.2': f('quantity.value', 'decimal'), '1.3': f('quantity.uom', 'upper') }),
  seg('QTY', { '1.1': q('21'), '1.2': f('orderedQuantity.value', 'decimal'), '1.3': f('orderedQuantity.uom', 'upper') }),
  seg('RFF', { '1.1': q('ON'), '1.2': f('order'), '1.3': f('lineNumber') }),
];

/**
 * EDIFACT DESADV (D.96A / D.01B) ↔ AdvanceShipNotice. The CPS hierarchy (CPS 7164 id, 7166 parent)
 * is read flat into `_cps` (each with its PAC, GIN BJ SSCC and LIN items); `toCanonical` rebuilds
 * orders (by the lines' RFF ON, else the header's) → packs (a CPS with an SSCC) → items.
 */
export const edifactDespatchAdvice = defineEdiMap({
  id: 'edifact.desadv.advanceshipnotice',
  standard: 'edifact',
  documentType: 'DESADV',
  versions: ['D:96A', 'D:01B'],
  canonical: 'advanceshipnotice.v1',
  nodes: [
    seg('BGM', { '1.1': fd('ext.edi.documentName', '351'), '2.1': f('asnNumber'), 3: e('purpose', PURPOSE, '9') }, { always: true }),
    dtm('137', 'ext.edi.documentDate', 'timestamp'),
    dtm('11', 'shippedAt', 'timestamp'),
    dtm('132', 'eta', 'timestamp'),
    dtm('17', 'deliveryDate'),
    anyDtm,
    seg('RFF', { '1.1': q('ON'), '1.2': f('ext.edi.order') }),
    seg('RFF', { '1.1': q('BM'), '1.2': f('billOfLading') }),
    anyRff,
    nadParty('SU', 'shipper'),
    nadParty('SE', 'shipper'),
    nadParty('BY', 'receiver'),
    loop('shipTo', false, [seg('NAD', { 1: q('DP'), '2.1': f('code'), '4.1': f('name') })]),
    nadAddress('ST', 'shipToAddress'),
    seg('TDT', { 1: q('20'), '5.1': f('carrier.scac'), '5.4': f('carrier.name') }),
    loop(
      '/_cps',
      true,
      [
        seg('CPS', { 1: f('id'), 2: f('parent') }),
        seg('PAC', { 1: f('count', 'int'), '3.1': f('packType') }),
        seg('GIN', { 1: q('BJ'), '2.1': f('sscc', 'sscc') }),
        seg('GIN', { 1: q('CN'), '2.1': f('trackingNumber') }),
        loop('items', true, lineBody, 'ext.edi.segments'),
      ],
      'ext.edi.segments',
    ),
  ],
  toCanonical: (record, ctx) => [assemble(record, ctx.documentKey, ctx.envelope.timestamp ?? '')],
  fromCanonical: ([first]) => flatten(isRec(first) ? first : {}),
});

function toItem(i: Rec): Rec {
  const { order: _o, ...rest } = i;
  return rest;
}

function assemble(record: Rec, id: string, fallbackTime: string): unknown {
  const levels = records(record._cps);
  for (const l of levels) resolveItems(l.items);
  const byId = new Map(levels.map((l) => [str(l.id) ?? '', l]));
  const header = isRec(record.ext) && isRec(record.ext.edi) ? str(record.ext.edi.order) : undefined;
  const asnNumber = str(record.asnNumber) ?? id;
  const orders = new Map<string, { packs: Rec[]; items: Rec[] }>();
  const orderOf = (n: string) => {
    const found = orders.get(n) ?? { packs: [], items: [] };
    orders.set(n, found);
    return found;
  };
  for (const level of levels) {
    const items = records(level.items);
    const sscc = str(level.sscc);
    if (sscc) {
      const parent = byId.get(str(level.parent) ?? '');
      const number = str(items[0]?.order) ?? header ?? asnNumber;
      orderOf(number).packs.push({
        sscc,
        parentSscc: str(parent?.sscc),
        packageType: items.length === 0 ? 'pallet' : 'carton',
        trackingNumber: level.trackingNumber,
        items: items.map(toItem),
      });
      continue;
    }
    for (const item of items) orderOf(str(item.order) ?? header ?? asnNumber).items.push(toItem(item));
  }
  if (orders.size === 0) orderOf(header ?? asnNumber);
  const { _cps: _, ...rest } = record;
  const asn: Rec = {
    ...rest,
    id,
    orders: [...orders.entries()].map(([number, o]) => ({
      order: { number },
      ...(number !== asnNumber ? { customerPoNumber: number } : {}),
      packs: o.packs,
      items: o.items,
    })),
  };
  // The packaging hierarchy itself (PAC counts, PCI, GIN ML lot ids…) has no canonical place: kept in `ext`.
  const packaging = levels.map((l) => ({ id: l.id, parent: l.parent, count: l.count, packType: l.packType, ext: l.ext }));
  const ext = isRec(asn.ext) ? asn.ext : {};
  const edi = isRec(ext.edi) ? ext.edi : {};
  asn.ext = { ...ext, edi: { ...edi, packaging } };
  if (typeof asn.shippedAt !== 'string') asn.shippedAt = fallbackTime;
  return prune(asn);
}

function flatten(asn: Rec): Rec {
  const levels: Rec[] = [{ id: '1' }];
  let next = 2;
  const orders = records(asn.orders);
  for (const o of orders) {
    const order = isRec(o.order) ? str(o.order.number) : undefined;
    const withOrder = (items: unknown) => itemsToIds(records(items).map((i) => ({ ...i, order })));
    for (const p of records(o.packs))
      levels.push({ id: String(next++), parent: '1', count: 1, sscc: p.sscc, trackingNumber: p.trackingNumber, items: withOrder(p.items) });
    if (records(o.items).length > 0) levels.push({ id: String(next++), parent: '1', items: withOrder(o.items) });
  }
  const ext = isRec(asn.ext) ? asn.ext : {};
  const edi = isRec(ext.edi) ? ext.edi : {};
  const first = orders[0] && isRec(orders[0].order) ? str(orders[0].order.number) : undefined;
  return { ...asn, ext: { ...ext, edi: { ...edi, order: orders.length === 1 ? first : undefined } }, _cps: levels };
}
