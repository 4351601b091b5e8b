import { namesParty } from '../engine/finish.js';
import { count, defineEdiMap, f, fd, loop, type MapNode, q, retarget, seg } from '../engine/map-format.js';
import { isRec } from '../engine/paths.js';
import {
  addressLoop,
  currency,
  date,
  dates,
  freight,
  locationLoop,
  noteBlock,
  notes,
  partyLoop,
  paymentTerms,
  productPairs,
  references,
  withNoteBlock,
  withoutNoteBlock,
} from './common.js';
import { finishOrder } from './finish-order.js';

/**
 * X12 850 Purchase Order. The templates target SalesOrder fields (an 850 received from a retailer);
 * the PurchaseOrder map reuses them with its own names (an 850 we send to a supplier).
 */
const salesOrderNodes: MapNode[] = [
  seg(
    'BEG',
    {
      1: fd('ext.edi.purpose', '00'),
      2: fd('ext.edi.orderTypeCode', 'SA'),
      3: f('customerPoNumber'),
      4: f('ext.edi.releaseNumber'),
      5: f('orderDate', 'timestamp'),
    },
    { always: true },
  ),
  currency,
  references('REF'),
  freight,
  paymentTerms,
  date('DTM', '002', 'requestedDeliveryDate'),
  date('DTM', '010', 'requestedShipDate'),
  date('DTM', '001', 'cancelAfterDate'),
  dates('DTM'),
  seg('TD5', { 2: q('2'), 3: f('shipping.carrier.scac', 'scac'), 5: f('shipping.method') }),
  noteBlock,
  addressLoop('ST', 'shipTo'),
  addressLoop('BT', 'billTo'),
  partyLoop('BY', 'customer'),
  partyLoop('SU', 'ext.edi.supplier'),
  locationLoop('SF', 'shipFrom'),
  loop(
    'lines',
    true,
    [
      seg('PO1', {
        1: f('lineNumber'),
        2: f('quantity.value', 'decimal'),
        3: f('quantity.uom', 'upper'),
        4: f('unitPrice.amount', 'amount'),
        5: f('ext.edi.priceBasis'),
        6: productPairs(10),
      }),
      seg('PID', { 1: q('F'), 5: f('description') }),
      date('DTM', '002', 'requestedDeliveryDate'),
      date('DTM', '010', 'requestedShipDate'),
      dates('DTM'),
      notes('MSG'),
    ],
    'ext.edi.segments',
  ),
  seg('CTT', { 1: count('lines') }),
  seg('AMT', { 1: q('TT'), 2: f('totals.total.amount', 'amount') }),
];

export const x12SalesOrder850 = defineEdiMap({
  id: 'x12.850.salesorder',
  standard: 'x12',
  documentType: '850',
  functionalId: 'PO',
  versions: ['004010', '005010'],
  canonical: 'salesorder.v1',
  nodes: salesOrderNodes,
  toCanonical: (record, ctx) => [finishOrder(withoutNoteBlock(record), ctx)],
  fromCanonical: ([order]) => withNoteBlock(isRec(order) ? order : {}),
});

const purchaseOrderNodes = retarget(salesOrderNodes, {
  customerPoNumber: 'poNumber',
  shipTo: 'shipToAddress',
  customer: 'ext.edi.buyer',
  'ext.edi.supplier': 'supplier',
  shipFrom: 'ext.edi.shipFrom',
});

export const x12PurchaseOrder850 = defineEdiMap({
  id: 'x12.850.purchaseorder',
  standard: 'x12',
  documentType: '850',
  functionalId: 'PO',
  versions: ['004010', '005010'],
  canonical: 'purchaseorder.v1',
  nodes: purchaseOrderNodes,
  fromCanonical: ([order]) => withNoteBlock(isRec(order) ? order : {}),
  toCanonical: (record, ctx) => {
    const order = finishOrder(withoutNoteBlock(record), ctx);
    // An 850 that names no supplier (N1*SU) came from the partner that sent it to us.
    if (!namesParty(order.supplier)) order.supplier = { number: ctx.partner || 'unknown' };
    return [order];
  },
});
