import {
  AsnReceivedEvent,
  type Envelope,
  InventoryAdjustedEvent,
  InventorySnapshotEvent,
  makeEvent,
  OrderCancelledEvent,
  OrderReceivedEvent,
  PurchaseOrderAcknowledgedEvent,
  ReturnRequestedEvent,
  type SalesOrder,
} from '../../canonical/index.js';
import type { EventLog } from '../../eventlog/index.js';
import { type Clock, newId, systemClock } from '../../kernel/index.js';
import type { Tx } from '../../store/index.js';
import { type DocumentStore, etagOf, type StoredDocument } from './document-store.js';
import { DocumentErrors } from './errors.js';
import { DOCUMENT_TOPICS, type InventoryUpdate, type InventoryUpdateRequest } from './kinds.js';
import type {
  AcknowledgementCreateRequest,
  AsnCreateRequest,
  OrderCancelRequest,
  OrderCreateRequest,
  ReturnCreateRequest,
} from './requests.js';

/** Statuses from which a partner may still cancel an order (nothing has left a warehouse). */
export const CANCELLABLE_STATUSES: readonly string[] = ['received', 'accepted', 'on-hold', 'allocated', 'backordered', 'booked'];

/** Who submits, and the request's idempotency key (carried into the event envelope). */
export interface Submitter {
  partnerId: string;
  idempotencyKey?: string | undefined;
  /** The caller's correlation id, when it sent one. */
  correlationId?: string | undefined;
}

/**
 * What partners submit through the API: each write stores the document and publishes its canonical
 * event in the SAME transaction (the event log's transactional outbox), so an accepted request always
 * has its event and a failed one has neither.
 */
