import { defineEdiMap, e, f, fd, fr, loop, q, seg } from '../engine/map-format.js';
import { isRec } from '../engine/paths.js';
import { addressLoop, dates, FREIGHT_TERMS, locationLoop, notes, partyLoop, productPairs, references } from './common.js';
import { finishOrder } from './finish-order.js';

/**
 * X12 940 Warehouse Shipping Order ↔ SalesOrder. The canonical model has no separate warehouse order:
 * a 940 is the sales order as released to a warehouse, so it maps to SalesOrder with `shipFrom` = the
 * N1*WH warehouse, `orderNumber` = W0502 depositor order number, and `ext.edi.documentType` = `940`.
 */
export const x12WarehouseOrder940 = defineEdiMap({
  id: 'x12.940.salesorder',
  standard: 'x12',
  documentType: '940',
  functionalId: 'OW',
  versions: ['004010', '005010'],
  canonical: 'salesorder.v1',
  nodes: [
    seg(
      'W05',
      {
        1: fd('ext.edi.orderStatus', 'N'),
        2: f('orderNumber'),
        3: f('customerPoNumber'),
        4: f('ext.edi.linkNumber'),
        5: f('ext.edi.masterReference'),
      },
      { always: true },
    ),
    addressLoop('ST', 'shipTo'),
    addressLoop('BT', 'billTo'),
    locationLoop('WH', 'shipFrom'),
    partyLoop('DE', 'ext.edi.depositor'),
    partyLoop('BY', 'customer'),
    references('N9'),
    seg('G62', { 1: q('10'), 2: f('requestedShipDate', 'date') }),
    seg('G62', { 1: q('02'), 2: f('requestedDeliveryDate', 'date') }),
    seg('G62', { 1: q('04'), 2: f('orderDate', 'timestamp') }),
    dates('G62'),
    notes('NTE'),
    seg('W66', {
      1: e('shipping.freightTerms', FREIGHT_TERMS),
      2: f('ext.edi.transportMethod'),
      5: f('shipping.method'),
      10: f('shipping.carrier.scac', 'scac'),
    }),
    loop(
      'lines',
      true,
      [
        seg('LX', { 1: f('lineNumber') }),
        seg('W01', { 1: f('quantity.value', 'decimal'), 2: f('quantity.uom', 'upper'), 3: fr('item.gtin', 'gtin'), 4: productPairs(2) }),
        seg('G69', { 1: f('description') }),
        references('N9'),
        notes('NTE'),
      ],
      'ext.edi.segments',
    ),
    seg('W76', { 1: f('ext.edi.totalQuantity', 'decimal') }),
  ],
  toCanonical: (record, ctx) => {
    const order = finishOrder(record, ctx);
    const ext = isRec(order.ext) ? order.ext : {};
    order.ext = { ...ext, edi: { ...(isRec(ext.edi) ? ext.edi : {}), documentType: '940' } };
    return [order];
  },
});
