import type { z } from 'zod';
import { type Clock, newId } from '../../kernel/index.js';
import type {
  Adjustment,
  Asn,
  adjustmentSchema,
  CreateOrderInput,
  createAsnSchema,
  InventoryRecord,
  OrderException,
  OrderStatus,
  ReceiptLine,
  WebhookEndpoint,
  WmsEventType,
  WmsOrder,
} from './model.js';

export interface WmsEvent {
  type: WmsEventType;
  data: unknown;
}

export class WmsConflict extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
  }
}

const NEXT: Partial<Record<OrderStatus, OrderStatus>> = { released: 'picked', picked: 'packed', packed: 'shipped' };
const TERMINAL: ReadonlySet<OrderStatus> = new Set(['shipped', 'cancelled']);

export interface AdvanceOptions {
  /** Status to move to; the order passes through every step before it (each emits its event). */
  to?: 'picked' | 'packed' | 'shipped';
  /** Raise an exception instead of advancing: the order is held until advanced again. */
  exception?: { code: 'damaged' | 'short'; sku: string; quantity: number; note?: string | null };
}

/** Warehouse state and the 3PL's fulfilment lifecycle: release → pick → pack → ship, with exceptions. */
export class WmsStore {
  readonly orders = new Map<string, WmsOrder>();
  readonly inventory = new Map<string, InventoryRecord>();
  readonly adjustments: Adjustment[] = [];
  readonly asns = new Map<string, Asn>();
  readonly webhookEndpoints = new Map<string, WebhookEndpoint>();
  /** Orders held by an exception remember the status to resume from. */
  private readonly heldFrom = new Map<string, OrderStatus>();
  private trackingSeq = 100_000;

  constructor(
    private readonly clock: Clock,
    private readonly emit: (event: WmsEvent) => void,
    readonly defaultWarehouse = 'WH1',
  ) {}

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private record(sku: string, location: string): InventoryRecord {
    const key = `${sku}\u0000${location}`;
    let record = this.inventory.get(key);
    if (!record) {
      record = { sku, location, on_hand: 0, allocated: 0, available: 0, damaged: 0, lots: [], updated_at: this.now() };
      this.inventory.set(key, record);
    }
    return record;
  }

  private touch(record: InventoryRecord): void {
    record.available = Math.max(0, record.on_hand - record.allocated);
    record.updated_at = this.now();
  }

  seedInventory(sku: string, location: string, onHand: number, lots: InventoryRecord['lots'] = []): InventoryRecord {
    const record = this.record(sku, location);
    record.on_hand = onHand;
    record.lots = lots.length > 0 ? lots : [{ lot: `LOT-${sku}-A`, quantity: onHand, expires_on: null }];
    this.touch(record);
    return record;
  }

  /** Inventory sorted by sku then location: the order pages are cut in. */
  inventoryList(filter: { sku?: string; location?: string }): InventoryRecord[] {
    return [...this.inventory.values()]
      .filter(
        (r) => (filter.sku === undefined || r.sku === filter.sku) && (filter.location === undefined || r.location === filter.location),
      )
      .sort((a, b) => (a.sku === b.sku ? a.location.localeCompare(b.location) : a.sku.localeCompare(b.sku)));
  }

  findOrderByReference(reference: string): WmsOrder | undefined {
    for (const order of this.orders.values()) if (order.reference === reference) return order;
    return undefined;
  }

  createOrder(input: CreateOrderInput): WmsOrder {
    const existing = this.findOrderByReference(input.reference);
    if (existing) {
      throw new WmsConflict('duplicate_reference', `An order with reference ${input.reference} already exists.`, [
        { field: 'reference', existing_id: existing.id },
      ]);
    }
    const now = this.now();
    const warehouse = input.warehouse ?? this.defaultWarehouse;
    const order: WmsOrder = {
      id: `ord_${newId(this.clock.now())}`,
      reference: input.reference,
      status: 'released',
      warehouse,
      ship_to: input.ship_to,
      carrier: input.carrier ? { code: input.carrier.code, service: input.carrier.service ?? null } : null,
      requested_ship_date: input.requested_ship_date ?? null,
      lines: input.lines.map((l, i) => ({
        line_no: l.line_no ?? i + 1,
        sku: l.sku,
        quantity: l.quantity,
        picked_quantity: 0,
        shipped_quantity: 0,
      })),
      shipments: [],
      exceptions: [],
      created_at: now,
      updated_at: now,
      cancelled_at: null,
    };
    for (const line of order.lines) {
      const record = this.record(line.sku, warehouse);
      record.allocated += line.quantity;
      this.touch(record);
    }
    this.orders.set(order.id, order);
    this.emit({ type: 'order.released', data: order });
    return order;
  }

