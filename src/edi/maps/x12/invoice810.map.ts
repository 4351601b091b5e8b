import { fillCurrency, itemFromKeptIds, multiplyDecimal, namesParty, numberLines, prune, sumDecimals } from '../engine/finish.js';
import { count, defineEdiMap, e, f, loop, q, seg } from '../engine/map-format.js';
import { isRec, type Rec, records, str } from '../engine/paths.js';
import { addressLoop, currency, dates, notes, partyLoop, paymentTerms, productPairs, references } from './common.js';

/** SAC01 (DE 248). */
const SAC_KIND = { A: 'allowance', C: 'charge' } as const;
/** SAC02 (DE 1300) codes with a canonical type. */
const SAC_TYPE = { D240: 'freight', D500: 'handling', D980: 'insurance', F050: 'other', C310: 'promotion', B840: 'restocking' } as const;

/** X12 810 Invoice ↔ Invoice (BIG, N1 loops, ITD, IT1 lines, TDS total in N2, SAC charges). */
export const x12Invoice810 = defineEdiMap({
  id: 'x12.810.invoice',
  standard: 'x12',
  documentType: '810',
  functionalId: 'IN',
  versions: ['004010', '005010'],
  canonical: 'invoice.v1',
  nodes: [
    seg(
      'BIG',
      {
        1: f('invoiceDate', 'date'),
        2: f('invoiceNumber'),
        3: f('ext.edi.poDate', 'date'),
        4: f('customerPoNumber'),
        7: f('ext.edi.transactionType'),
        8: f('ext.edi.purpose'),
      },
      { always: true },
    ),
    notes('NTE'),
    currency,
    references('REF'),
    addressLoop('BT', 'billTo'),
    addressLoop('ST', 'shipTo'),
    addressLoop('RI', 'remitTo'),
    partyLoop('BY', 'buyer'),
    partyLoop('SE', 'seller'),
    partyLoop('SU', 'seller'),
    partyLoop('II', 'seller'),
    paymentTerms,
    seg('DTM', { 1: q('011'), 2: f('ext.edi.shipDate', 'date') }),
    dates('DTM'),
    loop(
      'lines',
      true,
      [
        seg('IT1', {
          1: f('lineNumber'),
          2: f('quantity.value', 'decimal'),
          3: f('quantity.uom', 'upper'),
          4: f('unitPrice.amount', 'amount'),
          5: f('ext.edi.priceBasis'),
          6: productPairs(10),
        }),
        seg('PID', { 1: q('F'), 5: f('description') }),
      ],
      'ext.edi.segments',
    ),
    seg('TDS', { 1: f('totals.total.amount', 'n2'), 2: f('totals.subtotal.amount', 'n2') }, { always: true }),
    loop('charges', true, [
      seg('SAC', {
        1: e('kind', SAC_KIND),
        2: e('type', SAC_TYPE),
        '2/code': f('code'),
        5: f('amount.amount', 'n2'),
        15: f('description'),
      }),
    ]),
    seg('CTT', { 1: count('lines') }),
  ],
  toCanonical: (record, ctx) => {
    const inv: Rec = { ...record, id: ctx.documentKey };
    inv.currency ??= ctx.defaultCurrency;
    if (typeof inv.invoiceDate !== 'string') inv.invoiceDate = (ctx.envelope.timestamp ?? '').slice(0, 10);
    numberLines(inv.lines);
    itemFromKeptIds(inv.lines);
    for (const line of records(inv.lines)) {
      const price = isRec(line.unitPrice) ? (str(line.unitPrice.amount) ?? '0') : '0';
      line.unitPrice = { amount: price };
      const qty = isRec(line.quantity) ? (str(line.quantity.value) ?? '0') : '0';
      if (!isRec(line.quantity)) line.quantity = { value: '0', uom: 'EA' };
      // IT1 carries no extended amount; quantity × unit price is exact on decimal strings.
      line.lineTotal = { amount: multiplyDecimal(qty, price) };
    }
    if (!isRec(inv.totals) || !isRec(inv.totals.total)) {
      inv.totals = {
        total: { amount: sumDecimals(records(inv.lines).map((l) => (isRec(l.lineTotal) ? (str(l.lineTotal.amount) ?? '0') : '0'))) },
      };
    }
    // A SAC whose indicator has no canonical meaning (N: no charge) stays raw in ext.edi.segments.
    inv.charges = records(inv.charges).filter((c) => c.kind === 'charge' || c.kind === 'allowance');
    for (const c of records(inv.charges)) if (!isRec(c.amount)) c.amount = { amount: '0' };
    // An invoice must name its buyer (BY); a bill-to party stands in, else the sending partner.
    if (!namesParty(inv.buyer)) {
      const billTo = isRec(inv.billTo) ? inv.billTo : {};
      inv.buyer = str(billTo.name) ? { name: billTo.name } : { number: ctx.partner || 'unknown' };
    }
    fillCurrency(inv, String(inv.currency));
    return [prune(inv)];
  },
});
