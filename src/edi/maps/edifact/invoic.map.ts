import { fillCurrency, multiplyDecimal, namesParty, numberLines, prune, sumDecimals } from '../engine/finish.js';
import { c, count, defineEdiMap, e, f, fd, loop, q, seg } from '../engine/map-format.js';
import { isRec, type Rec, records, str } from '../engine/paths.js';
import { anyDtm, anyRff, currency, dtm, imd, itemsToIds, lin, nadAddress, nadParty, notes, pia, resolveItems } from './common.js';

/** EDIFACT INVOIC (D.96A / D.01B) ↔ Invoice: BGM 380, DTM 137/3, NAD, CUX, LIN with QTY 47 / PRI / MOA 203, UNS, MOA 77/39/86, ALC. */
export const edifactInvoice = defineEdiMap({
  id: 'edifact.invoic.invoice',
  standard: 'edifact',
  documentType: 'INVOIC',
  versions: ['D:96A', 'D:01B'],
  canonical: 'invoice.v1',
  nodes: [
    seg(
      'BGM',
      { '1.1': fd('ext.edi.documentName', '380'), '2.1': f('invoiceNumber'), 3: fd('ext.edi.messageFunction', '9') },
      { always: true },
    ),
    dtm('137', 'invoiceDate'),
    dtm('3', 'invoiceDate'),
    dtm('13', 'dueDate'),
    anyDtm,
    notes,
    seg('RFF', { '1.1': q('ON'), '1.2': f('customerPoNumber') }),
    anyRff,
    nadParty('BY', 'buyer'),
    nadParty('SE', 'seller'),
    nadParty('SU', 'seller'),
    nadAddress('IV', 'billTo'),
    nadAddress('DP', 'shipTo'),
    currency,
    loop(
      'lines',
      true,
      [
        lin,
        pia,
        imd,
        seg('QTY', { '1.1': q('47'), '1.2': f('quantity.value', 'decimal'), '1.3': f('quantity.uom', 'upper') }),
        seg('MOA', { '1.1': q('203'), '1.2': f('lineTotal.amount', 'amount') }),
        seg('PRI', { '1.1': c('AAA'), '1.2': f('unitPrice.amount', 'amount') }),
      ],
      'ext.edi.segments',
    ),
    seg('UNS', { 1: c('S') }, { always: true }),
    seg('CNT', { '1.1': c('2'), '1.2': count('lines') }),
    seg('MOA', { '1.1': q('77'), '1.2': f('totals.total.amount', 'amount') }, { inboundOnly: true }),
    seg('MOA', { '1.1': q('86'), '1.2': f('totals.total.amount', 'amount') }, { inboundOnly: true }),
    seg('MOA', { '1.1': q('39'), '1.2': f('totals.total.amount', 'amount') }),
    seg('MOA', { '1.1': q('79'), '1.2': f('totals.subtotal.amount', 'amount') }),
    loop('charges', true, [
      seg('ALC', { 1: e('kind', { C: 'charge', A: 'allowance' }), '2.1': f('code') }),
      seg('MOA', { '1.1': q('8'), '1.2': f('amount.amount', 'amount') }),
    ]),
  ],
  toCanonical: (record, ctx) => {
    const inv: Rec = { ...record, id: ctx.documentKey };
    inv.currency ??= ctx.defaultCurrency;
    if (typeof inv.invoiceDate !== 'string') inv.invoiceDate = (ctx.envelope.timestamp ?? '').slice(0, 10);
    numberLines(inv.lines);
    resolveItems(inv.lines);
    for (const line of records(inv.lines)) {
      const price = isRec(line.unitPrice) ? (str(line.unitPrice.amount) ?? '0') : '0';
      line.unitPrice = { amount: price };
      if (!isRec(line.quantity)) line.quantity = { value: '0' };
      const qty = isRec(line.quantity) ? (str(line.quantity.value) ?? '0') : '0';
      if (!isRec(line.lineTotal)) line.lineTotal = { amount: multiplyDecimal(qty, price) };
    }
    if (!isRec(inv.totals) || !isRec(inv.totals.total)) {
      inv.totals = {
        total: { amount: sumDecimals(records(inv.lines).map((l) => (isRec(l.lineTotal) ? (str(l.lineTotal.amount) ?? '0') : '0'))) },
      };
    }
    inv.charges = records(inv.charges).filter((ch) => (ch.kind === 'charge' || ch.kind === 'allowance') && isRec(ch.amount));
    if (!namesParty(inv.buyer)) inv.buyer = { number: ctx.partner || 'unknown' };
    fillCurrency(inv, String(inv.currency));
    return [prune(inv)];
  },
  fromCanonical: ([o]) => (isRec(o) ? { ...o, lines: itemsToIds(o.lines) } : {}),
});
