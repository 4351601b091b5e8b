import { itemFromKeptIds, prune } from '../engine/finish.js';
import { count, defineEdiMap, e, f, fd, loop, type MapNode, q, seg } from '../engine/map-format.js';
import { isRec, type Rec, records, str } from '../engine/paths.js';
import { addressLoop, date, dates, partyLoop, productPairs, references } from './common.js';

/** BSN01 transaction set purpose (DE 353). */
const PURPOSE = { '00': 'original', '05': 'replace', '01': 'cancel', '03': 'cancel' } as const;
/** TD107/TD108 weight unit (DE 355). */
const WEIGHT_UNIT = { LB: 'lb', KG: 'kg', OZ: 'oz', GR: 'g' } as const;

const hl = (level: string, extra: Record<string, ReturnType<typeof f>> = {}) =>
  seg('HL', { 1: f('id'), 2: f('parent'), 3: q(level), '3/level': f('level'), ...extra });

const itemBody: MapNode[] = [
  seg('LIN', { 1: f('lineNumber'), 2: productPairs(15) }),
  seg('SN1', {
    2: f('quantity.value', 'decimal'),
    3: f('quantity.uom', 'upper'),
    5: f('orderedQuantity.value', 'decimal'),
    6: f('orderedQuantity.uom', 'upper'),
  }),
  seg('PID', { 1: q('F'), 5: f('item.description') }),
  seg('LOT', { 1: f('ext.edi.lot') }),
];

const packBody: MapNode[] = [
  seg('PO4', { 1: f('ext.edi.pack') }),
  seg('MAN', { 1: q('GM'), 2: f('sscc', 'sscc') }),
  seg('MAN', { 1: q('CP'), 2: f('trackingNumber') }),
  seg('TD1', { 6: q('G'), 7: f('weight.value', 'decimal'), 8: e('weight.unit', WEIGHT_UNIT) }),
];

/**
 * X12 856 Ship Notice/Manifest ↔ AdvanceShipNotice. The HL levels (S shipment, O order, T tare, P pack,
 * I item) are read flat into `_hl` with their id and parent; `toCanonical` rebuilds the tree.
 */
export const x12Asn856 = defineEdiMap({
  id: 'x12.856.advanceshipnotice',
  standard: 'x12',
  documentType: '856',
  functionalId: 'SH',
  versions: ['004010', '005010'],
  canonical: 'advanceshipnotice.v1',
  nodes: [
    seg(
      'BSN',
      {
        1: e('purpose', PURPOSE, '00'),
        2: f('asnNumber'),
        3: f('shippedAt', 'timestamp'),
        4: fd('ext.edi.shipTime', '0000'),
        5: f('ext.edi.structure'),
      },
      { always: true },
    ),
    loop('/_hl', true, [
      hl('S'),
      seg('TD1', {
        1: f('/ext.edi.packagingCode'),
        2: f('/packageCount', 'int'),
        6: q('G'),
        7: f('/grossWeight.value', 'decimal'),
        8: e('/grossWeight.unit', WEIGHT_UNIT),
      }),
      seg('TD5', { 2: q('2'), 3: f('/carrier.scac', 'scac'), 5: f('/carrier.service') }),
      seg('TD3', { 2: f('/ext.edi.equipmentInitial'), 3: f('/trailerNumber'), 9: f('/sealNumber') }),
      seg('REF', { 1: q('BM'), 2: f('/billOfLading') }),
      seg('REF', { 1: q('CN'), 2: f('/proNumber') }),
      seg('REF', { 1: q('2I'), 2: f('/ext.edi.trackingNumber') }),
      references('REF', '/ext.edi.references'),
      date('DTM', '011', '/ext.edi.shipDate'),
      date('DTM', '017', '/eta', 'timestamp'),
      dates('DTM', '/ext.edi.dates'),
      addressLoop('ST', '/shipToAddress'),
      addressLoop('SF', '/shipFrom'),
      partyLoop('SH', '/shipper'),
      partyLoop('BY', '/receiver'),
    ]),
    loop('/_hl', true, [
      hl('O'),
      seg('PRF', { 1: f('customerPoNumber'), 4: f('ext.edi.poDate', 'date') }),
      references('REF'),
      partyLoop('BY', 'ext.edi.buyer'),
    ]),
    loop('/_hl', true, [hl('T'), ...packBody]),
    loop('/_hl', true, [hl('P'), ...packBody]),
    loop('/_hl', true, [hl('I'), ...itemBody], 'ext.edi.segments'),
    seg('CTT', { 1: count('/_hl') }),
  ],
  toCanonical: (record, ctx) => [assemble(record, ctx.documentKey, ctx.envelope.timestamp ?? '')],
  fromCanonical: ([first]) => flatten(isRec(first) ? first : {}),
});

function toItem(i: Rec): Rec {
  const { id: _id, parent: _parent, level: _level, ...rest } = i;
  return rest;
}

