import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Clock, newId } from '../../kernel/index.js';
import { fromUnits, lineUnits, toUnits } from './amounts.js';
import {
  type DocumentType,
  type PortalDocument,
  type PortalPurchaseOrder,
  SupplierBehaviour,
  type SupplierBehaviourInput,
  type SupplierOrder,
} from './model.js';
import { isoDate, readX12, writeX12, x12Date } from './x12.js';

/** A refusal the portal answers with an HTTP status and code. */
export class SupplierConflict extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const DAY = 86_400_000;

/**
 * The supplier's order book and what it sends back. Portal orders' documents are listed by the
 * portal; EDI orders' documents are written as X12 files to the EDI outbox directory.
 */
export class SupplierStore {
  readonly orders = new Map<string, SupplierOrder>();
  readonly documents: PortalDocument[] = [];
  /** Every X12 file read from the inbox and written to the outbox, by name. */
  readonly ediLog: Array<{ direction: 'in' | 'out'; name: string; set: string }> = [];
  private behaviours = new Map<string, SupplierBehaviour>();
  private defaultBehaviour: SupplierBehaviour = SupplierBehaviour.parse({});
  private control = 1;

  constructor(
    private readonly clock: Clock,
    readonly ids: { supplier: string; buyer: string },
    readonly ediDir: string | undefined,
  ) {
    if (ediDir) {
      mkdirSync(join(ediDir, 'inbox'), { recursive: true });
      mkdirSync(join(ediDir, 'outbox'), { recursive: true });
      mkdirSync(join(ediDir, 'processed'), { recursive: true });
    }
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** Sets how the supplier answers one PO (or every PO when `poNumber` is '*'). */
  setBehaviour(poNumber: string, behaviour: SupplierBehaviourInput): void {
    const parsed = SupplierBehaviour.parse(behaviour);
    if (poNumber === '*') this.defaultBehaviour = parsed;
    else this.behaviours.set(poNumber, parsed);
  }

  private behaviourOf(poNumber: string): SupplierBehaviour {
    return this.behaviours.get(poNumber) ?? this.defaultBehaviour;
  }

  /** Takes a PO; the same PO number again returns the order already held (no second order). */
  receive(po: PortalPurchaseOrder, via: 'edi' | 'portal'): { order: SupplierOrder; created: boolean } {
    const existing = this.orders.get(po.poNumber);
    if (existing) return { order: existing, created: false };
    const order: SupplierOrder = {
      poNumber: po.poNumber,
      buyer: po.buyer,
      via,
      currency: po.currency,
      shipTo: po.shipTo,
      status: 'received',
      lines: po.lines.map((l) => ({ line: l.line, item: l.item, quantity: l.quantity, unitPrice: l.unitPrice, uom: l.uom })),
      acknowledged: null,
      asnNumber: null,
      shipped: null,
      invoiceNumber: null,
      receivedAt: this.now(),
      cancelledAt: null,
    };
    this.orders.set(po.poNumber, order);
    return { order, created: true };
  }

  /** Cancels a PO that has not shipped; cancelling twice answers the same. */
  cancel(poNumber: string): SupplierOrder {
    const order = this.orders.get(poNumber);
    if (!order) throw new SupplierConflict(404, 'not_found', `PO ${poNumber} is unknown`);
    if (order.status === 'cancelled') return order;
    if (order.status === 'shipped' || order.status === 'invoiced') {
      throw new SupplierConflict(409, 'already_shipped', `PO ${poNumber} has shipped and cannot be cancelled`);
    }
    order.status = 'cancelled';
    order.cancelledAt = this.now();
    return order;
  }

  private must(poNumber: string, status: SupplierOrder['status']): SupplierOrder {
    const order = this.orders.get(poNumber);
    if (!order) throw new SupplierConflict(404, 'not_found', `PO ${poNumber} is unknown`);
    if (order.status !== status) throw new SupplierConflict(409, 'wrong_state', `PO ${poNumber} is ${order.status}, not ${status}`);
    return order;
  }

  /** Acknowledges a received PO per the behaviour: accepted, changed and rejected lines. */
  acknowledge(poNumber: string): SupplierOrder {
    const order = this.must(poNumber, 'received');
    const b = this.behaviourOf(poNumber);
    const shipDate = new Date(this.clock.now() + b.leadDays * DAY).toISOString().slice(0, 10);
    order.acknowledged = order.lines.map((l) => {
      const rule = b.ack[l.item];
      if (rule?.status === 'rejected') return { ...l, status: 'rejected', quantity: '0', shipDate };
      if (rule?.status === 'changed')
        return { ...l, status: 'changed', quantity: rule.quantity ?? l.quantity, unitPrice: rule.unitPrice ?? l.unitPrice, shipDate };
      return { ...l, status: 'accepted', shipDate };
    });
    order.status = order.acknowledged.every((l) => l.status === 'rejected') ? 'rejected' : 'acknowledged';
    this.emit(order, 'ack', {
      poNumber,
      lines: order.acknowledged.map((l) => ({
        line: l.line,
        item: l.item,
        status: l.status,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        shipDate: l.shipDate,
      })),
    });
    return order;
  }

  /** Ships the acknowledged lines (per the behaviour's ship quantities) and sends the ASN. */
  ship(poNumber: string): SupplierOrder {
    const order = this.must(poNumber, 'acknowledged');
    const b = this.behaviourOf(poNumber);
    order.shipped = (order.acknowledged ?? [])
      .filter((l) => l.status !== 'rejected')
      .map((l) => ({ item: l.item, quantity: b.ship[l.item]?.quantity ?? l.quantity }));
    order.asnNumber = `ASN-${poNumber}`;
    order.status = 'shipped';
    const eta = new Date(this.clock.now() + b.transitDays * DAY).toISOString().slice(0, 10);
    this.emit(order, 'asn', { poNumber, asnNumber: order.asnNumber, shipDate: this.now().slice(0, 10), eta, lines: order.shipped });
    return order;
  }

  /** Invoices what shipped at the acknowledged prices (per the behaviour's invoice errors). */
  invoice(poNumber: string): SupplierOrder {
    const order = this.must(poNumber, 'shipped');
    const b = this.behaviourOf(poNumber);
    const lines = (order.shipped ?? []).map((s) => {
      const acked = order.acknowledged?.find((a) => a.item === s.item);
      const rule = b.invoice[s.item];
      return {
        line: acked?.line ?? '1',
        item: s.item,
        quantity: rule?.quantity ?? s.quantity,
        unitPrice: rule?.unitPrice ?? acked?.unitPrice ?? '0',
      };
    });
    let total = lines.reduce((n, l) => n + lineUnits(l.quantity, l.unitPrice), 0n);
    if (b.invoiceTotalDelta) total += toUnits(b.invoiceTotalDelta);
    order.invoiceNumber = `INV-${poNumber}`;
    order.status = 'invoiced';
    this.emit(order, 'invoice', { poNumber, invoiceNumber: order.invoiceNumber, currency: order.currency, total: fromUnits(total), lines });
    return order;
  }

  /** Moves a PO one stage on (received -> acknowledged -> shipped -> invoiced). */
  advance(poNumber: string): SupplierOrder | undefined {
    const order = this.orders.get(poNumber);
    if (!order) return undefined;
    if (order.status === 'received') return this.acknowledge(poNumber);
    if (order.status === 'acknowledged') return this.ship(poNumber);
    if (order.status === 'shipped') return this.invoice(poNumber);
    return order;
  }

  private emit(order: SupplierOrder, type: DocumentType, body: Record<string, unknown>): void {
    const seq = this.documents.length + 1;
    const createdAt = this.now();
    if (order.via === 'portal') {
      this.documents.push({ seq, id: `doc_${newId(this.clock.now())}`, type, poNumber: order.poNumber, body, createdAt });
      return;
    }
    if (!this.ediDir) return;
    const control = this.control++;
    const parties = { sender: this.ids.supplier, receiver: this.ids.buyer, control, at: createdAt };
    const { set, text } = x12For(type, body, order, parties);
    const name = `${String(control).padStart(6, '0')}-${set}-${order.poNumber}.x12`;
    writeFileSync(join(this.ediDir, 'outbox', `${name}.part`), text);
    renameSync(join(this.ediDir, 'outbox', `${name}.part`), join(this.ediDir, 'outbox', name));
    this.ediLog.push({ direction: 'out', name, set });
  }

  /** Reads 850s from the EDI inbox: originals become orders, BEG01 "01" cancels. Returns how many were read. */
  processEdiInbox(): number {
    if (!this.ediDir) return 0;
    const inbox = join(this.ediDir, 'inbox');
    let count = 0;
    for (const name of readdirSync(inbox)
      .filter((n) => n.endsWith('.x12'))
      .sort()) {
      const text = readFileSync(join(inbox, name), 'utf8');
      renameSync(join(inbox, name), join(this.ediDir, 'processed', name));
      this.ediLog.push({ direction: 'in', name, set: '850' });
      count += 1;
      const po = read850(text, this.ids.buyer);
      if (!po) continue;
      if (po.purpose === '01') {
        try {
          this.cancel(po.order.poNumber);
        } catch {
          // an unknown or shipped PO cannot be cancelled; a real supplier would phone the buyer
        }
      } else this.receive(po.order, 'edi');
    }
    return count;
  }
}

function read850(text: string, buyer: string): { purpose: string; order: PortalPurchaseOrder } | undefined {
  const segs = readX12(text);
  const beg = segs.find((s) => s[0] === 'BEG');
  if (!beg) return undefined;
  const currency = segs.find((s) => s[0] === 'CUR')?.[2] ?? 'USD';
  const shipTo = segs.find((s) => s[0] === 'N1' && s[1] === 'ST')?.[4] ?? 'MAIN';
  const lines = segs
    .filter((s) => s[0] === 'PO1')
    .map((s) => ({ line: s[1] ?? '', item: s[7] ?? '', quantity: s[2] ?? '0', unitPrice: s[4] ?? '0', uom: s[3] ?? 'EA' }));
  return { purpose: beg[1] ?? '00', order: { poNumber: beg[3] ?? '', buyer, currency, shipTo, lines } };
}

const ACK_CODE = { accepted: 'IA', changed: 'IC', rejected: 'IR' } as const;

function x12For(
  type: DocumentType,
  body: Record<string, unknown>,
  order: SupplierOrder,
  parties: { sender: string; receiver: string; control: number; at: string },
): { set: string; text: string } {
  const date = x12Date(parties.at);
  if (type === 'ack') {
    const acked = order.acknowledged ?? [];
    const code = acked.every((l) => l.status === 'rejected') ? 'RJ' : acked.every((l) => l.status === 'accepted') ? 'AD' : 'AC';
    const segs: string[][] = [['BAK', '00', code, order.poNumber, date]];
    for (const l of acked) {
      const ordered = order.lines.find((o) => o.line === l.line);
      segs.push(['PO1', l.line, ordered?.quantity ?? l.quantity, l.uom, l.unitPrice, '', 'VP', l.item]);
      segs.push(['ACK', ACK_CODE[l.status], l.quantity, l.uom, '068', x12Date(l.shipDate)]);
    }
    segs.push(['CTT', String(acked.length)]);
    return { set: '855', text: writeX12('855', segs, parties) };
  }
  if (type === 'asn') {
    const shipped = order.shipped ?? [];
    const segs: string[][] = [
      ['BSN', '00', order.asnNumber ?? '', date, parties.at.slice(11, 16).replace(':', '')],
      ['DTM', '011', x12Date(String(body.shipDate))],
      ['DTM', '017', x12Date(String(body.eta))],
      ['HL', '1', '', 'S'],
      ['HL', '2', '1', 'O'],
      ['PRF', order.poNumber],
    ];
    shipped.forEach((s, i) => {
      segs.push(['HL', String(i + 3), '2', 'I'], ['LIN', '', 'VP', s.item], ['SN1', '', s.quantity, 'EA']);
    });
    segs.push(['CTT', String(shipped.length + 2)]);
    return { set: '856', text: writeX12('856', segs, parties) };
  }
  const lines = invoiceLines(body);
  const segs: string[][] = [
    ['BIG', date, order.invoiceNumber ?? '', '', order.poNumber],
    ['CUR', 'SE', order.currency],
  ];
  for (const l of lines) {
    segs.push(['IT1', l.line, l.quantity, 'EA', l.unitPrice, '', 'VP', l.item]);
  }
  // TDS01 is N2: the total in cents with the decimal point implied.
  segs.push(['TDS', String(toUnits(String(body.total)) / 100n)], ['CTT', String(lines.length)]);
  return { set: '810', text: writeX12('810', segs, parties) };
}

function invoiceLines(body: Record<string, unknown>): Array<{ line: string; item: string; quantity: string; unitPrice: string }> {
  const lines = body.lines;
  if (!Array.isArray(lines)) return [];
  return lines.flatMap((l: unknown) =>
    typeof l === 'object' && l !== null && 'item' in l && 'quantity' in l && 'unitPrice' in l && 'line' in l
      ? [{ line: String(l.line), item: String(l.item), quantity: String(l.quantity), unitPrice: String(l.unitPrice) }]
      : [],
  );
}

export { isoDate };
