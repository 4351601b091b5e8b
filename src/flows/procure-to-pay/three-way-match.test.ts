import { describe, expect, it } from 'vitest';
import { dec, format, sum, times, withinPercent } from './money.js';
import { MatchTolerances, threeWayMatch } from './three-way-match.js';

describe('money', () => {
  it('is exact where floats are not', () => {
    expect(format(sum(['0.1', '0.2']), 2)).toBe('0.30');
    expect(format(sum(['0.1', '0.2']), 1)).toBe('0.3');
    expect(times('3', '0.1', 4)).toBe('0.3000');
    expect(times('4', '3.333', 2)).toBe('13.33');
    expect(format(dec('-2.345'), 2)).toBe('-2.35');
    expect(format(dec('2.344999'), 2)).toBe('2.34');
  });
  it('compares percentages without dividing', () => {
    expect(withinPercent(dec('10.05'), dec('10.00'), '0.5')).toBe(true);
    expect(withinPercent(dec('10.0500001'), dec('10.00'), '0.5')).toBe(false);
    expect(withinPercent(dec('9.95'), dec('10.00'), '0.5')).toBe(true);
  });
  it('refuses what is not a decimal string', () => {
    expect(() => dec('1e3')).toThrow(/not a decimal string/);
  });
});

const tol = (t: Partial<MatchTolerances>) => MatchTolerances.parse(t);
const po = [
  { line: '1', item: 'A', ordered: '10', unitPrice: '10.00' },
  { line: '2', item: 'B', ordered: '3', unitPrice: '0.333' },
];

describe('three-way match', () => {
  it('matches PO, receipt and invoice exactly', () => {
    const r = threeWayMatch({
      po,
      received: { A: '10', B: '3' },
      invoice: {
        lines: [
          { item: 'A', quantity: '10', unitPrice: '10.00' },
          { item: 'B', quantity: '3', unitPrice: '0.333' },
        ],
        total: '101.00',
      },
      tolerances: tol({}),
    });
    expect(r).toEqual({ matched: true, issues: [], expectedTotal: '101.00', invoiceTotal: '101.00', difference: '0.00' });
  });

  it('holds a price tolerance to the last cent: 0.5 % of 10.00 is 0.05', () => {
    const at = (price: string, total: string) =>
      threeWayMatch({
        po,
        received: { A: '10' },
        invoice: { lines: [{ item: 'A', quantity: '10', unitPrice: price }], total },
        tolerances: tol({ pricePercent: '0.5', totalAmount: '1.00' }),
      });
    expect(at('10.05', '100.50').matched).toBe(true);
    expect(at('10.06', '100.60').issues).toEqual([{ kind: 'price', item: 'A', po: '10.00', invoice: '10.06' }]);
    // an absolute cap applies on top of the percentage
    const capped = threeWayMatch({
      po,
      received: { A: '10' },
      invoice: { lines: [{ item: 'A', quantity: '10', unitPrice: '10.05' }], total: '100.50' },
      tolerances: tol({ pricePercent: '0.5', priceAmount: '0.04', totalAmount: '1' }),
    });
    expect(capped.issues.map((i) => i.kind)).toEqual(['price']);
  });

  it('pays only what was received; over-invoicing beyond the quantity tolerance is an issue', () => {
    const r = threeWayMatch({
      po,
      received: { A: '8' },
      invoice: { lines: [{ item: 'A', quantity: '10', unitPrice: '10.00' }], total: '100.00' },
      tolerances: tol({}),
    });
    expect(r.issues).toEqual([
      { kind: 'quantity', item: 'A', received: '8', invoiced: '10' },
      { kind: 'total', expected: '80.00', invoice: '100.00', difference: '20.00' },
    ]);
    const tolerated = threeWayMatch({
      po,
      received: { A: '100' },
      invoice: { lines: [{ item: 'A', quantity: '102', unitPrice: '10.00' }], total: '1000.00' },
      tolerances: tol({ quantityPercent: '2' }),
    });
    expect(tolerated.matched).toBe(true);
  });

  it('flags an invoiced item that was never ordered and a header total off by a cent', () => {
    const r = threeWayMatch({
      po,
      received: { A: '10', C: '1' },
      invoice: {
        lines: [
          { item: 'A', quantity: '10', unitPrice: '10.00' },
          { item: 'C', quantity: '1', unitPrice: '5.00' },
        ],
        total: '100.01',
      },
      tolerances: tol({}),
    });
    expect(r.issues).toEqual([
      { kind: 'not-ordered', item: 'C' },
      { kind: 'total', expected: '100.00', invoice: '100.01', difference: '0.01' },
    ]);
    expect(
      threeWayMatch({
        po,
        received: { A: '10' },
        invoice: { lines: [{ item: 'A', quantity: '10', unitPrice: '10.00' }], total: '100.01' },
        tolerances: tol({ totalAmount: '0.01' }),
      }).matched,
    ).toBe(true);
  });
});