  cancelOrder(id: string): WmsOrder {
    const order = this.orders.get(id);
    if (!order) throw new WmsConflict('not_found', `Order ${id} was not found.`);
    if (order.status === 'cancelled') return order;
    if (order.status === 'shipped') {
      throw new WmsConflict('order_not_cancellable', `Order ${id} has already shipped and cannot be cancelled.`, [
        { field: 'status', value: order.status },
      ]);
    }
    this.releaseAllocation(order);
    order.status = 'cancelled';
    order.cancelled_at = this.now();
    order.updated_at = order.cancelled_at;
    this.heldFrom.delete(order.id);
    this.emit({ type: 'order.cancelled', data: order });
    return order;
  }

  private releaseAllocation(order: WmsOrder): void {
    for (const line of order.lines) {
      const record = this.record(line.sku, order.warehouse);
      record.allocated = Math.max(0, record.allocated - line.quantity);
      this.touch(record);
    }
  }

  /** Orders that the lifecycle can still move. */
  activeOrders(): WmsOrder[] {
    return [...this.orders.values()].filter((o) => !TERMINAL.has(o.status));
  }

  advance(id: string, options: AdvanceOptions = {}): WmsOrder {
    const order = this.orders.get(id);
    if (!order) throw new WmsConflict('not_found', `Order ${id} was not found.`);
    if (TERMINAL.has(order.status)) throw new WmsConflict('order_closed', `Order ${id} is ${order.status}.`);
    if (options.exception) {
      this.raiseException(order, options.exception);
      return order;
    }
    const target = options.to;
    do {
      this.step(order);
    } while (target !== undefined && order.status !== target && !TERMINAL.has(order.status));
    return order;
  }

  private raiseException(order: WmsOrder, exception: NonNullable<AdvanceOptions['exception']>): void {
    const line = order.lines.find((l) => l.sku === exception.sku);
    if (!line) throw new WmsConflict('unknown_sku', `Order ${order.id} has no line for ${exception.sku}.`);
    const entry: OrderException = {
      code: exception.code,
      sku: exception.sku,
      quantity: Math.min(exception.quantity, line.quantity),
      note: exception.note ?? null,
      occurred_at: this.now(),
    };
    order.exceptions.push(entry);
    if (order.status !== 'exception') this.heldFrom.set(order.id, order.status);
    order.status = 'exception';
    order.updated_at = entry.occurred_at;
    if (exception.code === 'damaged') {
      const record = this.record(exception.sku, order.warehouse);
      record.damaged += entry.quantity;
      record.on_hand = Math.max(0, record.on_hand - entry.quantity);
      this.touch(record);
    }
    this.emit({ type: 'order.exception', data: { order, exception: entry } });
  }

  private shortBy(order: WmsOrder, sku: string): number {
    return order.exceptions.filter((e) => e.sku === sku).reduce((n, e) => n + e.quantity, 0);
  }

  private step(order: WmsOrder): void {
    const from = order.status === 'exception' ? (this.heldFrom.get(order.id) ?? 'released') : order.status;
    this.heldFrom.delete(order.id);
    const next = NEXT[from];
    if (!next) throw new WmsConflict('order_closed', `Order ${order.id} cannot advance from ${from}.`);
    const now = this.now();
    if (next === 'picked') {
      for (const line of order.lines) line.picked_quantity = Math.max(0, line.quantity - this.shortBy(order, line.sku));
    }
    if (next === 'shipped') this.ship(order, now);
    order.status = next;
    order.updated_at = now;
    this.emit({ type: `order.${next}`, data: order });
  }

  private ship(order: WmsOrder, now: string): void {
    const carrier = order.carrier?.code ?? 'UPS';
    const shipmentLines: WmsOrder['shipments'][number]['lines'] = [];
    for (const line of order.lines) {
      const picked = line.picked_quantity || Math.max(0, line.quantity - this.shortBy(order, line.sku));
      const record = this.record(line.sku, order.warehouse);
      const lots = this.consumeLots(record, picked);
      record.on_hand = Math.max(0, record.on_hand - picked);
      record.allocated = Math.max(0, record.allocated - line.quantity);
      this.touch(record);
      line.picked_quantity = picked;
      line.shipped_quantity = picked;
      if (picked > 0) shipmentLines.push({ line_no: line.line_no, sku: line.sku, quantity: picked, lots });
    }
    this.trackingSeq += 1;
    order.shipments.push({
      id: `shp_${newId(this.clock.now())}`,
      carrier,
      service: order.carrier?.service ?? null,
      tracking_number: `1Z${carrier.slice(0, 3).toUpperCase().padEnd(3, 'X')}${String(this.trackingSeq).padStart(10, '0')}`,
      shipped_at: now,
      lines: shipmentLines,
    });
  }