export class PartnerDocuments {
  private readonly clock: Clock;
  constructor(
    readonly documents: DocumentStore,
    private readonly eventlog: EventLog,
    options: { clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /** Stores a new order with status `received` and publishes `crossdock.order.received.v1`. */
  async createOrder(tx: Tx, who: Submitter, request: OrderCreateRequest): Promise<StoredDocument<'order'>> {
    const now = this.clock.now();
    const id = newId(now);
    const time = new Date(now).toISOString();
    // The request was parsed by OrderCreateRequest (SalesOrder without the fields set here); with
    // valid values for those fields the order is a valid SalesOrder, so nothing parses it again.
    const order: SalesOrder = { ...request, id, status: 'received', createdAt: time, updatedAt: time };
    const stored = await this.documents.insert(tx, {
      partnerId: who.partnerId,
      kind: 'order',
      id,
      number: order.channelOrderId,
      status: 'received',
      data: order,
      source: `partner:${who.partnerId}`,
    });
    // The data is the parsed request plus the fields set here: parsed once, not again by the log.
    await this.eventlog.publish(DOCUMENT_TOPICS.orders, [this.event(who, OrderReceivedEvent.type, `order/${id}`, order)], {
      tx,
      dataParsed: true,
    });
    return stored;
  }

  /**
   * Cancels the whole order when it has not been released to a warehouse yet. `ifMatch` (an ETag)
   * refuses the change when the order changed since the caller read it.
   */
  async cancelOrder(tx: Tx, who: Submitter, id: string, request: OrderCancelRequest, ifMatch?: string): Promise<StoredDocument<'order'>> {
    const current = await this.documents.require(who.partnerId, 'order', id, tx);
    if (ifMatch !== undefined && !matches(ifMatch, etagOf(current))) {
      throw DocumentErrors.changed(`order ${id} is at ${etagOf(current)}, not ${ifMatch}`, { path: 'If-Match' });
    }
    if (current.status === 'cancelled') return current;
    if (!CANCELLABLE_STATUSES.includes(current.status ?? '')) {
      throw DocumentErrors.notCancellable(`order ${id} is ${current.status}; it can no longer be cancelled`, { path: 'status' });
    }
    const time = new Date(this.clock.now()).toISOString();
    const data = {
      ...current.data,
      status: 'cancelled' as const,
      updatedAt: time,
      lines: current.data.lines.map((l) => ({ ...l, status: 'cancelled' as const })),
    };
    const updated = await this.documents.update(tx, current, {
      data,
      status: 'cancelled',
      source: `partner:${who.partnerId}`,
      ...(request.reason !== undefined ? { note: request.reason } : {}),
    });
    await this.publish(tx, DOCUMENT_TOPICS.orders, who, OrderCancelledEvent.type, `order/${id}`, {
      orderId: id,
      ...(current.data.orderNumber !== undefined ? { orderNumber: current.data.orderNumber } : {}),
      ...(current.data.channelOrderId !== undefined ? { channelOrderId: current.data.channelOrderId } : {}),
      ...(request.reasonCode !== undefined ? { reasonCode: request.reasonCode } : {}),
      ...(request.reason !== undefined ? { reason: request.reason } : {}),
      lineNumbers: [],
    });
    return updated;
  }

  /** Stores a return request (status `requested`) and publishes `crossdock.return.requested.v1`. */
  async createReturn(tx: Tx, who: Submitter, request: ReturnCreateRequest): Promise<StoredDocument<'return'>> {
    const now = this.clock.now();
    const id = newId(now);
    const time = new Date(now).toISOString();
    const data = ReturnRequestedEvent.schema.parse({
      ...request,
      id,
      rmaNumber: request.rmaNumber ?? `RMA-${id}`,
      status: 'requested',
      createdAt: time,
      updatedAt: time,
    });
    const stored = await this.documents.insert(tx, {
      partnerId: who.partnerId,
      kind: 'return',
      id,
      number: data.rmaNumber,
      status: 'requested',
      data,
      source: `partner:${who.partnerId}`,
    });
    await this.publish(tx, DOCUMENT_TOPICS.returns, who, ReturnRequestedEvent.type, `return/${id}`, data);
    return stored;
  }

  /** Stores a supplier's acknowledgement and publishes `crossdock.purchaseorder.acknowledged.v1`. */
  async submitAcknowledgement(tx: Tx, who: Submitter, request: AcknowledgementCreateRequest): Promise<StoredDocument<'acknowledgement'>> {
    const now = this.clock.now();
    const id = newId(now);
    const time = new Date(now).toISOString();
    const data = PurchaseOrderAcknowledgedEvent.schema.parse({ ...request, id, createdAt: time, updatedAt: time });
    const stored = await this.documents.insert(tx, {
      partnerId: who.partnerId,
      kind: 'acknowledgement',
      id,
      number: data.ackNumber,
      status: data.status,
      data,
      source: `partner:${who.partnerId}`,
    });
    const orderKey = data.order.id ?? data.order.number ?? id;
    await this.publish(tx, DOCUMENT_TOPICS.purchasing, who, PurchaseOrderAcknowledgedEvent.type, `purchaseorder/${orderKey}`, data);
    return stored;
  }

  /** Stores a supplier's ASN and publishes `crossdock.asn.received.v1`. */
  async submitAsn(tx: Tx, who: Submitter, request: AsnCreateRequest): Promise<StoredDocument<'asn'>> {
    const now = this.clock.now();
    const id = newId(now);
    const time = new Date(now).toISOString();
    const data = AsnReceivedEvent.schema.parse({ ...request, id, createdAt: time, updatedAt: time });
    const stored = await this.documents.insert(tx, {
      partnerId: who.partnerId,
      kind: 'asn',
      id,
      number: data.asnNumber,
      status: data.status,
      data,
      source: `partner:${who.partnerId}`,
    });
    await this.publish(tx, DOCUMENT_TOPICS.purchasing, who, AsnReceivedEvent.type, `asn/${id}`, data);
    return stored;
  }

  /**
   * Keeps a 3PL's stock report and publishes it: a snapshot as `crossdock.inventory.snapshot.v1`,
   * adjustments as one `crossdock.inventory.adjusted.v1` each (keyed by item and location, so the
   * availability ledger applies them in order).
   */
  async submitInventoryUpdate(tx: Tx, who: Submitter, request: InventoryUpdateRequest): Promise<StoredDocument<'inventoryupdate'>> {
    const now = this.clock.now();
    const id = newId(now);
    const data: InventoryUpdate = { id, receivedAt: new Date(now).toISOString(), status: 'accepted', update: request };
    const stored = await this.documents.insert(tx, {
      partnerId: who.partnerId,
      kind: 'inventoryupdate',
      id,
      status: 'accepted',
      data,
      source: `partner:${who.partnerId}`,
    });
    if (request.type === 'snapshot') {
      const { type: _type, ...snapshot } = request;
      const key = `inventory/${who.partnerId}/${snapshot.location?.code ?? snapshot.location?.id ?? 'all'}`;
      await this.publish(tx, DOCUMENT_TOPICS.inventory, who, InventorySnapshotEvent.type, key, snapshot);
    } else {
      const events = request.adjustments.map((a, i) => this.event(who, InventoryAdjustedEvent.type, inventoryKey(a), a, String(i)));
      await this.eventlog.publish(DOCUMENT_TOPICS.inventory, events, { tx });
    }
    return stored;
  }

  private async publish(tx: Tx, topic: string, who: Submitter, type: string, key: string, data: unknown): Promise<void> {
    await this.eventlog.publish(topic, [this.event(who, type, key, data)], { tx });
  }

  /** `idSuffix` keeps the idempotency keys of several events from one request apart. */
  private event(who: Submitter, type: string, key: string, data: unknown, idSuffix?: string): Envelope {
    return makeEvent(
      {
        type,
        source: `crossdock://partner/${who.partnerId}`,
        subject: key,
        partitionkey: key,
        data,
        ...(who.correlationId !== undefined ? { correlationid: who.correlationId } : {}),
        ...(who.idempotencyKey !== undefined
          ? { idempotencykey: `api:${who.partnerId}:${who.idempotencyKey}${idSuffix !== undefined ? `:${idSuffix}` : ''}` }
          : {}),
      },
      this.clock.now(),
    );
  }
}

function inventoryKey(a: {
  item: { sku?: string | undefined; id?: string | undefined };
  location: { code?: string | undefined; id?: string | undefined };
}): string {
  return `inventory/${a.item.sku ?? a.item.id ?? 'item'}@${a.location.code ?? a.location.id ?? 'location'}`;
}

/** If-Match: `*` or a list of ETags (weak ones compared by their opaque part). */
export function matches(header: string, etag: string): boolean {
  const wanted = header.split(',').map((s) => s.trim().replace(/^W\//, ''));
  return wanted.includes('*') || wanted.includes(etag);
}