function assemble(record: Rec, id: string, fallbackTime: string): unknown {
  const levels = records(record._hl);
  const byId = new Map(levels.map((l) => [str(l.id) ?? '', l]));
  const parentOf = (l: Rec) => byId.get(str(l.parent) ?? '');
  const ancestor = (l: Rec, level: string): Rec | undefined => {
    for (let p = parentOf(l), guard = 0; p && guard < 50; p = parentOf(p), guard++) if (p.level === level) return p;
    return undefined;
  };
  const items = levels.filter((l) => l.level === 'I');
  itemFromKeptIds(items);
  const orders = levels.filter((l) => l.level === 'O');
  const packs = levels.filter((l) => l.level === 'P' || l.level === 'T');
  const orderOf = (l: Rec) => ancestor(l, 'O');
  const asnNumber = str(record.asnNumber) ?? id;
  const built = orders.map((o) => ({
    order: { number: str(o.customerPoNumber) ?? asnNumber },
    customerPoNumber: o.customerPoNumber,
    packs: packs
      .filter((p) => orderOf(p) === o)
      .map((p) => {
        const parent = parentOf(p);
        return {
          sscc: p.sscc,
          parentSscc: parent?.level === 'T' ? parent.sscc : undefined,
          packageType: p.level === 'T' ? 'pallet' : 'carton',
          trackingNumber: p.trackingNumber,
          weight: p.weight,
          items: items.filter((i) => parentOf(i) === p).map(toItem),
        };
      }),
    items: items.filter((i) => parentOf(i) === o).map(toItem),
  }));
  // Items outside any order level (S → I, S → P → I) still belong to the shipment.
  const orphanPacks = packs.filter((p) => !orderOf(p));
  const orphanItems = items.filter((i) => !orderOf(i) && !packs.includes(parentOf(i) ?? {}));
  if (built.length === 0 || orphanPacks.length > 0 || orphanItems.length > 0) {
    built.push({
      order: { number: asnNumber },
      customerPoNumber: undefined,
      packs: orphanPacks.map((p) => ({
        sscc: p.sscc,
        parentSscc: undefined,
        packageType: p.level === 'T' ? 'pallet' : 'carton',
        trackingNumber: p.trackingNumber,
        weight: p.weight,
        items: items.filter((i) => parentOf(i) === p).map(toItem),
      })),
      items: orphanItems.map(toItem),
    });
  }
  const { _hl: _, ...rest } = record;
  // AsnOrder has no ext of its own: order-level extras (REF, N1*BY) are kept on the ASN, by order.
  const orderExt = orders
    .filter((o) => isRec(o.ext))
    .map((o) => ({ order: str(o.customerPoNumber) ?? str(o.id), ...(isRec(o.ext) ? o.ext : {}) }));
  const ext = isRec(rest.ext) ? rest.ext : {};
  const edi = isRec(ext.edi) ? ext.edi : {};
  const asn: Rec = { ...rest, id, orders: built, ext: { ...ext, edi: { ...edi, ...(orderExt.length > 0 ? { orders: orderExt } : {}) } } };
  if (typeof asn.shippedAt !== 'string') asn.shippedAt = fallbackTime;
  const tracking = isRec(asn.ext) && isRec(asn.ext.edi) ? str(asn.ext.edi.trackingNumber) : undefined;
  if (tracking) asn.trackingNumbers = [tracking];
  return prune(asn);
}

function flatten(asn: Rec): Rec {
  const hls: Rec[] = [];
  let next = 1;
  const add = (level: string, parent: string | undefined, fields: Rec): string => {
    const id = String(next++);
    hls.push({ ...fields, id, ...(parent ? { parent } : {}), level });
    return id;
  };
  const s = add('S', undefined, {});
  const asnNumber = str(asn.asnNumber);
  for (const o of records(asn.orders)) {
    const order = isRec(o.order) ? o.order : {};
    // PRF01 is the buyer's PO number; an order that stood in for a missing one (its number = the ASN's) writes none.
    const number = str(order.number);
    const oid = add('O', s, { customerPoNumber: str(o.customerPoNumber) ?? (number !== asnNumber ? number : undefined) });
    for (const p of records(o.packs)) {
      const pid = add(p.packageType === 'pallet' ? 'T' : 'P', oid, { sscc: p.sscc, trackingNumber: p.trackingNumber, weight: p.weight });
      for (const i of records(p.items)) add('I', pid, i);
    }
    for (const i of records(o.items)) add('I', oid, i);
  }
  const tracking = Array.isArray(asn.trackingNumbers) ? str(asn.trackingNumbers[0]) : undefined;
  const ext = isRec(asn.ext) ? asn.ext : {};
  const edi = isRec(ext.edi) ? ext.edi : {};
  return { ...asn, ext: { ...ext, edi: { ...edi, ...(tracking ? { trackingNumber: tracking } : {}) } }, _hl: hls };
}
