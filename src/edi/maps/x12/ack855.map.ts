import { fillCurrency, itemFromKeptIds, numberLines, prune } from '../engine/finish.js';
import { count, defineEdiMap, e, f, fd, loop, q, seg } from '../engine/map-format.js';
import { isRec, type Rec, records } from '../engine/paths.js';
import { currency, dates, noteBlock, partyLoop, productPairs, references, withNoteBlock, withoutNoteBlock } from './common.js';

/** BAK02 acknowledgment type (DE 587) → OrderAcknowledgement status; outbound takes the first code per status. */
export const ACK_TYPES = {
  AD: 'accepted',
  AK: 'accepted',
  AT: 'accepted',
  AC: 'accepted-with-changes',
  AE: 'accepted-with-changes',
  RD: 'rejected',
  RJ: 'rejected',
  RF: 'rejected',
} as const;

/** ACK01 line item status (DE 668) → line status. */
export const LINE_STATUS = {
  IA: 'accepted',
  AR: 'accepted',
  IE: 'accepted',
  IC: 'changed',
  DR: 'changed',
  IP: 'changed',
  IQ: 'changed',
  IS: 'changed',
  IR: 'rejected',
  ID: 'rejected',
  R1: 'rejected',
  R2: 'rejected',
  R3: 'rejected',
  R4: 'rejected',
  IB: 'backordered',
  BP: 'backordered',
} as const;

/** X12 855 Purchase Order Acknowledgment ↔ OrderAcknowledgement (BAK, N1 loops, PO1/ACK per line). */
export const x12Acknowledgement855 = defineEdiMap({
  id: 'x12.855.orderacknowledgement',
  standard: 'x12',
  documentType: '855',
  functionalId: 'PR',
  versions: ['004010', '005010'],
  canonical: 'orderacknowledgement.v1',
  nodes: [
    seg(
      'BAK',
      {
        1: fd('ext.edi.purpose', '00'),
        2: e('status', ACK_TYPES),
        '2/raw': f('ext.edi.ackType'),
        3: f('customerPoNumber'),
        '3/order': f('order.number'),
        4: f('ackDate', 'timestamp'),
        8: f('ackNumber'),
      },
      { always: true },
    ),
    currency,
    references('REF'),
    dates('DTM'),
    noteBlock,
    partyLoop('SU', 'from'),
    partyLoop('VN', 'from'),
    partyLoop('SE', 'from'),
    partyLoop('BY', 'to'),
    loop(
      'lines',
      true,
      [
        seg('PO1', {
          1: f('lineNumber'),
          2: f('orderedQuantity.value', 'decimal'),
          3: f('orderedQuantity.uom', 'upper'),
          4: f('unitPrice.amount', 'amount'),
          5: f('ext.edi.priceBasis'),
          6: productPairs(10),
        }),
        seg('PID', { 1: q('F'), 5: f('item.description') }),
        seg('ACK', {
          1: e('status', LINE_STATUS),
          '1/raw': f('reasonCode'),
          2: f('quantity.value', 'decimal'),
          3: f('quantity.uom', 'upper'),
          4: fd('ext.edi.dateQualifier', '068'),
          5: f('scheduledShipDate', 'date'),
        }),
        dates('DTM'),
      ],
      'ext.edi.segments',
    ),
    seg('CTT', { 1: count('lines') }),
  ],
  toCanonical: (record, ctx) => {
    const ack: Rec = { ...withoutNoteBlock(record), id: ctx.documentKey };
    ack.orderKind ??= 'purchase';
    ack.status ??= 'accepted';
    if (typeof ack.ackDate !== 'string') ack.ackDate = ctx.envelope.timestamp;
    if (!isRec(ack.order)) ack.order = { number: typeof ack.customerPoNumber === 'string' ? ack.customerPoNumber : ctx.documentKey };
    numberLines(ack.lines);
    itemFromKeptIds(ack.lines);
    for (const line of records(ack.lines)) {
      line.status ??= 'accepted';
      // ACK01 is the status; the raw code is its reason only when it says more than the status.
      if (line.reasonCode === 'IA') delete line.reasonCode;
    }
    fillCurrency(ack, typeof ack.currency === 'string' ? ack.currency : ctx.defaultCurrency);
    delete ack.currency;
    return [prune(ack)];
  },
  fromCanonical: ([first], ctx) => {
    const ack = isRec(first) ? { ...first } : {};
    const lines = records(ack.lines).map((l) => ({ ...l }));
    const money = lines.map((l) => (isRec(l.unitPrice) ? l.unitPrice.currency : undefined)).find((c) => typeof c === 'string');
    return withNoteBlock({ ...ack, lines, currency: money ?? ctx.defaultCurrency });
  },
});
