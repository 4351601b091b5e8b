import type { z } from 'zod';
import { type Receipt, ReceiptV1 } from '../../../canonical/index.js';
import { ConnectorErrors } from '../../sdk/index.js';
import type { wmsReceiptSchema } from '../wire.js';
import { WMS } from './shipment.js';

const each = (n: number) => ({ value: String(n), uom: 'EA' });

/** A `receipt.completed` webhook as a posted canonical Receipt, with shortages, overages and damage per line. */
export function receiptFromWms(data: z.infer<typeof wmsReceiptSchema>, instance: string): Receipt {
  const parsed = ReceiptV1.safeParse({
    id: `wms:${instance}:receipt:${data.asn_id}`,
    refs: { [WMS]: data.asn_id },
    ext: { [WMS]: { has_discrepancies: data.has_discrepancies } },
    receiptNumber: data.reference,
    kind: 'purchase',
    status: 'posted',
    location: { code: data.location },
    asn: { type: 'advanceshipnotice', number: data.reference, refs: { [WMS]: data.asn_id } },
    receivedAt: data.received_at,
    lines: data.lines.map((l, i) => ({
      lineNumber: String(i + 1),
      item: { sku: l.sku },
      expectedQuantity: each(l.expected),
      receivedQuantity: each(l.received),
      acceptedQuantity: each(l.received - l.damaged),
      rejectedQuantity: each(l.damaged),
      ...(l.damaged > 0 ? { condition: l.damaged === l.received ? 'damaged' : 'good' } : {}),
      discrepancies: [
        ...(l.discrepancy < 0 ? [{ type: 'short', quantity: each(-l.discrepancy) }] : []),
        ...(l.discrepancy > 0 ? [{ type: l.expected === 0 ? 'not-on-asn' : 'over', quantity: each(l.discrepancy) }] : []),
        ...(l.damaged > 0 ? [{ type: 'damaged', quantity: each(l.damaged) }] : []),
      ],
    })),
  });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  throw ConnectorErrors.mapping(`WMS receipt ${data.asn_id} → Receipt ${path}: ${issue?.message ?? 'invalid'}`, { path });
}
