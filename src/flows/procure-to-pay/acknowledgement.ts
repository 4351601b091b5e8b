import type { AckLine, PoLine, SupplierAck, SupplierAsn, WarehouseReceipt } from './documents.js';
import { cmp, dec } from './money.js';

/**
 * The PO lines as the supplier acknowledged them. A line the ack does not mention is taken as
 * accepted unchanged (an 855 "accepted, no detail" names no lines).
 */
export function acknowledgedLines(lines: readonly PoLine[], ack: SupplierAck): AckLine[] {
  return lines.map((l) => {
    const a = ack.lines.find((x) => x.line === l.line) ?? ack.lines.find((x) => x.item === l.item);
    if (!a) return { line: l.line, item: l.item, status: 'accepted', quantity: l.quantity, unitPrice: l.unitPrice };
    const changed =
      a.status !== 'rejected' && (cmp(dec(a.quantity), dec(l.quantity)) !== 0 || cmp(dec(a.unitPrice), dec(l.unitPrice)) !== 0);
    return {
      line: l.line,
      item: l.item,
      status: a.status === 'rejected' ? 'rejected' : changed ? 'changed' : a.status,
      quantity: a.status === 'rejected' ? '0' : a.quantity,
      unitPrice: a.unitPrice,
      ...(a.shipDate ? { shipDate: a.shipDate } : {}),
    };
  });
}

export interface ReceiptDiscrepancy {
  item: string;
  shipped: number;
  received: number;
  damaged: number;
}

/** Lines where what arrived (or arrived damaged) differs from what the supplier said it shipped. */
export function receiptDiscrepancies(asn: SupplierAsn, receipt: WarehouseReceipt): ReceiptDiscrepancy[] {
  const items = new Set([...asn.lines.map((l) => l.item), ...receipt.lines.map((l) => l.item)]);
  const out: ReceiptDiscrepancy[] = [];
  for (const item of items) {
    const shipped = asn.lines.filter((l) => l.item === item).reduce((n, l) => n + Number(l.quantity), 0);
    const r = receipt.lines.filter((l) => l.item === item);
    const received = r.reduce((n, l) => n + l.received, 0);
    const damaged = r.reduce((n, l) => n + l.damaged, 0);
    if (received !== shipped || damaged > 0) out.push({ item, shipped, received, damaged });
  }
  return out;
}
