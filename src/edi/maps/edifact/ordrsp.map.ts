import { fillCurrency, numberLines, prune } from '../engine/finish.js';
import { c, count, defineEdiMap, e, f, fd, loop, q, seg } from '../engine/map-format.js';
import { isRec, type Rec, records, str } from '../engine/paths.js';
import { anyDtm, anyRff, currency, dtm, imd, itemsToIds, nadParty, notes, pia, resolveItems } from './common.js';

/** BGM 1225 message function → acknowledgement status (29 accepted, 4 change, 27 not accepted). */
const RESPONSE = { '29': 'accepted', '4': 'accepted-with-changes', '27': 'rejected' } as const;
/** LIN 1229 action request → line status (5 accepted, 3 changed, 7 not accepted; EANCOM 10 not found is rejected too). */
const LINE_ACTION = { '5': 'accepted', '3': 'changed', '7': 'rejected', '10': 'rejected', '6': 'backordered' } as const;

/**
 * EDIFACT ORDRSP (D.96A / D.01B) ↔ OrderAcknowledgement: BGM 231 with 1225 as the status, DTM 137,
 * RFF ON (the order answered), NAD SU/BY, CUX, LIN with 1229 as the line status, QTY 21 ordered /
 * 113 to be delivered, PRI AAA, DTM 2 / 10 per line.
 */
export const edifactOrderResponse = defineEdiMap({
  id: 'edifact.ordrsp.orderacknowledgement',
  standard: 'edifact',
  documentType: 'ORDRSP',
  versions: ['D:96A', 'D:01B'],
  canonical: 'orderacknowledgement.v1',
  nodes: [
    seg(
      'BGM',
      {
        '1.1': fd('ext.edi.documentName', '231'),
        '2.1': f('ackNumber'),
        3: e('status', RESPONSE, '29'),
        '3/raw': f('ext.edi.messageFunction'),
      },
      { always: true },
    ),
    dtm('137', 'ackDate', 'timestamp'),
    anyDtm,
    notes,
    seg('RFF', { '1.1': q('ON'), '1.2': f('order.number') }),
    anyRff,
    nadParty('SU', 'from'),
    nadParty('SE', 'from'),
    nadParty('BY', 'to'),
    currency,
    loop(
      'lines',
      true,
      [
        seg('LIN', { 1: f('lineNumber'), 2: e('status', LINE_ACTION, '5'), '3.1': f('ext.edi.itemId'), '3.2': f('ext.edi.itemType') }),
        pia,
        imd,
        seg('QTY', { '1.1': q('21'), '1.2': f('orderedQuantity.value', 'decimal'), '1.3': f('orderedQuantity.uom', 'upper') }),
        seg('QTY', { '1.1': q('113'), '1.2': f('quantity.value', 'decimal'), '1.3': f('quantity.uom', 'upper') }),
        dtm('2', 'scheduledDeliveryDate'),
        dtm('10', 'scheduledShipDate'),
        seg('PRI', { '1.1': q('AAA'), '1.2': f('unitPrice.amount', 'amount') }),
      ],
      'ext.edi.segments',
    ),
    seg('UNS', { 1: c('S') }, { always: true }),
    seg('CNT', { '1.1': c('2'), '1.2': count('lines') }),
  ],
  toCanonical: (record, ctx) => {
    const ack: Rec = { ...record, id: ctx.documentKey };
    ack.orderKind ??= 'purchase';
    ack.status ??= 'accepted';
    if (typeof ack.ackDate !== 'string') ack.ackDate = ctx.envelope.timestamp;
    if (!isRec(ack.order)) ack.order = { number: str(ack.ackNumber) ?? ctx.documentKey };
    const order = isRec(ack.order) ? ack.order : {};
    ack.customerPoNumber ??= order.number;
    numberLines(ack.lines);
    resolveItems(ack.lines);
    for (const line of records(ack.lines)) line.status ??= 'accepted';
    fillCurrency(ack, str(ack.currency) ?? ctx.defaultCurrency);
    delete ack.currency;
    return [prune(ack)];
  },
  fromCanonical: ([o], ctx) => {
    if (!isRec(o)) return {};
    const lines = records(o.lines);
    const money = lines.map((l) => (isRec(l.unitPrice) ? l.unitPrice.currency : undefined)).find((x) => typeof x === 'string');
    return { ...o, currency: money ?? ctx.defaultCurrency, lines: itemsToIds(lines) };
  },
});
