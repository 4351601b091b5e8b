import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { type Clock, systemClock } from '../../../kernel/index.js';
import { type PurchaseOrder, SupplierAck, SupplierAsn, SupplierInvoice } from '../documents.js';
import type { SupplierChannel } from '../ports.js';
import { callJson } from './http-json.js';
import { build850, type InboundDocument, readSupplierX12 } from './x12-documents.js';

/** A supplier reached by X12 over a file mailbox (local directory here; SFTP in production). */
export interface EdiMailbox {
  /** Where the hub drops 850s for the supplier. */
  outbound: string;
  /** Where the supplier's 855/856/810 arrive. */
  inbound: string;
  ids: { buyer: string; supplier: string };
}

/**
 * Sends the PO as an 850 file. The file name is derived from the PO number and purpose, so a retry
 * rewrites the same file instead of sending a second PO; a cancellation is an 850 with BEG01 "01".
 */
export class EdiSupplierChannel implements SupplierChannel {
  constructor(
    private readonly mailbox: EdiMailbox,
    private readonly clock: Clock = systemClock,
  ) {
    mkdirSync(mailbox.outbound, { recursive: true });
  }

  private drop(po: PurchaseOrder, purpose: '00' | '01'): string {
    const at = new Date(this.clock.now()).toISOString();
    const control = Number(BigInt(this.clock.now()) % 1_000_000_000n);
    const text = build850(po, { sender: this.mailbox.ids.buyer, receiver: this.mailbox.ids.supplier, control, at }, purpose);
    const name = `850-${po.poNumber}-${purpose}.x12`;
    // Written under a temporary name first: the supplier never picks up half a file.
    writeFileSync(join(this.mailbox.outbound, `${name}.part`), text);
    renameSync(join(this.mailbox.outbound, `${name}.part`), join(this.mailbox.outbound, name));
    return name;
  }

  async sendPurchaseOrder(po: PurchaseOrder): Promise<{ ref: string }> {
    return { ref: this.drop(po, '00') };
  }

  async cancelPurchaseOrder(po: PurchaseOrder): Promise<void> {
    this.drop(po, '01');
  }
}

/** A supplier's portal REST API (docs/flows.md, "The simulated supplier"). */
export interface PortalTarget {
  url: string;
  apiKey: string;
}

/** Sends the PO to the supplier portal; the PO number is the portal's idempotency key. */
export class PortalSupplierChannel implements SupplierChannel {
  constructor(
    private readonly target: PortalTarget,
    private readonly buyer: string,
  ) {}

  private headers(key?: string) {
    return { authorization: `Bearer ${this.target.apiKey}`, ...(key ? { 'idempotency-key': key } : {}) };
  }

  async sendPurchaseOrder(po: PurchaseOrder): Promise<{ ref: string }> {
    await callJson(`${this.target.url}/v1/purchase-orders`, {
      method: 'POST',
      headers: this.headers(`po:${po.poNumber}`),
      body: {
        poNumber: po.poNumber,
        buyer: this.buyer,
        currency: po.currency,
        shipTo: po.location,
        lines: po.lines.map((l) => ({ line: l.line, item: l.item, quantity: l.quantity, unitPrice: l.unitPrice, uom: l.uom })),
      },
    });
    return { ref: po.poNumber };
  }

  async cancelPurchaseOrder(po: PurchaseOrder): Promise<void> {
    // 404: the PO never reached the supplier, so there is nothing to cancel.
    await callJson(`${this.target.url}/v1/purchase-orders/${encodeURIComponent(po.poNumber)}/cancel`, {
      method: 'POST',
      headers: this.headers(),
      accept: [404],
    });
  }
}

/** A supplier document ready for the waiting flow: its type, PO number, body and a dedupe id. */
export type SupplierDocument = InboundDocument & { id: string };

const portalDocs = z.object({
  data: z.array(
    z.object({ seq: z.number(), id: z.string(), type: z.enum(['ack', 'asn', 'invoice']), poNumber: z.string(), body: z.unknown() }),
  ),
  next: z.number(),
});

/** Reads new documents from a supplier portal (`GET /v1/documents?after=`). */
export class PortalInbox {
  private cursor = 0;

  constructor(private readonly target: PortalTarget) {}

  /** Hands each new document to `deliver`; the cursor moves only past delivered documents. */
  async drain(deliver: (doc: SupplierDocument) => Promise<void>): Promise<number> {
    const res = await callJson(`${this.target.url}/v1/documents?after=${this.cursor}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${this.target.apiKey}` },
    });
    const page = portalDocs.parse(res.body);
    const out: SupplierDocument[] = [];
    for (const d of page.data) {
      const id = `portal:${d.id}`;
      if (d.type === 'ack')
        out.push({ type: 'ack', id, control: d.id, sender: 'portal', body: SupplierAck.parse(stripExtra(d.body, ['currency'])) });
      else if (d.type === 'asn')
        out.push({ type: 'asn', id, control: d.id, sender: 'portal', body: SupplierAsn.parse(stripExtra(d.body, ['shipDate'])) });
      else out.push({ type: 'invoice', id, control: d.id, sender: 'portal', body: SupplierInvoice.parse(portalInvoice(d.body)) });
    }
    for (const doc of out) await deliver(doc);
    this.cursor = page.next;
    return out.length;
  }
}

function stripExtra(body: unknown, keys: string[]): unknown {
  if (typeof body !== 'object' || body === null) return body;
  return Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));
}

function portalInvoice(body: unknown): unknown {
  const parsed = z
    .object({
      poNumber: z.string(),
      invoiceNumber: z.string(),
      total: z.string(),
      lines: z.array(z.object({ item: z.string(), quantity: z.string(), unitPrice: z.string() })),
    })
    .parse(body);
  return { ...parsed, lines: parsed.lines.map((l) => ({ item: l.item, quantity: l.quantity, unitPrice: l.unitPrice })) };
}

/** Reads X12 files the supplier dropped in the inbound mailbox; read files move to `received/`. */
export class EdiInboxReader {
  constructor(private readonly mailbox: EdiMailbox) {
    mkdirSync(mailbox.inbound, { recursive: true });
    mkdirSync(join(mailbox.inbound, 'received'), { recursive: true });
  }

  /** Hands each document to `deliver`; a file moves to `received/` only once all of it was delivered. */
  async drain(deliver: (doc: SupplierDocument) => Promise<void>): Promise<number> {
    let count = 0;
    for (const name of readdirSync(this.mailbox.inbound)
      .filter((n) => n.endsWith('.x12'))
      .sort()) {
      const path = join(this.mailbox.inbound, name);
      for (const d of readSupplierX12(readFileSync(path, 'utf8'))) {
        await deliver({ ...d, id: `edi:${d.control}` });
        count += 1;
      }
      renameSync(path, join(this.mailbox.inbound, 'received', name));
    }
    return count;
  }
}