  /** Takes `quantity` from the oldest lots first (FEFO when expiry dates are known). */
  private consumeLots(record: InventoryRecord, quantity: number): WmsOrder['shipments'][number]['lines'][number]['lots'] {
    const out: WmsOrder['shipments'][number]['lines'][number]['lots'] = [];
    let remaining = quantity;
    const ordered = [...record.lots].sort((a, b) => (a.expires_on ?? '9999').localeCompare(b.expires_on ?? '9999'));
    for (const lot of ordered) {
      if (remaining <= 0) break;
      const take = Math.min(lot.quantity, remaining);
      if (take <= 0) continue;
      lot.quantity -= take;
      remaining -= take;
      out.push({ lot: lot.lot, quantity: take, expires_on: lot.expires_on });
    }
    record.lots = record.lots.filter((l) => l.quantity > 0);
    if (remaining > 0) out.push({ lot: 'UNLOTTED', quantity: remaining, expires_on: null });
    return out;
  }

  adjust(input: z.infer<typeof adjustmentSchema>): Adjustment {
    const record = this.record(input.sku, input.location);
    if (record.on_hand + input.quantity < 0) {
      throw new WmsConflict('insufficient_inventory', `Adjustment would take ${input.sku} at ${input.location} below zero.`, [
        { field: 'quantity', on_hand: record.on_hand, requested: input.quantity },
      ]);
    }
    record.on_hand += input.quantity;
    if (input.quantity > 0) record.lots.push({ lot: `ADJ-${this.adjustments.length + 1}`, quantity: input.quantity, expires_on: null });
    else this.consumeLots(record, -input.quantity);
    this.touch(record);
    const adjustment: Adjustment = {
      id: `adj_${newId(this.clock.now())}`,
      sku: input.sku,
      location: input.location,
      quantity: input.quantity,
      reason_code: input.reason_code,
      note: input.note ?? null,
      reference: input.reference ?? null,
      on_hand_after: record.on_hand,
      created_at: this.now(),
    };
    this.adjustments.push(adjustment);
    this.emit({ type: 'inventory.adjusted', data: adjustment });
    return adjustment;
  }

  createAsn(input: z.infer<typeof createAsnSchema>): Asn {
    for (const asn of this.asns.values()) {
      if (asn.reference === input.reference) {
        throw new WmsConflict('duplicate_reference', `An ASN with reference ${input.reference} already exists.`, [
          { field: 'reference', existing_id: asn.id },
        ]);
      }
    }
    const asn: Asn = {
      id: `asn_${newId(this.clock.now())}`,
      reference: input.reference,
      status: 'expected',
      location: input.location,
      supplier: input.supplier ?? null,
      expected_at: input.expected_at ?? null,
      lines: input.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, lot: l.lot ?? null, expires_on: l.expires_on ?? null })),
      received_at: null,
      receipt: null,
      created_at: this.now(),
    };
    this.asns.set(asn.id, asn);
    return asn;
  }

  /**
   * Books a receipt against an ASN. Lines not mentioned arrive as expected; `received` counts every unit
   * unloaded, `damaged` those of them put on hold instead of into stock.
   */
  receive(asnId: string, counted: Array<{ sku: string; received: number; damaged?: number }> = []): Asn {
    const asn = this.asns.get(asnId);
    if (!asn) throw new WmsConflict('not_found', `ASN ${asnId} was not found.`);
    if (asn.status === 'received') throw new WmsConflict('asn_already_received', `ASN ${asnId} was already received.`);
    const skus = [...new Set([...asn.lines.map((l) => l.sku), ...counted.map((c) => c.sku)])];
    const receipt: ReceiptLine[] = skus.map((sku) => {
      const expected = asn.lines.filter((l) => l.sku === sku).reduce((n, l) => n + l.quantity, 0);
      const count = counted.find((c) => c.sku === sku);
      const received = count ? count.received : expected;
      const damaged = Math.min(received, count?.damaged ?? 0);
      return { sku, expected, received, damaged, discrepancy: received - expected };
    });
    for (const line of receipt) {
      const record = this.record(line.sku, asn.location);
      const good = line.received - line.damaged;
      record.on_hand += good;
      record.damaged += line.damaged;
      const lot = asn.lines.find((l) => l.sku === line.sku);
      if (good > 0) record.lots.push({ lot: lot?.lot ?? `RCV-${asn.reference}`, quantity: good, expires_on: lot?.expires_on ?? null });
      this.touch(record);
    }
    asn.status = 'received';
    asn.received_at = this.now();
    asn.receipt = receipt;
    this.emit({
      type: 'receipt.completed',
      data: {
        asn_id: asn.id,
        reference: asn.reference,
        location: asn.location,
        received_at: asn.received_at,
        lines: receipt,
        has_discrepancies: receipt.some((l) => l.discrepancy !== 0 || l.damaged > 0),
      },
    });
    return asn;
  }

  addWebhookEndpoint(url: string, events: WmsEventType[] | undefined): WebhookEndpoint {
    const endpoint = { id: `whe_${newId(this.clock.now())}`, url, events: events ?? null, created_at: this.now() };
    this.webhookEndpoints.set(endpoint.id, endpoint);
    return endpoint;
  }
}
