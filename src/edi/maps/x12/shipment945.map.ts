import { itemFromKeptIds, prune } from '../engine/finish.js';
import { defineEdiMap, f, fd, fr, loop, q, seg } from '../engine/map-format.js';
import { isRec, type Rec, records, str } from '../engine/paths.js';
import { addressLoop, dates, gtinPair, locationLoop, partyLoop, references } from './common.js';

/** X12 945 Warehouse Shipping Advice ↔ Shipment (status dispatched): W06, N1 loops, W27 carrier, LX/W12 lines. */
export const x12Shipment945 = defineEdiMap({
  id: 'x12.945.shipment',
  standard: 'x12',
  documentType: '945',
  functionalId: 'SW',
  versions: ['004010', '005010'],
  canonical: 'shipment.v1',
  nodes: [
    seg(
      'W06',
      {
        1: fd('ext.edi.reportingCode', 'F'),
        2: f('ext.edi.depositorOrderNumber'),
        3: f('shippedAt', 'timestamp'),
        4: f('shipmentNumber'),
        5: f('ext.edi.agentShipmentId'),
        6: f('ext.edi.purchaseOrderNumber'),
      },
      { always: true },
    ),
    addressLoop('ST', 'shipTo'),
    addressLoop('CN', 'shipTo'),
    locationLoop('SF', 'shipFrom'),
    locationLoop('WH', 'shipFrom'),
    partyLoop('DE', 'ext.edi.depositor'),
    seg('N9', { 1: q('BM'), 2: f('billOfLading') }),
    seg('N9', { 1: q('PRO'), 2: f('proNumber') }),
    references('N9'),
    dates('G62'),
    seg('W27', { 1: f('ext.edi.transportMethod'), 2: f('carrier.scac', 'scac'), 3: f('carrier.name') }),
    loop(
      'lines',
      true,
      [
        seg('LX', { 1: f('lineNumber') }),
        seg('W12', {
          1: f('ext.edi.status'),
          2: f('ext.edi.orderedQuantity', 'decimal'),
          3: f('quantity.value', 'decimal'),
          5: f('quantity.uom', 'upper'),
          6: fr('item.gtin', 'gtin'),
          7: f('item.supplierItemNumber'),
          8: gtinPair,
          10: f('ext.edi.lot'),
        }),
        seg('N9', { 1: q('LV'), 2: f('ext.edi.sscc') }, { many: 'ext.edi.packages' }),
        references('N9'),
      ],
      'ext.edi.segments',
    ),
    seg('W03', { 1: f('ext.edi.totalUnits', 'decimal'), 2: f('ext.edi.totalWeight', 'decimal'), 3: f('ext.edi.weightUnit') }),
  ],
  toCanonical: (record, ctx) => {
    const s: Rec = { ...record, id: ctx.documentKey, status: 'dispatched' };
    const ext = isRec(s.ext) && isRec(s.ext.edi) ? s.ext.edi : {};
    const orderNumber = str(ext.depositorOrderNumber);
    if (orderNumber) s.orders = [{ number: orderNumber }];
    const lines = records(s.lines);
    itemFromKeptIds(lines);
    for (const line of lines) {
      const le = isRec(line.ext) && isRec(line.ext.edi) ? line.ext.edi : {};
      const lot = str(le.lot);
      if (lot) line.lots = [{ lot }];
      if (orderNumber) line.order = { number: orderNumber };
      if (!isRec(line.quantity)) line.quantity = { value: '0', uom: 'EA' };
    }
    s.ext = { ...(isRec(s.ext) ? s.ext : {}), edi: { ...ext, envelope: { ...ctx.envelope } } };
    return [prune(s)];
  },
  fromCanonical: ([first]) => {
    const s = isRec(first) ? { ...first } : {};
    const ext = isRec(s.ext) ? s.ext : {};
    const edi = isRec(ext.edi) ? ext.edi : {};
    const order = records(s.orders)[0];
    const lines = records(s.lines).map((l) => {
      const lotNumber = records(l.lots)[0]?.lot;
      const le = isRec(l.ext) && isRec(l.ext.edi) ? l.ext.edi : {};
      return {
        ...l,
        ext: { ...(isRec(l.ext) ? l.ext : {}), edi: { ...le, ...(typeof lotNumber === 'string' ? { lot: lotNumber } : {}) } },
      };
    });
    return { ...s, lines, ext: { ...ext, edi: { ...edi, depositorOrderNumber: edi.depositorOrderNumber ?? order?.number } } };
  },
});
