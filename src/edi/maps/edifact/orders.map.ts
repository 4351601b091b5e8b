import { fillCurrency, namesParty, numberLines, prune } from '../engine/finish.js';
import { c, count, defineEdiMap, f, fd, loop, type MapNode, q, retarget, seg } from '../engine/map-format.js';
import { isRec, type Rec } from '../engine/paths.js';
import { anyDtm, anyRff, currency, dtm, imd, itemsToIds, lin, nadAddress, nadParty, notes, pia, resolveItems } from './common.js';

const VERSIONS = ['D:96A', 'D:01B'];

/** EDIFACT ORDERS (D.96A / D.01B). The templates target SalesOrder; the PurchaseOrder map renames them. */
const orderNodes: MapNode[] = [
  seg(
    'BGM',
    { '1.1': fd('ext.edi.documentName', '220'), '2.1': f('customerPoNumber'), 3: fd('ext.edi.messageFunction', '9') },
    { always: true },
  ),
  dtm('137', 'orderDate', 'timestamp'),
  dtm('2', 'requestedDeliveryDate'),
  dtm('10', 'requestedShipDate'),
  anyDtm,
  notes,
  anyRff,
  nadParty('BY', 'customer'),
  nadParty('SU', 'ext.edi.supplier'),
  nadAddress('DP', 'shipTo'),
  nadAddress('ST', 'shipTo'),
  nadAddress('IV', 'billTo'),
  currency,
  loop(
    'lines',
    true,
    [
      lin,
      pia,
      imd,
      seg('QTY', { '1.1': q('21'), '1.2': f('quantity.value', 'decimal'), '1.3': f('quantity.uom', 'upper') }),
      dtm('2', 'requestedDeliveryDate'),
      seg('MOA', { '1.1': q('203'), '1.2': f('lineTotal.amount', 'amount') }),
      seg('PRI', { '1.1': q('AAA'), '1.2': f('unitPrice.amount', 'amount') }),
    ],
    'ext.edi.segments',
  ),
  seg('UNS', { 1: c('S') }, { always: true }),
  seg('MOA', { '1.1': q('86'), '1.2': f('totals.total.amount', 'amount') }),
  seg('CNT', { '1.1': c('2'), '1.2': count('lines') }),
];

function finish(record: Rec, id: string, currencyDefault: string, fallbackDate: string): Rec {
  const order: Rec = { ...record, id };
  order.currency ??= currencyDefault;
  if (typeof order.orderDate !== 'string') order.orderDate = `${fallbackDate.slice(0, 10)}T00:00:00Z`;
  numberLines(order.lines);
  resolveItems(order.lines);
  fillCurrency(order, String(order.currency));
  const pruned = prune(order);
  return isRec(pruned) ? pruned : order;
}

export const edifactSalesOrder = defineEdiMap({
  id: 'edifact.orders.salesorder',
  standard: 'edifact',
  documentType: 'ORDERS',
  versions: VERSIONS,
  canonical: 'salesorder.v1',
  nodes: orderNodes,
  toCanonical: (record, ctx) => [finish(record, ctx.documentKey, ctx.defaultCurrency, ctx.envelope.timestamp ?? '')],
  fromCanonical: ([o]) => (isRec(o) ? { ...o, lines: itemsToIds(o.lines) } : {}),
});

export const edifactPurchaseOrder = defineEdiMap({
  id: 'edifact.orders.purchaseorder',
  standard: 'edifact',
  documentType: 'ORDERS',
  versions: VERSIONS,
  canonical: 'purchaseorder.v1',
  nodes: retarget(orderNodes, {
    customerPoNumber: 'poNumber',
    shipTo: 'shipToAddress',
    customer: 'ext.edi.buyer',
    'ext.edi.supplier': 'supplier',
  }),
  toCanonical: (record, ctx) => {
    const order = finish(record, ctx.documentKey, ctx.defaultCurrency, ctx.envelope.timestamp ?? '');
    if (!namesParty(order.supplier)) order.supplier = { number: ctx.partner || 'unknown' };
    return [order];
  },
  fromCanonical: ([o]) => (isRec(o) ? { ...o, lines: itemsToIds(o.lines) } : {}),
});
