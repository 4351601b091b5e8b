import { z } from 'zod';
import { abs, add, cmp, type Dec, dec, format, mul, sub, withinPercent } from './money.js';

/**
 * Tolerances of the three-way match, all decimal strings. A line passes when every tolerance that is
 * set holds; amounts are in the PO's currency.
 */
export const MatchTolerances = z.strictObject({
  /** Invoice unit price may differ from the PO price by this percentage of the PO price. */
  pricePercent: z.string().default('0'),
  /** …and by at most this amount per unit. */
  priceAmount: z.string().optional(),
  /** Invoiced quantity may exceed the received quantity by this percentage of it. */
  quantityPercent: z.string().default('0'),
  /** The invoice total may differ from the expected total by at most this amount. */
  totalAmount: z.string().default('0'),
});
export type MatchTolerances = z.infer<typeof MatchTolerances>;

export interface MatchLineInput {
  line: string;
  item: string;
  /** Quantity on the PO as acknowledged. */
  ordered: string;
  unitPrice: string;
}

export interface MatchInput {
  po: readonly MatchLineInput[];
  /** Received quantity per item (from the WMS receipt). */
  received: Readonly<Record<string, string>>;
  invoice: { lines: ReadonlyArray<{ item: string; quantity: string; unitPrice: string }>; total: string };
  tolerances: MatchTolerances;
  /** Decimal places of the currency. */
  places?: number;
}

export type MatchIssue =
  | { kind: 'price'; item: string; po: string; invoice: string }
  | { kind: 'quantity'; item: string; received: string; invoiced: string }
  | { kind: 'not-ordered'; item: string }
  | { kind: 'total'; expected: string; invoice: string; difference: string };

export interface MatchResult {
  matched: boolean;
  issues: MatchIssue[];
  /** What the receipt and the PO prices say is owed. */
  expectedTotal: string;
  invoiceTotal: string;
  difference: string;
}

/** PO, receipt and invoice compared line by line, then in total; exact decimal arithmetic. */
export function threeWayMatch(input: MatchInput): MatchResult {
  const places = input.places ?? 2;
  const t = input.tolerances;
  const issues: MatchIssue[] = [];
  const poByItem = new Map(input.po.map((l) => [l.item, l]));
  let expected: Dec = dec('0');
  for (const inv of input.invoice.lines) {
    const po = poByItem.get(inv.item);
    if (!po) {
      issues.push({ kind: 'not-ordered', item: inv.item });
      continue;
    }
    const poPrice = dec(po.unitPrice);
    const invPrice = dec(inv.unitPrice);
    const priceOk =
      withinPercent(invPrice, poPrice, t.pricePercent) &&
      (t.priceAmount === undefined || cmp(abs(sub(invPrice, poPrice)), dec(t.priceAmount)) <= 0);
    if (!priceOk) issues.push({ kind: 'price', item: inv.item, po: po.unitPrice, invoice: inv.unitPrice });
    const received = dec(input.received[inv.item] ?? '0');
    const invoiced = dec(inv.quantity);
    // Over-invoicing is bounded by the receipt; invoicing less than received is always fine.
    if (cmp(invoiced, received) > 0 && !withinPercent(invoiced, received, t.quantityPercent)) {
      issues.push({ kind: 'quantity', item: inv.item, received: input.received[inv.item] ?? '0', invoiced: inv.quantity });
    }
    const payable = cmp(invoiced, received) <= 0 ? invoiced : received;
    // Each line's extension is rounded to the currency, as on any invoice.
    expected = add(expected, dec(format(mul(payable, poPrice), places)));
  }
  const invoiceTotal = dec(input.invoice.total);
  const difference = sub(invoiceTotal, expected);
  const expectedText = format(expected, places);
  if (cmp(abs(difference), dec(t.totalAmount)) > 0) {
    issues.push({ kind: 'total', expected: expectedText, invoice: format(invoiceTotal, places), difference: format(difference, places) });
  }
  return {
    matched: issues.length === 0,
    issues,
    expectedTotal: expectedText,
    invoiceTotal: format(invoiceTotal, places),
    difference: format(difference, places),
  };
}
