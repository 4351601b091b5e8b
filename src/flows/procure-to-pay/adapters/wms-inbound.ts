import { z } from 'zod';
import type { WarehouseReceipt } from '../documents.js';
import type { WarehouseInbound } from '../ports.js';
import { callJson } from './http-json.js';

/** Where and with which key the flows reach the 3PL's REST API (docs/sim/wms-api.md). */
export interface WmsTarget {
  url: string;
  apiKey: string;
}

const asnRow = z.object({
  id: z.string(),
  reference: z.string(),
  status: z.string(),
  receipt: z.array(z.object({ sku: z.string(), expected: z.number(), received: z.number(), damaged: z.number() })).nullable(),
});
const conflict = z.object({ error: z.object({ code: z.string(), details: z.array(z.object({ existing_id: z.string() }).partial()) }) });

/**
 * Expected receipts at the WMS/3PL as ASNs. The reference (PO number or RMA number) is unique at the
 * 3PL, so a retried create answers 409 with the existing ASN, which is taken as success.
 */
export class WmsInbound implements WarehouseInbound {
  constructor(private readonly target: WmsTarget) {}

  private headers(extra: Record<string, string> = {}) {
    return { authorization: `Bearer ${this.target.apiKey}`, ...extra };
  }

  async expectReceipt(asn: Parameters<WarehouseInbound['expectReceipt']>[0]): Promise<{ id: string }> {
    const res = await callJson(`${this.target.url}/v1/asns`, {
      method: 'POST',
      headers: this.headers({ 'idempotency-key': `asn:${asn.reference}` }),
      accept: [409],
      body: {
        reference: asn.reference,
        location: asn.location,
        supplier: asn.supplier,
        ...(asn.eta ? { expected_at: asn.eta.length === 10 ? `${asn.eta}T12:00:00Z` : asn.eta } : {}),
        lines: asn.lines.filter((l) => l.quantity > 0).map((l) => ({ sku: l.item, quantity: l.quantity })),
      },
    });
    if (res.status === 409) {
      const existing = conflict.parse(res.body).error.details[0]?.existing_id;
      if (existing) return { id: existing };
    }
    return { id: asnRow.parse(res.body).id };
  }

  /** The receipt for `reference`, once the 3PL has booked it. */
  async receiptOf(reference: string): Promise<{ asnId: string; receipt: WarehouseReceipt } | undefined> {
    const res = await callJson(`${this.target.url}/v1/asns?reference=${encodeURIComponent(reference)}`, {
      method: 'GET',
      headers: this.headers(),
    });
    const rows = z.object({ data: z.array(asnRow) }).parse(res.body).data;
    const asn = rows.find((a) => a.status === 'received' && a.receipt !== null);
    if (!asn?.receipt) return undefined;
    return {
      asnId: asn.id,
      receipt: {
        reference,
        lines: asn.receipt.map((l) => ({ item: l.sku, expected: l.expected, received: l.received, damaged: l.damaged })),
      },
    };
  }

  /** Every ASN the 3PL has received (for a watcher that signals waiting flows). */
  async receivedAsns(): Promise<Array<{ asnId: string; receipt: WarehouseReceipt }>> {
    const res = await callJson(`${this.target.url}/v1/asns`, { method: 'GET', headers: this.headers() });
    const rows = z.object({ data: z.array(asnRow) }).parse(res.body).data;
    return rows.flatMap((a) =>
      a.status === 'received' && a.receipt
        ? [
            {
              asnId: a.id,
              receipt: {
                reference: a.reference,
                lines: a.receipt.map((l) => ({ item: l.sku, expected: l.expected, received: l.received, damaged: l.damaged })),
              },
            },
          ]
        : [],
    );
  }
}
